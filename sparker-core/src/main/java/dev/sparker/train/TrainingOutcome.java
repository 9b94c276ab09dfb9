package dev.sparker.train;

/** One problem's outcome in a batch: a result, or the failure that stopped that problem alone. */
public record TrainingOutcome(TestResult result, RuntimeException failure) {

    public boolean succeeded() {
        return failure == null;
    }

    /** The result, or the failure rethrown. */
    public TestResult resultOrThrow() {
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
