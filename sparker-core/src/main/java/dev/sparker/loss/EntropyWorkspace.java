package dev.sparker.loss;

/**
 * A reusable workspace that evaluates the location entropy {@code L_H} and its gradient (formulas in
 * {@link LocationEntropy}). {@link LocationEntropy} is the double-precision reference; engines may offer a
 * faster one ({@link dev.sparker.engine.Engine#locationEntropy}). Not thread-safe: one per thread.
 */
public interface EntropyWorkspace {

    /**
     * {@code L_H} at locations {@code mu}; when {@code grad} is not null, also writes {@code dL_H/dmu} into it.
     *
     * @param mu   the kernel locations, row-major M x d
     * @param grad null, or an array of length M d that receives {@code dL_H/dmu} (row-major M x d)
     * @return {@code L_H}
     */
    double compute(double[] mu, double[] grad);
}
