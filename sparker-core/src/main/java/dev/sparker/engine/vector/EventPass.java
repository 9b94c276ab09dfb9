package dev.sparker.engine.vector;

import dev.sparker.engine.NpEvaluation;

/**
 * One precision's fused pass over the events, split into a fixed number of parts. Each part owns its
 * accumulators; {@link #reduce} adds them up in part order, so a given number of parts always gives the
 * same bits whichever thread ran which part.
 */
interface EventPass {

    /** The number of parts the events are split into (fixed at bind time). */
    int parts();

    /** Copies the parameters into the pass's own buffers; called on the caller thread before any part runs. */
    void prepare(double[] a, double[] mu);

    /**
     * Runs part {@code part}: forward pass, loss and, if asked, the gradient sums of its events and the
     * second moments {@code sum_R g e_i e_j} of its reference events.
     */
    void run(int part, boolean wantCoefficients, boolean wantLocations, boolean wantHessian);

    /** Adds the parts' sums in part order and writes the loss and the requested gradients to {@code out}. */
    void reduce(double[] a, boolean wantCoefficients, boolean wantLocations, boolean wantHessian, NpEvaluation out);
}
