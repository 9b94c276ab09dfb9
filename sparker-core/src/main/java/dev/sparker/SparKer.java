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

    /** Runs the test; see {@link TestResult#t()}. */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config) {
        return test(reference, data, config, TrainingListener.NONE);
    }

    /** Runs the test, reporting each finished epoch to {@code listener}. */
    public static TestResult test(Samples reference, Samples data, TrainingConfig config, TrainingListener listener) {
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        return Trainer.train(reference, data, config, listener);
    }
}
