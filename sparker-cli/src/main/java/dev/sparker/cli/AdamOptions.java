package dev.sparker.cli;

import dev.sparker.train.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --epochs}, {@code --steps} and {@code --lr}: the length of SparKer's training, shared by test, expo1d and
 * compare. Without them test keeps its preset's values and expo1d and compare a quick look (20 x (20 + 20) steps at
 * lr 0.05).
 */
final class AdamOptions {
    /** expo1d's and compare's epochs without --epochs. */
    static final int QUICK_EPOCHS = 20;
    /** expo1d's and compare's steps per phase without --steps. */
    static final int QUICK_STEPS = 20;
    /** expo1d's and compare's learning rate without --lr. */
    static final double QUICK_LR = 0.05;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--epochs", paramLabel = "N",
            description = "SparKer's epochs, the converged schedule's cap (default: expo1d and compare " + QUICK_EPOCHS
                    + "; test the preset's, gw-12d 2000, expo-1d 500; paper: 500)")
    Integer epochs;

    @Option(names = "--steps", paramLabel = "N",
            description = "SparKer's Adam steps per phase per epoch (default: expo1d and compare " + QUICK_STEPS
                    + "; test the preset's, gw-12d 10, expo-1d 100; paper: 100)")
    Integer steps;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "SparKer's Adam learning rate (default: expo1d and compare " + QUICK_LR
                    + "; test the preset's, gw-12d 0.04, expo-1d 0.001; paper: 0.001)")
    Double learningRate;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }

    /** Checks the values given; a bad one is a usage error naming the option. */
    void validate() {
        if (epochs != null && epochs < 1) throw bad("--epochs " + epochs + ": at least 1");
        if (steps != null && steps < 1) throw bad("--steps " + steps + ": at least 1");
        if (learningRate != null && (!(learningRate > 0) || !Double.isFinite(learningRate))) {
            throw bad("--lr " + learningRate + ": must be finite and > 0");
        }
    }

    /** Sets the values given on {@code b}, keeping its (the preset's) others: test. */
    TrainingConfig.Builder applyGiven(TrainingConfig.Builder b) {
        validate();
        if (epochs != null) b.epochs(epochs);
        if (steps != null) b.coefficientSteps(steps).locationSteps(steps);
        if (learningRate != null) b.learningRate(learningRate);
        return b;
    }

    /** Sets the values given, or the quick look's, on {@code b}: expo1d and compare. */
    TrainingConfig.Builder applyQuick(TrainingConfig.Builder b) {
        validate();
        return b.epochs(epochs()).coefficientSteps(steps()).locationSteps(steps()).learningRate(learningRate());
    }

    /** {@return epochs, or the quick look's} */
    int epochs() {
        return epochs != null ? epochs : QUICK_EPOCHS;
    }

    /** {@return steps per phase, or the quick look's} */
    int steps() {
        return steps != null ? steps : QUICK_STEPS;
    }

    /** {@return the learning rate, or the quick look's} */
    double learningRate() {
        return learningRate != null ? learningRate : QUICK_LR;
    }
}
