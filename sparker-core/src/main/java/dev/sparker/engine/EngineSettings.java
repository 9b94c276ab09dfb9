package dev.sparker.engine;

/**
 * How a bound problem is evaluated: the precision and the number of threads one evaluation may use.
 * Engines that are single-threaded by design ignore {@code threads}.
 */
public record EngineSettings(Precision precision, int threads) {

    public EngineSettings {
        if (precision == null) {
            throw new IllegalArgumentException("precision must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + "; at least one thread is needed");
        }
    }

    /** {@code precision} on every processor of this machine ({@link Runtime#availableProcessors()}). */
    public static EngineSettings allProcessors(Precision precision) {
        return new EngineSettings(precision, Runtime.getRuntime().availableProcessors());
    }

    /** Double precision on one thread. */
    public static EngineSettings singleThreadDouble() {
        return new EngineSettings(Precision.DOUBLE, 1);
    }
}
