package dev.sparker.engine;

import dev.sparker.model.KernelShape;

/**
 * Many independent problems of the same kernel shape bound to one engine and evaluated together, so that
 * an accelerator can cover a whole calibration ensemble in one launch. Problem {@code p}'s parameters are
 * {@code a[p]}, {@code mu[p]}; its result goes to {@code out[p]}. Only problems whose {@code active[p]} is
 * true need to be evaluated.
 */
public interface BoundBatch extends AutoCloseable {

    KernelShape shape();

    int problems();

    void evaluate(double[][] a, double[][] mu, boolean[] active, GradientRequest request, NpEvaluation[] out);

    @Override
    void close();

    /** One bound problem seen as a batch of one (closing the batch closes the problem). */
    static BoundBatch of(BoundProblem problem) {
        return new SequentialBatch(problem.shape(), java.util.List.of(problem));
    }
}
