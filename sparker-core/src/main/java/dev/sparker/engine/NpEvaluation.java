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

    /**
     * A buffer for M kernels in d dimensions.
     *
     * @param kernels   M
     * @param dimension d
     */
    public NpEvaluation(int kernels, int dimension) {
        this.coefficientGradient = new double[kernels];
        this.locationGradient = new double[kernels * dimension];
    }

    /**
     * A buffer for a shape's M and d.
     *
     * @param shape the kernel shape
     */
    public NpEvaluation(KernelShape shape) {
        this(shape.kernels(), shape.dimension());
    }

    /**
     * {@return the loss value {@code L_NP}}
     */
    public double loss() {
        return loss;
    }

    /**
     * Sets the loss value (engines call it).
     *
     * @param loss {@code L_NP}
     */
    public void setLoss(double loss) {
        this.loss = loss;
    }

    /**
     * {@return the live {@code dL/da} buffer, length M (engines write into it)}
     */
    public double[] coefficientGradient() {
        return coefficientGradient;
    }

    /**
     * {@return the live {@code dL/dmu} buffer, row-major {@code M x d} (engines write into it)}
     */
    public double[] locationGradient() {
        return locationGradient;
    }
}
