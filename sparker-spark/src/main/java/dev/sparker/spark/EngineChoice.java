package dev.sparker.spark;

import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import java.io.Serializable;

/**
 * An engine as it travels to Spark executors: an {@link Engine} holds native resources and is not
 * serialisable, so its name and settings travel instead and {@link #engine()} looks it up where the toys
 * run. Use a resolved name (never "auto", see {@link SparkEngines#resolveOnExecutor}) so that every executor
 * trains with the same engine.
 *
 * @param name      the engine's name ({@code Engine.name()})
 * @param precision its precision
 * @param threads   threads per evaluation (1 when toys are the parallel unit)
 */
public record EngineChoice(String name, Precision precision, int threads) implements Serializable {

    /**
     * Checks the choice.
     *
     * @throws IllegalArgumentException no name, no precision, or fewer than one thread
     */
    public EngineChoice {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an engine name is needed");
        }
        if (precision == null) {
            throw new IllegalArgumentException("a precision is needed");
        }
        settings(precision, threads);
    }

    private static EngineSettings settings(Precision precision, int threads) {
        return new EngineSettings(precision, threads);
    }

    /** {@return the settings, as the trainer takes them} */
    public EngineSettings settings() {
        return settings(precision, threads);
    }

    /**
     * {@return the engine, looked up here (on the executor)}
     *
     * @throws IllegalStateException the engine is not available on this machine (with its reason)
     */
    public Engine engine() {
        return Engines.select(name).engine();
    }
}
