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
    public static final double DEFAULT_QUANTILE = 0.9;
    public static final int DEFAULT_SUBSAMPLE = 2000;

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

    /** The paper's heuristic: 90 % quantile of pairwise distances on 2000 reference events. */
    public static WidthSpec defaultQuantile() {
        return quantile(DEFAULT_QUANTILE);
    }

    public static WidthSpec quantile(double q) {
        return new WidthSpec(null, q, DEFAULT_SUBSAMPLE);
    }

    public static WidthSpec fixed(double sigma) {
        return new WidthSpec(sigma, DEFAULT_QUANTILE, DEFAULT_SUBSAMPLE);
    }

    @JsonIgnore
    public boolean isFixed() {
        return fixedSigma != null;
    }
}
