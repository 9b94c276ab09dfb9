package dev.sparker.io;

import dev.sparker.model.DistinctDraw;
import dev.sparker.model.Samples;

/**
 * Null calibration by resampling the reference: toy {@code k} takes {@code N_D} events drawn from the
 * reference without replacement as pseudo-data (weight 1 each) and keeps the other {@code N_R - N_D} events
 * as its reference, each weighted {@code N_D / (N_R - N_D)} so that the reference predicts {@code N_D}
 * events, as many as the pseudo-data hold. A pure function of (reference, N_D, master seed, toy index):
 * the same arguments give the same toy on any thread, in any order.
 *
 * <p>Resampling needs an unweighted reference (every event with the same weight): drawing weighted
 * Monte Carlo events as if they were data would give pseudo-data with the wrong distribution.
 */
public final class NullResampling {

    private NullResampling() {
    }

    /**
     * One calibration toy.
     *
     * @param index     the toy's index
     * @param reference the toy's reference: the {@code N_R - N_D} events not drawn, each weighted
     *                  {@code N_D / (N_R - N_D)}
     * @param data      the toy's pseudo-data: {@code N_D} reference events drawn without replacement, weight 1
     */
    public record Toy(int index, Samples reference, Samples data) {
    }

    /**
     * Toy {@code toyIndex} of the ensemble seeded by {@code masterSeed}.
     *
     * @param reference the full reference sample (already standardised if the test standardises); its weights
     *                  must all be equal and are replaced
     * @param dataSize  {@code N_D}, the observed data's size; {@code 1 <= N_D < N_R}
     * @param masterSeed the ensemble's master seed
     * @param toyIndex   the toy's index, from 0
     * @return the toy, a pure function of the arguments
     */
    public static Toy toy(Samples reference, int dataSize, long masterSeed, int toyIndex) {
        if (reference == null) {
            throw new IllegalArgumentException("reference must not be null");
        }
        int n = reference.size();
        if (dataSize < 1 || dataSize >= n) {
            throw new IllegalArgumentException("pseudo-data size N_D = " + dataSize + " must be at least 1 and below the"
                    + " reference size N_R = " + n + " (the rest serves as reference)");
        }
        if (toyIndex < 0) {
            throw new IllegalArgumentException("toy index " + toyIndex + " is negative");
        }
        double w0 = reference.weight(0);
        for (int i = 1; i < n; i++) {
            if (reference.weight(i) != w0) {
                throw new IllegalArgumentException("resampling calibration needs an unweighted reference, but event " + i
                        + " has weight " + reference.weight(i) + " and event 0 has " + w0
                        + "; calibrate with toys generated from the null model instead");
            }
        }
        // a uniform draw without replacement of the pseudo-data's events
        int[] perm = DistinctDraw.indices(n, dataSize, toySeed(masterSeed, toyIndex));
        boolean[] drawn = new boolean[n];
        int[] dataIdx = new int[dataSize];
        for (int i = 0; i < dataSize; i++) {
            dataIdx[i] = perm[i];
            drawn[perm[i]] = true;
        }
        java.util.Arrays.sort(dataIdx);
        int rest = n - dataSize;
        int[] restIdx = new int[rest];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!drawn[i]) {
                restIdx[k++] = i;
            }
        }
        Samples data = reference.select(dataIdx).withWeight(1.0);
        Samples ref = reference.select(restIdx).withWeight((double) dataSize / rest);
        return new Toy(toyIndex, ref, data);
    }

    /**
     * {@return the seed of toy {@code toyIndex}: a SplitMix64 mix of the master seed and the index}
     *
     * @param masterSeed the ensemble's master seed
     * @param toyIndex   the toy's index, from 0
     */
    public static long toySeed(long masterSeed, int toyIndex) {
        long z = masterSeed + 0x9E3779B97F4A7C15L * (toyIndex + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
