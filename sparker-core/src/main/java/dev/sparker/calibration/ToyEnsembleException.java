package dev.sparker.calibration;

/** A toy ensemble stopped because a toy or its listener failed; the rows written so far stay in the file. */
public final class ToyEnsembleException extends RuntimeException {
    /**
     * A failure of the ensemble.
     *
     * @param message what failed (the toy's index)
     * @param cause   the toy's or the listener's exception
     */
    public ToyEnsembleException(String message, Throwable cause) {
        super(message, cause);
    }
}
