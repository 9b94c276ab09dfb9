package dev.sparker.engine;

/** Which gradients of the NP loss an evaluation must fill in besides the loss value. */
public enum GradientRequest {
    LOSS_ONLY(false, false),
    COEFFICIENTS(true, false),
    LOCATIONS(false, true),
    BOTH(true, true);

    private final boolean coefficients;
    private final boolean locations;

    GradientRequest(boolean coefficients, boolean locations) {
        this.coefficients = coefficients;
        this.locations = locations;
    }

    public boolean wantsCoefficients() {
        return coefficients;
    }

    public boolean wantsLocations() {
        return locations;
    }
}
