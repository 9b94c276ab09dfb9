package dev.sparker.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the kernel width sigma is chosen: a fixed value, or a quantile of the pairwise Euclidean distances
 * between reference events on a seeded subsample.
 *
 * @param fixedSigma the width when fixed, else null
 * @param quantile   the quantile in (0, 1) when estimated (default 0.9)
 * @param subsample  how many reference events the estimate uses (default 2000)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WidthSpec(Double fixedSigma, double quantile, int subsample) {
    /**
     * The paper's quantile: 0.9.
     */
    public static final double DEFAULT_QUANTILE = 0.9;
    /**
     * Reference events the estimate uses by default.
     */
    public static final int DEFAULT_SUBSAMPLE = 2000;

    /**
     * Validates the specification.
     *
     * @throws IllegalArgumentException when a fixed sigma is not finite and > 0, the quantile is outside (0, 1),
     *                                  or the subsample has fewer than 2 events
     */
    public WidthSpec {
        if (fixedSigma != null) {
            if (!(fixedSigma > 0) || !Double.isFinite(fixedSigma)) {
                throw new IllegalArgumentException("kernel width sigma = " + fixedSigma + "; sigma must be finite and > 0");
            }
        } else {
            if (!(quantile > 0 && quantile < 1)) {
                throw new IllegalArgumentException("width quantile = " + quantile + "; it must lie in (0, 1)");
            }
            if (subsample < 2) {
                throw new IllegalArgumentException("width subsample = " + subsample + "; at least 2 events are needed");
            }
        }
    }

    /**
     * {@return the paper's heuristic: 90 % quantile of pairwise distances on 2000 reference events}
     */
    public static WidthSpec defaultQuantile() {
        return quantile(DEFAULT_QUANTILE);
    }

    /**
     * {@return the {@code q} quantile of pairwise reference distances, on 2000 events}
     *
     * @param q the quantile, in (0, 1)
     */
    public static WidthSpec quantile(double q) {
        return new WidthSpec(null, q, DEFAULT_SUBSAMPLE);
    }

    /**
     * {@return a fixed width}
     *
     * @param sigma the width, finite and > 0, in the samples' units
     */
    public static WidthSpec fixed(double sigma) {
        return new WidthSpec(sigma, DEFAULT_QUANTILE, DEFAULT_SUBSAMPLE);
    }

    /**
     * {@return whether the width is fixed rather than estimated}
     */
    @JsonIgnore
    public boolean isFixed() {
        return fixedSigma != null;
    }
}
