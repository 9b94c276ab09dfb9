package dev.sparker.train;

/**
 * An optional capability of a {@link dev.sparker.engine.BoundBatch}: the whole alternating Adam schedule of
 * {@link Trainer} (DESIGN.md section 1) runs where the batch's events live, with the parameters (a, mu), both
 * phases' Adam moments, the clip, the coefficient penalty and the location entropy kept there too. The host
 * only starts an epoch and reads back what it records: per-epoch {@code L_NP}, {@code L_a}, {@code L_H},
 * each problem's divergence (epoch, phase, step) and, at the end, the final parameters.
 *
 * <p>An implementation is a second implementation of the same mathematics as the host loop in
 * {@link Trainer}, which stays the reference; the validation module checks the two against each other
 * (same t within 1e-9 relative in DOUBLE, 1e-4 in FLOAT) and checks that a problem gives the same bits alone
 * and inside a batch. The trainer uses it only when {@link #supportsResidentTraining} says yes.
 */
public interface ResidentTraining {

    /**
     * Whether this batch can run {@code config}'s schedule resident; when false the host loop runs it.
     *
     * @param config the training configuration
     * @return true when {@link #startResidentTraining} can run it
     */
    boolean supportsResidentTraining(TrainingConfig config);

    /**
     * Starts a resident training of every problem of the batch from the given initial parameters
     * ({@code a[p]} of length M, {@code mu[p]} row-major M x d); the arrays are copied, not kept.
     *
     * @param a      each problem's initial coefficients
     * @param mu     each problem's initial locations
     * @param config the training configuration (schedule, learning rate, clip, penalties)
     * @return the running session; close it
     */
    Session startResidentTraining(double[][] a, double[][] mu, TrainingConfig config);

    /** One resident training in progress; not thread-safe; closing it frees what it holds. */
    interface Session extends AutoCloseable {

        /**
         * Runs epoch {@code epoch} (1-based, in order) for every problem still running: its coefficient steps,
         * its location steps, and the end-of-epoch loss. Writes each running problem's {@code L_NP},
         * {@code L_a} and {@code L_H} at the end of the epoch into {@code loss[p]}, {@code penalty[p]},
         * {@code entropy[p]}; returns, for every problem, null or the divergence that stopped it during this
         * epoch (a problem that stopped in an earlier epoch is null here too).
         *
         * @param epoch   the 1-based epoch
         * @param loss    receives each running problem's {@code L_NP} at the end of the epoch
         * @param penalty receives each running problem's {@code L_a}
         * @param entropy receives each running problem's {@code L_H}
         * @return per problem, null or the divergence that stopped it in this epoch
         */
        TrainingDivergedException[] runEpoch(int epoch, double[] loss, double[] penalty, double[] entropy);

        /**
         * Copies each problem's current parameters into {@code a[p]}, {@code mu[p]} and the lowest
         * {@code L_NP} it saw at any step or epoch end into {@code lowestLoss[p]}.
         *
         * @param a          receives each problem's coefficients (length M each)
         * @param mu         receives each problem's locations (length M d each)
         * @param lowestLoss receives each problem's lowest {@code L_NP}
         */
        void readParameters(double[][] a, double[][] mu, double[] lowestLoss);

        @Override
        void close();
    }
}
