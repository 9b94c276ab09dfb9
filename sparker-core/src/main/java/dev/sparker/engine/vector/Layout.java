package dev.sparker.engine.vector;

import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.Samples;
import java.util.Arrays;

/**
 * Precision-independent pieces of the event passes: padding, the fixed partition, the ordered reduction.
 *
 * <p>Determinism rule: the events are cut into {@link #parts(int)} contiguous parts, a number that depends
 * only on how many events there are (as {@code FalkonObjective} does), never on the thread count. Each part
 * sums its events into its own per-lane accumulators; the parts are added in part order. Threads only decide
 * which part is computed where, so every thread count gives the same bits.
 */
final class Layout {
    /** At most this many parts: enough to keep 32 threads busy, few enough that the reduction stays cheap. */
    static final int MAX_PARTS = 32;
    /** At least this many blocks per part, so a small problem is not cut finer than is worth handing out. */
    static final int MIN_BLOCKS_PER_PART = 8;

    private Layout() {
    }

    /** The number of parts for {@code blocks} blocks of events (reference and data together), 1 to {@link #MAX_PARTS}. */
    static int parts(int blocks) {
        return Math.max(1, Math.min(MAX_PARTS, blocks / MIN_BLOCKS_PER_PART));
    }

    /** First block of part {@code part} when {@code blocks} blocks are split into {@code parts} contiguous parts. */
    static int from(int blocks, int part, int parts) {
        return (int) ((long) blocks * part / parts);
    }

    /** The sample's weights followed by zeros up to {@code nPad}: padding events weigh nothing. */
    static double[] paddedWeights(Samples s, int nPad) {
        return Arrays.copyOf(s.weights(), nPad);
    }

    /** One part's per-lane sums over its events. */
    static class Sums {
        final double[] loss;
        final double[] sumA;
        final double[] sumMu;

        Sums(int m, int d, int lanes) {
            this.loss = new double[lanes];
            this.sumA = new double[m * lanes];
            this.sumMu = new double[m * d * lanes];
        }

        void clear() {
            Arrays.fill(loss, 0);
            Arrays.fill(sumA, 0);
            Arrays.fill(sumMu, 0);
        }
    }

    /**
     * Adds the parts' per-lane sums in a fixed order (part by part, lane by lane), then
     * {@code dL/da_i = A sumA_i} and {@code dL/dmu_ij = (a_i / sigma^2) A sumMu_ij}.
     */
    static void reduce(Sums[] parts, int lanes, int m, int d, double amplitude, double invSigma2, double[] a,
                       boolean wantCoefficients, boolean wantLocations, NpEvaluation out) {
        double loss = 0;
        for (Sums p : parts) {
            for (int l = 0; l < lanes; l++) {
                loss += p.loss[l];
            }
        }
        out.setLoss(loss);
        if (wantCoefficients) {
            double[] gA = out.coefficientGradient();
            for (int i = 0; i < m; i++) {
                gA[i] = amplitude * laneSum(parts, p -> p.sumA, i * lanes, lanes);
            }
        }
        if (wantLocations) {
            double[] gMu = out.locationGradient();
            for (int i = 0; i < m; i++) {
                double scale = a[i] * invSigma2 * amplitude;
                for (int j = 0; j < d; j++) {
                    int q = i * d + j;
                    gMu[q] = scale * laneSum(parts, p -> p.sumMu, q * lanes, lanes);
                }
            }
        }
    }

    private static double laneSum(Sums[] parts, java.util.function.Function<Sums, double[]> field, int offset, int lanes) {
        double s = 0;
        for (Sums p : parts) {
            double[] v = field.apply(p);
            for (int l = 0; l < lanes; l++) {
                s += v[offset + l];
            }
        }
        return s;
    }
}
