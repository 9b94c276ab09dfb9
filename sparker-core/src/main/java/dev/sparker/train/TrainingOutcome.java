package dev.sparker.train;

/**
 * One problem's outcome in a batch: a result, or the failure that stopped that problem alone.
 *
 * @param result  the result, or null when the problem failed
 * @param failure what stopped the problem, or null when it succeeded
 */
public record TrainingOutcome(TestResult result, RuntimeException failure) {

    /**
     * {@return whether the problem trained to the end}
     */
    public boolean succeeded() {
        return failure == null;
    }

    /**
     * {@return the result, or the failure rethrown}
     */
    public TestResult resultOrThrow() {
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
