package dev.sparker.train;

/** Thrown when a loss or gradient becomes non-finite during training; names the epoch, phase and step. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final Phase phase;
    private final int step;

    public TrainingDivergedException(int epoch, Phase phase, int step, String what) {
        super("training diverged at epoch " + epoch + ", " + phase.name().toLowerCase(java.util.Locale.ROOT)
                + " phase, step " + step + ": " + what
                + " (try a smaller learning rate or a larger penalty)");
        this.epoch = epoch;
        this.phase = phase;
        this.step = step;
    }

    /** 1-based epoch. */
    public int epoch() {
        return epoch;
    }

    public Phase phase() {
        return phase;
    }

    /** 1-based step within the phase. */
    public int step() {
        return step;
    }
}
