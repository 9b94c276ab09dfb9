package dev.sparker.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded draws without replacement: the width heuristic's subsample, Falkon's Nystrom centres and the
 * resampling calibration's pseudo-data all draw their indices here, so one seed means one draw everywhere.
 */
public final class DistinctDraw {

    private DistinctDraw() {
    }

    /**
     * {@code s} distinct indices out of {@code [0, n)}, uniformly without replacement, in draw order
     * (partial Fisher–Yates driven by {@code new SplittableRandom(seed)}).
     *
     * @param n    size of the range, at least s
     * @param s    number of indices, from 0 to n
     * @param seed the random seed
     * @return s distinct indices
     * @throws IllegalArgumentException when s is negative or larger than n
     */
    public static int[] indices(int n, int s, long seed) {
        if (s < 0 || s > n) {
            throw new IllegalArgumentException("cannot draw " + s + " distinct indices out of " + n);
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < s; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, s);
    }
}
