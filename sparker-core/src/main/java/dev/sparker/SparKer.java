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
     * on every processor: trains SparKer on (reference, data) and returns {@code t = -2 L_NP} at the end of
     * training (paper section 2); see {@link TestResult#t()}.
     *
     * @param reference the reference sample R, n_R x d, weighted so that its total weight is N0 (the expected
     *                  number of data events under the null)
     * @param data      the data sample D, n_D x d, usually weight 1
     * @param config    model and schedule ({@link TrainingConfig#preset} for the paper's settings)
     * @return t, the learned model, the loss history and the configuration
     * @throws IllegalArgumentException naming a bad input (dimensions, configuration)
     * @throws dev.sparker.train.TrainingDivergedException when the loss becomes non-finite (epoch, phase, step)
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config) {
        return test(reference, data, config, Engines.select(Engines.AUTO).engine(),
                EngineSettings.allProcessors(Precision.DOUBLE), TrainingListener.NONE);
    }

    /**
     * Runs the test on {@code engine} with {@code settings} (precision, threads per evaluation).
     *
     * @param reference the reference sample R, n_R x d, total weight N0
     * @param data      the data sample D, n_D x d
     * @param config    model and schedule
     * @param engine    the engine that evaluates the loss (for example {@code Engines.byName("vector")})
     * @param settings  precision and threads per evaluation
     * @return t, the learned model, the loss history and the configuration
     * @throws IllegalArgumentException naming a bad input
     * @throws IllegalStateException    the engine is not available on this machine (with its reason)
     * @throws dev.sparker.train.TrainingDivergedException when the loss becomes non-finite (epoch, phase, step)
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config, Engine engine,
                                  EngineSettings settings) {
        return test(reference, data, config, engine, settings, TrainingListener.NONE);
    }

    /**
     * Runs the test on {@code engine} with {@code settings}, reporting each finished epoch to
     * {@code listener} (null for none).
     *
     * @param reference the reference sample R, n_R x d, total weight N0
     * @param data      the data sample D, n_D x d
     * @param config    model and schedule
     * @param engine    the engine that evaluates the loss
     * @param settings  precision and threads per evaluation
     * @param listener  told the progress (on the calling thread), or null
     * @return t, the learned model, the loss history and the configuration
     * @throws IllegalArgumentException naming a bad input
     * @throws IllegalStateException the engine is not available on this machine (with its reason)
     * @throws dev.sparker.train.TrainingDivergedException when the loss becomes non-finite (epoch, phase, step)
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config, Engine engine,
                                  EngineSettings settings, TrainingListener listener) {
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        return Trainer.train(reference, data, config, engine, settings, listener);
    }
}
