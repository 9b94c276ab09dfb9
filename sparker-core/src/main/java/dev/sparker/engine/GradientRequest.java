package dev.sparker.engine;

/**
 * Which derivatives of the NP loss an evaluation must fill in besides the loss value.
 * {@link #COEFFICIENT_HESSIAN} asks for {@code dL/da} and the second moments of the kernel values over the
 * reference events, {@code H_ij = d^2 L_NP / da_i da_j = sum_{x in R} w_x e^{f(x)} k_i(x) k_j(x)} (the data
 * term of {@code L_NP} is linear in {@code a} and adds nothing), which the exact coefficient phase needs.
 */
public enum GradientRequest {
    LOSS_ONLY(false, false, false),
    COEFFICIENTS(true, false, false),
    LOCATIONS(false, true, false),
    BOTH(true, true, false),
    COEFFICIENT_HESSIAN(true, false, true);

    private final boolean coefficients;
    private final boolean locations;
    private final boolean hessian;

    GradientRequest(boolean coefficients, boolean locations, boolean hessian) {
        this.coefficients = coefficients;
        this.locations = locations;
        this.hessian = hessian;
    }

    public boolean wantsCoefficients() {
        return coefficients;
    }

    public boolean wantsLocations() {
        return locations;
    }

    /** Whether the M x M matrix {@code d^2 L_NP / da da} is asked for (see {@link NpEvaluation#coefficientHessian()}). */
    public boolean wantsCoefficientHessian() {
        return hessian;
    }
}
