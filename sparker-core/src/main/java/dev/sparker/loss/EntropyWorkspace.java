package dev.sparker.loss;

/**
 * A reusable workspace that evaluates the location entropy {@code L_H} and its gradient (formulas in
 * {@link LocationEntropy}). {@link LocationEntropy} is the double-precision reference; engines may offer a
 * faster one ({@link dev.sparker.engine.Engine#locationEntropy}). Not thread-safe: one per thread.
 */
public interface EntropyWorkspace {

    /**
     * {@code L_H} at locations {@code mu} (row-major M x d); when {@code grad} is not null, also writes
     * {@code dL_H/dmu} (row-major M x d) into it.
     */
    double compute(double[] mu, double[] grad);
}
