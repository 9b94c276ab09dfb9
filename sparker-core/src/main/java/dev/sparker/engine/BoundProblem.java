package dev.sparker.engine;

import dev.sparker.model.KernelShape;

/**
 * One (reference, data) problem bound to an engine: events are laid out (or uploaded) once, then the loss
 * and its gradients are evaluated many times for changing parameters. Not thread-safe: one trainer drives
 * one bound problem. Close it to release native or pooled resources.
 */
public interface BoundProblem extends AutoCloseable {

    /**
     * {@return the shape this problem was bound with}
     */
    KernelShape shape();

    /**
     * Evaluates {@code L_NP} at coefficients {@code a} (length M) and locations {@code mu} (row-major M x d)
     * and fills the requested gradients into {@code out}.
     *
     * @param a       coefficients, length M
     * @param mu      locations, row-major M x d
     * @param request which gradients to fill in
     * @param out     receives the loss and the requested gradients
     */
    void evaluate(double[] a, double[] mu, GradientRequest request, NpEvaluation out);

    /**
     * Releases the problem's threads or device memory.
     */
    @Override
    void close();
}
