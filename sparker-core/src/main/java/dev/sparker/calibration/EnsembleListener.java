package dev.sparker.calibration;

/**
 * Hears an ensemble's progress; called from worker threads, one call at a time (the ensemble serialises
 * the calls). An exception thrown here stops the ensemble (toys already written stay in the file).
 */
@FunctionalInterface
public interface EnsembleListener {
    EnsembleListener NONE = (row, done, total) -> { };

    /** Toy {@code row} has been written; {@code done} of {@code total} toys are now in the file. */
    void toyDone(ToyRow row, int done, int total);

    /** Called once before any toy runs, with how many were already in the file (resumed). */
    default void started(int alreadyDone, int total) {
    }
}
