package dev.sparker.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * A SparKer model: {@code f(x) = sum_i a_i A exp(-|x - mu_i|^2 / (2 sigma^2))}, with {@code M} kernels in
 * {@code d} dimensions sharing one width {@code sigma}. Immutable.
 */
public final class KernelModel {
    private final int dimension;
    private final double sigma;
    private final Amplitude amplitude;
    private final double[] coefficients;
    private final double[] locations;

    /**
     * A model {@code f(x) = sum_i a_i A exp(-|x - mu_i|^2 / (2 sigma^2))} (paper section 2). Arrays are copied.
     *
     * @param dimension    number of features d, at least 1
     * @param sigma        the shared kernel width, finite and > 0, in the samples' units
     * @param amplitude    the prefactor convention A
     * @param coefficients {@code a}, length {@code M}
     * @param locations    {@code mu}, row-major {@code M x d}
     * @throws IllegalArgumentException when M or d is below 1, sigma is not finite and > 0, the lengths do not
     *                                  match, or a value is not finite
     */
    @JsonCreator
    public KernelModel(@JsonProperty("dimension") int dimension,
                       @JsonProperty("sigma") double sigma,
                       @JsonProperty("amplitude") Amplitude amplitude,
                       @JsonProperty("coefficients") double[] coefficients,
                       @JsonProperty("locations") double[] locations) {
        KernelShape.validate(coefficients == null ? 0 : coefficients.length, dimension, sigma);
        if (amplitude == null) {
            throw new IllegalArgumentException("amplitude must not be null");
        }
        if (locations == null || locations.length != coefficients.length * dimension) {
            throw new IllegalArgumentException("locations must have length M * d = " + coefficients.length * dimension
                    + " but has " + (locations == null ? "null" : locations.length));
        }
        for (int i = 0; i < coefficients.length; i++) {
            if (!Double.isFinite(coefficients[i])) {
                throw new IllegalArgumentException("coefficient a_" + i + " is " + coefficients[i]);
            }
        }
        for (int k = 0; k < locations.length; k++) {
            if (!Double.isFinite(locations[k])) {
                throw new IllegalArgumentException(
                        "location mu_" + k / dimension + " has coordinate " + k % dimension + " = " + locations[k]);
            }
        }
        this.dimension = dimension;
        this.sigma = sigma;
        this.amplitude = amplitude;
        this.coefficients = coefficients.clone();
        this.locations = locations.clone();
    }

    /**
     * {@return the number of features d}
     */
    @JsonProperty
    public int dimension() {
        return dimension;
    }

    /**
     * {@return the kernel width sigma, in the samples' units}
     */
    @JsonProperty
    public double sigma() {
        return sigma;
    }

    /**
     * {@return the amplitude convention A}
     */
    @JsonProperty
    public Amplitude amplitude() {
        return amplitude;
    }

    /**
     * {@return the number of kernels {@code M}}
     */
    public int size() {
        return coefficients.length;
    }

    /**
     * {@return a copy of the M coefficients {@code a}}
     */
    @JsonProperty
    public double[] coefficients() {
        return coefficients.clone();
    }

    /**
     * {@return a copy of the locations, row-major {@code M x d}}
     */
    @JsonProperty
    public double[] locations() {
        return locations.clone();
    }

    /**
     * {@return a copy of the d coordinates of kernel {@code i}'s location}
     *
     * @param i kernel index, 0 to M - 1
     */
    public double[] location(int i) {
        return Arrays.copyOfRange(locations, i * dimension, (i + 1) * dimension);
    }

    /**
     * {@return the coefficient a_i}
     *
     * @param i kernel index, 0 to M - 1
     */
    public double coefficient(int i) {
        return coefficients[i];
    }

    /**
     * {@return the shape (M, d, sigma, amplitude factor) of this model}
     */
    public KernelShape shape() {
        return new KernelShape(coefficients.length, dimension, sigma, amplitude);
    }

    /**
     * {@return {@code f(x)}, the estimated log density ratio of data to reference at x}
     *
     * @param x d coordinates
     */
    public double evaluate(double[] x) {
        if (x.length != dimension) {
            throw new IllegalArgumentException("point has dimension " + x.length + " but the model has " + dimension);
        }
        double amp = amplitude.value(sigma, dimension);
        double inv2s2 = 1.0 / (2 * sigma * sigma);
        double f = 0;
        for (int i = 0; i < coefficients.length; i++) {
            double r2 = 0;
            for (int j = 0; j < dimension; j++) {
                double diff = x[j] - locations[i * dimension + j];
                r2 += diff * diff;
            }
            f += coefficients[i] * amp * Math.exp(-r2 * inv2s2);
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelModel k && k.dimension == dimension
                && Double.compare(k.sigma, sigma) == 0 && k.amplitude == amplitude
                && Arrays.equals(k.coefficients, coefficients) && Arrays.equals(k.locations, locations);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(coefficients) + Arrays.hashCode(locations);
    }

    @Override
    public String toString() {
        return "KernelModel[M=" + size() + ", d=" + dimension + ", sigma=" + sigma + ", " + amplitude + "]";
    }
}
