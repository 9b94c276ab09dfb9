package dev.sparker.model;

/**
 * What stays fixed while a model trains: the number of kernels {@code M}, the dimension {@code d}, the
 * shared width {@code sigma} and the amplitude convention.
 *
 * @param kernels   number of kernels M, at least 1
 * @param dimension number of features d, at least 1
 * @param sigma     the shared kernel width, finite and > 0
 * @param amplitude the prefactor convention
 */
public record KernelShape(int kernels, int dimension, double sigma, Amplitude amplitude) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException when M or d is below 1, sigma is not finite and > 0, or the amplitude is null
     */
    public KernelShape {
        validate(kernels, dimension, sigma);
        if (amplitude == null) {
            throw new IllegalArgumentException("amplitude must not be null");
        }
    }

    /**
     * {@return the kernel prefactor {@code A} for this d and sigma}
     */
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
