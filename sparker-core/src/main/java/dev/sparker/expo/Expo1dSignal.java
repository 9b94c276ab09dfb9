package dev.sparker.expo;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The EXPO-1D signals of the paper (appendix A): their shapes, expected counts {@code N_S} and the paper's
 * ideal-test significances. {@code NONE} is the null hypothesis (no signal).
 */
public enum Expo1dSignal {
    /**
     * No signal: the null hypothesis.
     */
    NONE(0, Double.NaN, Double.NaN, Double.NaN),
    /** Gaussian at 1.6, width 0.16, N_S = 90. */
    BULK(90, 1.6, 0.16, 4.9),
    /** Gaussian at 6.4, width 0.16, N_S = 10. */
    TAIL(10, 6.4, 0.16, 4.0),
    /** Gaussian at 9.0, width 0.16, N_S = 5. */
    EXTREME_TAIL(5, 9.0, 0.16, 12.5),
    /** Gamma(3, 1) density {@code x^2 e^-x / 2}, N_S = 90. */
    EXCESS(90, Double.NaN, Double.NaN, 4.5);

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final double expectedCount;
    private final double mean;
    private final double width;
    private final double paperZId;

    Expo1dSignal(double expectedCount, double mean, double width, double paperZId) {
        this.expectedCount = expectedCount;
        this.mean = mean;
        this.width = width;
        this.paperZId = paperZId;
    }

    /**
     * {@return {@code N_S}, the expected number of signal events}
     */
    public double expectedCount() {
        return expectedCount;
    }

    /**
     * {@return the ideal-test Z the paper quotes (NaN for NONE)}
     */
    public double paperZId() {
        return paperZId;
    }

    /**
     * {@return the name used on the command line: {@code bulk}, {@code tail}, {@code extreme-tail},
     * {@code excess}, {@code none}}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * {@return the signal named {@code name} (command-line spelling or enum name, any case)}
     *
     * @param name the name
     * @throws IllegalArgumentException naming the unknown name and the known ones
     */
    public static Expo1dSignal parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Expo1dSignal s : values()) {
                if (s.name().equals(n)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown EXPO-1D signal '" + name
                + "'; known: none, bulk, tail, extreme-tail, excess");
    }

    /**
     * {@return the log of the signal's probability density at {@code x} (for NONE: -infinity)}
     *
     * @param x a point
     */
    public double logDensity(double x) {
        return switch (this) {
            case NONE -> Double.NEGATIVE_INFINITY;
            case EXCESS -> x <= 0 ? Double.NEGATIVE_INFINITY : 2 * Math.log(x) - x - Math.log(2);
            default -> {
                double u = (x - mean) / width;
                yield -0.5 * u * u - Math.log(width) - LOG_SQRT_2PI;
            }
        };
    }

    /**
     * {@return one signal event}
     *
     * @param rng the random source
     */
    public double sample(SplittableRandom rng) {
        return switch (this) {
            case NONE -> throw new IllegalStateException("the null hypothesis has no signal events");
            // Gamma(3, 1) is the sum of three Exp(1)
            case EXCESS -> Expo1d.exponential(rng) + Expo1d.exponential(rng) + Expo1d.exponential(rng);
            default -> mean + width * rng.nextGaussian();
        };
    }
}
