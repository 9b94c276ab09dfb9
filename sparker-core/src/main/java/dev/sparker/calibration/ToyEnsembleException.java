package dev.sparker.calibration;

/** A toy ensemble stopped because a toy or its listener failed; the rows written so far stay in the file. */
public final class ToyEnsembleException extends RuntimeException {
    public ToyEnsembleException(String message, Throwable cause) {
        super(message, cause);
    }
}
