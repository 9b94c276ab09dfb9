package dev.sparker.calibration;

/**
 * The seed of toy {@code index} in an ensemble with master seed {@code master}: a SplitMix64 finaliser of
 * {@code master + (index + 1) * golden gamma}, so that any toy can be re-run alone and neighbouring indices
 * get unrelated seeds.
 */
public final class ToySeeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private ToySeeds() {
    }

    /**
     * {@return the seed of toy {@code index}}
     *
     * @param master the ensemble's master seed
     * @param index  the toy's index, &gt;= 0
     * @throws IllegalArgumentException when the index is negative
     */
    public static long seed(long master, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("toy index = " + index + "; it must be >= 0");
        }
        long z = master + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
