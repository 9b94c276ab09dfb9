package dev.sparker.calibration;

/**
 * What one toy produced.
 *
 * @param t          the test statistic (of the first width when several are run)
 * @param lowestLoss the lowest {@code L_NP} seen during training (of the first width)
 * @param tByWidth   t at every width, in the order the widths were given; null when only one width is run
 */
public record ToyOutcome(double t, double lowestLoss, double[] tByWidth) {
}
