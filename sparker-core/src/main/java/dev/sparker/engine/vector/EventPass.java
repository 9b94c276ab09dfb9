package dev.sparker.engine.vector;

import dev.sparker.engine.NpEvaluation;

/**
 * One precision's fused pass over the events, split into a number of parts fixed by the number of events
 * ({@link Layout#parts(int)}). Each part owns its accumulators; each worker owns the scratch buffers of the
 * block it is on; {@link #reduce} adds the parts' sums in part order, so the bits are the same whichever
 * worker ran which part, and whatever the number of workers.
 */
interface EventPass {

    /** The number of parts the events are split into (fixed by the event counts at bind time). */
    int parts();

    /** The number of workers that may run parts at once: the threads asked for, at most {@link #parts()}. */
    int workers();

    /** Copies the parameters into the pass's own buffers; called on the caller thread before any part runs. */
    void prepare(double[] a, double[] mu);

    /**
     * Runs part {@code part} with worker {@code worker}'s scratch: forward pass, loss and, if asked, the
     * gradient sums of its events. A worker runs one part at a time.
     */
    void run(int part, int worker, boolean wantCoefficients, boolean wantLocations);

    /** Adds the parts' sums in part order and writes the loss and the requested gradients to {@code out}. */
    void reduce(double[] a, boolean wantCoefficients, boolean wantLocations, NpEvaluation out);
}
