package dev.sparker.train;

import dev.sparker.engine.Precision;
import dev.sparker.model.KernelModel;

/**
 * The outcome of one SparKer-NPLM test.
 *
 * @param t              the test statistic {@code -2 L_NP} at the end of training
 * @param finalLoss      {@code L_NP} at the end of training
 * @param lowestLoss     the lowest {@code L_NP} seen at any step (diagnostic)
 * @param model          the learned model
 * @param history        per-epoch loss terms
 * @param wallTimeSeconds training wall time
 * @param engine         the engine that ran it
 * @param precision      the engine precision
 * @param threads        threads per evaluation
 * @param config         the full configuration
 */
public record TestResult(
        double t,
        double finalLoss,
        double lowestLoss,
        KernelModel model,
        TrainingHistory history,
        double wallTimeSeconds,
        String engine,
        Precision precision,
        int threads,
        TrainingConfig config) {

    /** {@return the kernel width sigma that was used, in the samples' units} */
    public double sigma() {
        return model.sigma();
    }
}
