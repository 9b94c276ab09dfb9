package dev.sparker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --reference-size} and {@code --batch}: how expo1d's and compare's EXPO-1D toys are drawn and batched. */
final class Expo1dToyOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--reference-size", paramLabel = "N_R", defaultValue = "20000",
            description = "N_R reference events, weight 2000/N_R (default: ${DEFAULT-VALUE}; paper: 200000)")
    int referenceSize;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "SparKer's toys per lock-step batch (for accelerator engines; default: ${DEFAULT-VALUE})")
    int batch;

    /** Checks the values; a bad one is a usage error naming the option. */
    void validate() {
        if (referenceSize < 10) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--reference-size " + referenceSize + ": at least 10");
        }
        if (batch < 1) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--batch " + batch + ": at least 1");
        }
    }
}
