package dev.sparker.model;

/**
 * What stays fixed while a model trains: the number of kernels {@code M}, the dimension {@code d}, the
 * shared width {@code sigma} and the amplitude convention.
 */
public record KernelShape(int kernels, int dimension, double sigma, Amplitude amplitude) {

    public KernelShape {
        validate(kernels, dimension, sigma);
        if (amplitude == null) {
            throw new IllegalArgumentException("amplitude must not be null");
        }
    }

    /** The kernel prefactor {@code A}. */
    public double amplitudeFactor() {
        return amplitude.value(sigma, dimension);
    }

    static void validate(int kernels, int dimension, double sigma) {
        if (kernels < 1) {
            throw new IllegalArgumentException("number of kernels M = " + kernels + "; M must be at least 1");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension d = " + dimension + "; d must be at least 1");
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("kernel width sigma = " + sigma + "; sigma must be finite and > 0");
        }
    }
}
