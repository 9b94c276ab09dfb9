package dev.sparker;

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
 */
public final class SparKer {

    private SparKer() {
    }

    /**
     * Runs the test: trains SparKer on (reference, data) and returns {@code t = -2 L_NP} at the end of training
     * (paper section 2); see {@link TestResult#t()}.
     *
     * @param reference the reference sample R, n_R x d, weighted so that its total weight is N0 (the expected
     *                  number of data events under the null)
     * @param data      the data sample D, n_D x d, usually weight 1
     * @param config    model, schedule and engine ({@link TrainingConfig#preset} for the paper's settings)
     * @return t, the learned model, the loss history and the configuration
     * @throws IllegalArgumentException          naming a bad input (dimensions, the engine)
     * @throws dev.sparker.train.TrainingDivergedException when the loss becomes non-finite (epoch, phase, step)
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config) {
        return test(reference, data, config, TrainingListener.NONE);
    }

    /**
     * Runs the test, reporting each finished epoch to {@code listener}.
     *
     * @param reference the reference sample R, n_R x d, total weight N0
     * @param data      the data sample D, n_D x d
     * @param config    model, schedule and engine
     * @param listener  told the progress (on the calling thread)
     * @return t, the learned model, the loss history and the configuration
     * @throws IllegalArgumentException          naming a bad input
     * @throws dev.sparker.train.TrainingDivergedException when the loss becomes non-finite (epoch, phase, step)
     */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config, TrainingListener listener) {
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        return Trainer.train(reference, data, config, listener);
    }
}
