package dev.sparker.engine.vector;

/**
 * One thread's share of an evaluation: it folds event ranges into its own partial loss and gradient sums,
 * which the bound problem then adds up in a fixed order.
 */
abstract class Worker {
    final int kernels;
    final int dimension;
    final double[] gradA;
    final double[] moment;
    double loss;

    Worker(int kernels, int dimension) {
        this.kernels = kernels;
        this.dimension = dimension;
        this.gradA = new double[kernels];
        this.moment = new double[kernels * dimension];
    }

    void reset() {
        loss = 0;
        java.util.Arrays.fill(gradA, 0);
        java.util.Arrays.fill(moment, 0);
    }

    /**
     * Adds events {@code [from, to)} of {@code s} (lane-aligned) to the partial sums: the loss, and when
     * asked {@code sum g k_i} into {@code gradA} and {@code sum g k_i (x - mu_i)} into {@code moment}.
     */
    abstract void accumulate(PaddedSample s, int from, int to, boolean reference, Parameters p,
                             boolean wantA, boolean wantMu);

    /** Block size in events: the block's M kernel rows should stay in L2 (about 64 Ki values). */
    static int blockSize(int kernels, int lanes) {
        int b = (1 << 16) / Math.max(1, kernels);
        b = Math.max(lanes, Math.min(1024, b / lanes * lanes));
        return b;
    }
}
