package dev.sparker.train;

import dev.sparker.model.DistinctDraw;
import dev.sparker.model.Samples;
import java.util.Arrays;

/**
 * The kernel width heuristic: a quantile of the pairwise Euclidean distances between reference events,
 * computed on a seeded subsample drawn without replacement (all events when the sample is smaller).
 */
public final class WidthHeuristic {

    private WidthHeuristic() {
    }

    /**
     * {@return the kernel width sigma {@code spec} gives for {@code reference}, in the reference's units}
     *
     * @param spec      a fixed sigma, or a quantile of pairwise distances
     * @param reference the reference sample
     * @param seed      picks the subsample for a quantile
     * @throws IllegalArgumentException when the quantile is outside (0, 1), the reference has fewer than 2 events, or
     *                                  the quantile distance is not > 0
     */
    public static double resolve(WidthSpec spec, Samples reference, long seed) {
        if (spec.isFixed()) {
            return spec.fixedSigma();
        }
        return pairwiseDistanceQuantile(reference, spec.quantile(), spec.subsample(), seed);
    }

    /**
     * The {@code q} quantile of the distances between all pairs of a subsample of {@code subsample} events
     * (linear interpolation between order statistics).
     *
     * @param reference the reference sample
     * @param q         the quantile, in (0, 1)
     * @param subsample events drawn without replacement (all when the sample is smaller), at least 2
     * @param seed      the random seed of the draw
     * @return the quantile of the Euclidean distances, in the reference's units
     * @throws IllegalArgumentException when q is outside (0, 1) or the reference has fewer than 2 events
     */
    public static double pairwiseDistanceQuantile(Samples reference, double q, int subsample, long seed) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile = " + q + "; it must lie in (0, 1)");
        }
        int n = reference.size();
        if (n < 2) {
            throw new IllegalArgumentException("the width heuristic needs at least 2 reference events, got " + n);
        }
        int s = Math.min(Math.max(subsample, 2), n);
        int[] idx = DistinctDraw.indices(n, s, seed);
        int d = reference.dimension();
        double[] dist = new double[s * (s - 1) / 2];
        int k = 0;
        for (int a = 0; a < s; a++) {
            for (int b = a + 1; b < s; b++) {
                double r2 = 0;
                for (int j = 0; j < d; j++) {
                    double diff = reference.coordinate(idx[a], j) - reference.coordinate(idx[b], j);
                    r2 += diff * diff;
                }
                dist[k++] = Math.sqrt(r2);
            }
        }
        Arrays.sort(dist);
        double pos = q * (dist.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, dist.length - 1);
        double sigma = dist[lo] + (pos - lo) * (dist[hi] - dist[lo]);
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("the " + q + " quantile of pairwise reference distances is " + sigma
                    + " (too many identical events); give a fixed sigma instead");
        }
        return sigma;
    }
}
