package dev.sparker.engine;

/**
 * Which derivatives of the NP loss an evaluation must fill in besides the loss value.
 * {@link #COEFFICIENT_HESSIAN} asks for {@code dL/da} and the second moments of the kernel values over the
 * reference events, {@code H_ij = d^2 L_NP / da_i da_j = sum_{x in R} w_x e^{f(x)} k_i(x) k_j(x)} (the data
 * term of {@code L_NP} is linear in {@code a} and adds nothing), which the exact coefficient phase needs.
 */
public enum GradientRequest {
    /**
     * The loss value only.
     */
    LOSS_ONLY(false, false, false),
    /**
     * The loss and {@code dL/da} (the coefficient phase).
     */
    COEFFICIENTS(true, false, false),
    /**
     * The loss and {@code dL/dmu} (the location phase).
     */
    LOCATIONS(false, true, false),
    /**
     * The loss and both gradients.
     */
    BOTH(true, true, false),
    /**
     * The loss, {@code dL/da} and the coefficient Hessian {@code d^2 L_NP / da da} (the exact coefficient phase).
     */
    COEFFICIENT_HESSIAN(true, false, true);

    private final boolean coefficients;
    private final boolean locations;
    private final boolean hessian;

    GradientRequest(boolean coefficients, boolean locations, boolean hessian) {
        this.coefficients = coefficients;
        this.locations = locations;
        this.hessian = hessian;
    }

    /**
     * {@return whether {@code dL/da} is needed}
     */
    public boolean wantsCoefficients() {
        return coefficients;
    }

    /**
     * {@return whether {@code dL/dmu} is needed}
     */
    public boolean wantsLocations() {
        return locations;
    }

    /**
     * {@return whether the M x M matrix {@code d^2 L_NP / da da} is needed (see
     * {@link NpEvaluation#coefficientHessian()})}
     */
    public boolean wantsCoefficientHessian() {
        return hessian;
    }
}
