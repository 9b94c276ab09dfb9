package dev.sparker.train;

/** Thrown when a loss or gradient becomes non-finite during training; names the epoch, phase and step. */
public final class TrainingDivergedException extends RuntimeException {
    /** The 1-based epoch. */
    private final int epoch;
    /** The phase. */
    private final Phase phase;
    /** The 1-based step within the phase. */
    private final int step;

    /**
     * A divergence at a given place of the schedule; the message names it and suggests a remedy.
     *
     * @param epoch 1-based epoch
     * @param phase the phase that diverged
     * @param step  1-based step within the phase
     * @param what  what became non-finite (the loss, a gradient)
     */
    public TrainingDivergedException(int epoch, Phase phase, int step, String what) {
        super("training diverged at epoch " + epoch + ", " + phase.name().toLowerCase(java.util.Locale.ROOT)
                + " phase, step " + step + ": " + what
                + " (try a smaller learning rate or a larger penalty)");
        this.epoch = epoch;
        this.phase = phase;
        this.step = step;
    }

    /**
     * {@return the 1-based epoch}
     */
    public int epoch() {
        return epoch;
    }

    /**
     * {@return the phase (coefficients or locations) that diverged}
     */
    public Phase phase() {
        return phase;
    }

    /**
     * {@return the 1-based step within the phase}
     */
    public int step() {
        return step;
    }
}
