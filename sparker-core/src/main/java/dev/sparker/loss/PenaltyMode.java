package dev.sparker.loss;

/** How the coefficient penalty is normalised. */
public enum PenaltyMode {
    /** {@code lambda_a (1/M) sum_i a_i^2}, as in the paper. */
    MEAN,
    /** {@code lambda_a sum_i a_i^2}, as in the authors' public code. */
    SUM
}
