package dev.sparker.train;

/** Receives progress from a training; the library itself prints nothing. Called on the training thread. */
@FunctionalInterface
public interface TrainingListener {
    /**
     * A listener that does nothing.
     */
    TrainingListener NONE = (epoch, epochs, npLoss) -> { };

    /**
     * After epoch {@code epoch} (1-based) of {@code epochs}, with {@code L_NP} at the end of that epoch.
     *
     * @param epoch  the finished epoch, 1-based
     * @param epochs epochs in all
     * @param npLoss {@code L_NP} at the end of that epoch
     */
    void epochDone(int epoch, int epochs, double npLoss);
}
