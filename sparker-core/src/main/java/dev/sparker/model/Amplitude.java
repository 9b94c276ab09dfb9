package dev.sparker.model;

/**
 * The constant factor {@code A} in front of every Gaussian kernel,
 * {@code k_i(x) = A exp(-|x - mu_i|^2 / (2 sigma^2))}.
 *
 * <p>It only rescales the coefficients, but it changes what a given penalty {@code lambda_a} and a given
 * clip mean, so it is recorded with every result.
 */
public enum Amplitude {
    /** {@code A = 1}: a coefficient is the height of its bump in log-density-ratio units. */
    UNIT,
    /** {@code A = (2 pi sigma^2)^(-d/2)}: a normalised Gaussian density, as written in the paper. */
    GAUSSIAN,
    /** {@code A = sqrt(d sigma^2) / (2 pi)^(d/2)}: the factor of the authors' public code. */
    REFERENCE_CODE;

    /**
     * {@return the factor {@code A} for width {@code sigma} in {@code d} dimensions}
     *
     * @param sigma the kernel width, > 0
     * @param d     the number of features
     */
    public double value(double sigma, int d) {
        return switch (this) {
            case UNIT -> 1.0;
            case GAUSSIAN -> Math.pow(2 * Math.PI * sigma * sigma, -0.5 * d);
            case REFERENCE_CODE -> Math.sqrt(d * sigma * sigma) / Math.pow(2 * Math.PI, 0.5 * d);
        };
    }
}
