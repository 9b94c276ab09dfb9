package dev.sparker.train;

/**
 * The Adam optimiser (Kingma and Ba) with bias correction, updating a parameter vector in place. The state
 * (first and second moments, step count) persists across calls, so one instance per training phase keeps
 * its memory across epochs.
 * <pre>
 *   m &lt;- b1 m + (1 - b1) g,   v &lt;- b2 v + (1 - b2) g^2,   t &lt;- t + 1
 *   theta &lt;- theta - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 */
public final class Adam {
    /**
     * Decay of the first moment, b1.
     */
    public static final double BETA1 = 0.9;
    /**
     * Decay of the second moment, b2.
     */
    public static final double BETA2 = 0.999;
    /**
     * The denominator's guard, eps.
     */
    public static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double[] m;
    private final double[] v;
    private long t;

    /**
     * An optimiser for a parameter vector of {@code size} values, moments zero.
     *
     * @param size         number of parameters, at least 1
     * @param learningRate the step size lr, finite and > 0
     * @throws IllegalArgumentException when size is below 1 or the learning rate is not finite and > 0
     */
    public Adam(int size, double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate = " + learningRate + "; it must be finite and > 0");
        }
        this.learningRate = learningRate;
        this.m = new double[size];
        this.v = new double[size];
    }

    /**
     * One update of {@code params} along {@code grad}.
     *
     * @param params the parameters, updated in place (length {@code size})
     * @param grad   the loss gradient at {@code params} (same length)
     */
    public void step(double[] params, double[] grad) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            params[i] -= learningRate * mHat / (Math.sqrt(vHat) + EPSILON);
        }
    }

    /**
     * {@return the number of steps taken}
     */
    public long steps() {
        return t;
    }
}
