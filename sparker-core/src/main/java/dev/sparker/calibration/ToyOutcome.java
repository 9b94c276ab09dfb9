package dev.sparker.calibration;

import dev.sparker.train.Convergence;

/**
 * What one toy produced.
 *
 * @param t           the test statistic (of the first width when several are run)
 * @param lowestLoss  the lowest {@code L_NP} seen during training (of the first width)
 * @param tByWidth    t at every width, in the order the widths were given; null when only one width is run
 * @param convergence how the training of the first width stopped, for the converged schedule; null otherwise
 *                    (the paper schedule always runs its fixed epochs, and its rows stay as they were)
 */
public record ToyOutcome(double t, double lowestLoss, double[] tByWidth, Convergence convergence) {

    /**
     * An outcome without a convergence record.
     *
     * @param t          the test statistic
     * @param lowestLoss the lowest {@code L_NP} seen during training
     * @param tByWidth   t at every width, or null
     */
    public ToyOutcome(double t, double lowestLoss, double[] tByWidth) {
        this(t, lowestLoss, tByWidth, null);
    }
}
