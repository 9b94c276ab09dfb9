package dev.sparker;

import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.model.Samples;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingListener;

/**
 * The one-call entry point: trains a SparKer model on (reference, data) and returns the NPLM test statistic
 * with everything needed to interpret and reproduce it. Validates its inputs and throws
 * {@link IllegalArgumentException} naming the problem; a diverging training throws
 * {@link dev.sparker.train.TrainingDivergedException}. Prints nothing, never exits, safe to call from many
 * threads at once.
 *
 * <p>The engine is an argument ({@link #test(Samples, Samples, TrainingConfig, Engine, EngineSettings,
 * TrainingListener)}); the three-argument {@link #test(Samples, Samples, TrainingConfig)} is the convenience
 * that picks the engine automatically.
 */
public final class SparKer {

    private SparKer() {
    }

    /**
     * Convenience: runs the test on the automatically selected engine ({@link Engines#select(String)} with
     * {@code "auto"}, which honours the {@value Engines#ENGINE_PROPERTY} system property) in double precision
     * on every processor. See {@link TestResult#t()}.
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config) {
        return test(reference, data, config, Engines.select(Engines.AUTO).engine(),
                EngineSettings.allProcessors(Precision.DOUBLE), TrainingListener.NONE);
    }

    /** Runs the test on {@code engine} with {@code settings} (precision, threads per evaluation). */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config, Engine engine,
                                  EngineSettings settings) {
        return test(reference, data, config, engine, settings, TrainingListener.NONE);
    }

    /**
     * Runs the test on {@code engine} with {@code settings}, reporting each finished epoch to
     * {@code listener} (null for none).
     *
     * @throws IllegalStateException the engine is not available on this machine (with its reason)
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config, Engine engine,
                                  EngineSettings settings, TrainingListener listener) {
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        return Trainer.train(reference, data, config, engine, settings, listener);
    }
}
