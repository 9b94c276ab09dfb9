package dev.sparker.calibration;

/**
 * Hears an ensemble's progress; called from worker threads, one call at a time (the ensemble serialises
 * the calls). An exception thrown here stops the ensemble (toys already written stay in the file).
 */
@FunctionalInterface
public interface EnsembleListener {
    /**
     * A listener that does nothing.
     */
    EnsembleListener NONE = (row, done, total) -> { };

    /**
     * Toy {@code row} has been written; {@code done} of {@code total} toys are now in the file.
     *
     * @param row   the finished toy's row
     * @param done  toys in the file now
     * @param total toys the ensemble asks for
     */
    void toyDone(ToyRow row, int done, int total);

    /**
     * Called once before any toy runs, with how many were already in the file (resumed).
     *
     * @param alreadyDone toys found in the file (resumed)
     * @param total       toys the ensemble asks for
     */
    default void started(int alreadyDone, int total) {
    }
}
