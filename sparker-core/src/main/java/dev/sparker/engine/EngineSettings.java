package dev.sparker.engine;

/**
 * How a bound problem is evaluated: the precision and the number of threads one evaluation may use.
 * Engines that are single-threaded by design ignore {@code threads}. The thread count changes the speed,
 * never the numbers: every engine gives the same bits for the same inputs whatever {@code threads} is
 * (engines partition work by the number of events, not by the number of threads).
 *
 * @param precision FLOAT or DOUBLE
 * @param threads   threads one evaluation may use, at least 1
 */
public record EngineSettings(Precision precision, int threads) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException when the precision is null or threads is below 1
     */
    public EngineSettings {
        if (precision == null) {
            throw new IllegalArgumentException("precision must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + "; at least one thread is needed");
        }
    }

    /**
     * {@return {@code precision} on every processor of this machine ({@link Runtime#availableProcessors()})}
     *
     * @param precision FLOAT or DOUBLE
     */
    public static EngineSettings allProcessors(Precision precision) {
        return new EngineSettings(precision, Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@return double precision on one thread}
     */
    public static EngineSettings singleThreadDouble() {
        return new EngineSettings(Precision.DOUBLE, 1);
    }
}
