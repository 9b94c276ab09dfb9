package dev.sparker.engine;

import dev.sparker.model.KernelShape;

/**
 * Many independent problems of the same kernel shape bound to one engine and evaluated together, so that
 * an accelerator can cover a whole calibration ensemble in one launch. Problem {@code p}'s parameters are
 * {@code a[p]}, {@code mu[p]}; its result goes to {@code out[p]}. Only problems whose {@code active[p]} is
 * true need to be evaluated.
 */
public interface BoundBatch extends AutoCloseable {

    /**
     * {@return the shape every problem of the batch shares}
     */
    KernelShape shape();

    /**
     * {@return the number of problems P}
     */
    int problems();

    /**
     * Evaluates {@code L_NP} and the requested gradients of every active problem.
     *
     * @param a       P coefficient vectors, each of length M
     * @param mu      P location vectors, each row-major M x d
     * @param active  P flags; only problems flagged true need to be evaluated
     * @param request which gradients to fill in
     * @param out     P buffers receiving the results
     */
    void evaluate(double[][] a, double[][] mu, boolean[] active, GradientRequest request, NpEvaluation[] out);

    /**
     * Releases the batch's threads or device memory.
     */
    @Override
    void close();
}
