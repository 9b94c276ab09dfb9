package dev.sparker.engine;

/** Which gradients of the NP loss an evaluation must fill in besides the loss value. */
public enum GradientRequest {
    /**
     * The loss value only.
     */
    LOSS_ONLY(false, false),
    /**
     * The loss and {@code dL/da} (the coefficient phase).
     */
    COEFFICIENTS(true, false),
    /**
     * The loss and {@code dL/dmu} (the location phase).
     */
    LOCATIONS(false, true),
    /**
     * The loss and both gradients.
     */
    BOTH(true, true);

    private final boolean coefficients;
    private final boolean locations;

    GradientRequest(boolean coefficients, boolean locations) {
        this.coefficients = coefficients;
        this.locations = locations;
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
}
