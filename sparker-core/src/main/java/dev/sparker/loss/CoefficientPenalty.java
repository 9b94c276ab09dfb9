package dev.sparker.loss;

/**
 * The L2 penalty on the coefficients used in the coefficient phase.
 * <pre>
 *   MEAN:  L_a = lambda_a (1/M) sum_i a_i^2     dL_a/da_i = 2 lambda_a a_i / M
 *   SUM:   L_a = lambda_a sum_i a_i^2           dL_a/da_i = 2 lambda_a a_i
 * </pre>
 */
public final class CoefficientPenalty {
    private final double lambda;
    private final PenaltyMode mode;

    /**
     * The penalty {@code L_a = lambda (1/M) sum_i a_i^2} ({@code MEAN}, paper section 2) or without the 1/M
     * ({@code SUM}).
     *
     * @param lambda the weight lambda_a, finite and &gt;= 0
     * @param mode   MEAN or SUM
     * @throws IllegalArgumentException when lambda is negative or not finite, or the mode is null
     */
    public CoefficientPenalty(double lambda, PenaltyMode mode) {
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("coefficient penalty lambda_a = " + lambda + "; it must be finite and >= 0");
        }
        if (mode == null) {
            throw new IllegalArgumentException("penalty mode must not be null");
        }
        this.lambda = lambda;
        this.mode = mode;
    }

    private double scale(int m) {
        return mode == PenaltyMode.MEAN ? lambda / m : lambda;
    }

    /**
     * {@return the penalty {@code L_a(a)}, already weighted by lambda_a}
     *
     * @param a the M coefficients
     */
    public double value(double[] a) {
        double s = 0;
        for (double ai : a) {
            s += ai * ai;
        }
        return scale(a.length) * s;
    }

    /**
     * Adds {@code dL_a/da} to {@code grad}.
     *
     * @param a    the M coefficients
     * @param grad M values, incremented in place
     */
    public void addGradient(double[] a, double[] grad) {
        double twoScale = 2 * scale(a.length);
        for (int i = 0; i < a.length; i++) {
            grad[i] += twoScale * a[i];
        }
    }
}
