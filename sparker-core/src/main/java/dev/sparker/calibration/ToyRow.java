package dev.sparker.calibration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sparker.train.Convergence;

/**
 * One line of an ensemble's output file.
 *
 * @param index       toy index, 0-based
 * @param seed        the toy's seed, {@link ToySeeds#seed(long, long)}
 * @param t           the test statistic
 * @param lowestLoss  lowest {@code L_NP} seen in training
 * @param wallSeconds wall time of the toy (of its batch divided by the batch size when toys run batched)
 * @param configHash  {@link ConfigHash} of the ensemble's configuration
 * @param tByWidth    t at each width when several widths run on the same toy, else null
 * @param convergence how the toy's training stopped under the converged schedule (epochs, stopped by, final
 *                    decrease, gradient norms, solver); null (and not written) otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToyRow(int index, long seed, double t, double lowestLoss, double wallSeconds, String configHash,
                     double[] tByWidth, Convergence convergence) {

    /**
     * A row without a convergence record (the paper schedule, Falkon-NPLM, resampled null toys).
     *
     * @param index       toy index, 0-based
     * @param seed        the toy's seed
     * @param t           the test statistic
     * @param lowestLoss  lowest {@code L_NP} seen in training
     * @param wallSeconds wall time of the toy
     * @param configHash  configuration hash of the ensemble
     * @param tByWidth    t at each width, or null
     */
    public ToyRow(int index, long seed, double t, double lowestLoss, double wallSeconds, String configHash,
                  double[] tByWidth) {
        this(index, seed, t, lowestLoss, wallSeconds, configHash, tByWidth, null);
    }

    /**
     * {@return the same row without its wall time, for comparing two runs' numbers}
     */
    public ToyRow withoutTime() {
        return new ToyRow(index, seed, t, lowestLoss, 0, configHash, tByWidth, convergence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToyRow r && r.index == index && r.seed == seed && Double.compare(r.t, t) == 0
                && Double.compare(r.lowestLoss, lowestLoss) == 0 && Double.compare(r.wallSeconds, wallSeconds) == 0
                && java.util.Objects.equals(r.configHash, configHash) && java.util.Arrays.equals(r.tByWidth, tByWidth)
                && java.util.Objects.equals(r.convergence, convergence);
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(index) * 31 + Long.hashCode(seed);
    }
}
