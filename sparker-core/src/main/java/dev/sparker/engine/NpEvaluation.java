package dev.sparker.engine;

import dev.sparker.model.KernelShape;

/**
 * A reusable output buffer for one evaluation of the Neyman–Pearson loss: the value {@code L_NP} and, when
 * requested, {@code dL/da} (length {@code M}) and {@code dL/dmu} (row-major {@code M x d}). Gradients
 * that were not requested are left unspecified.
 */
public final class NpEvaluation {
    private double loss;
    private final double[] coefficientGradient;
    private final double[] locationGradient;

    public NpEvaluation(int kernels, int dimension) {
        this.coefficientGradient = new double[kernels];
        this.locationGradient = new double[kernels * dimension];
    }

    public NpEvaluation(KernelShape shape) {
        this(shape.kernels(), shape.dimension());
    }

    public double loss() {
        return loss;
    }

    public void setLoss(double loss) {
        this.loss = loss;
    }

    /** The live {@code dL/da} buffer (engines write into it). */
    public double[] coefficientGradient() {
        return coefficientGradient;
    }

    /** The live {@code dL/dmu} buffer, row-major {@code M x d} (engines write into it). */
    public double[] locationGradient() {
        return locationGradient;
    }
}
