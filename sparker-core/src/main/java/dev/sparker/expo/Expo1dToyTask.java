package dev.sparker.expo;

import dev.sparker.calibration.ToyOutcome;
import dev.sparker.calibration.ToyTask;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.model.Samples;
import dev.sparker.train.Convergence;
import dev.sparker.train.Schedule;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingListener;
import dev.sparker.train.TrainingOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One EXPO-1D toy: a data toy drawn from the toy's seed (background plus {@code signal}), trained against
 * the shared reference at each fixed width. The training seed (initial kernel locations, drawn from the
 * toy's own data) is the configuration's seed, the same for every toy, so a toy trained alone and inside a
 * batch gives the same bits.
 */
public final class Expo1dToyTask implements ToyTask {
    private final Samples reference;
    private final Expo1dSignal signal;
    private final List<TrainingConfig> configs;
    private final Engine engine;
    private final EngineSettings settings;

    /**
     * One EXPO-1D toy per call: toy i of {@code signal} is {@code Expo1d.dataToy(signal, seed)}, trained once per
     * width against the shared reference.
     *
     * @param reference the shared reference (weights N0 / N_R)
     * @param signal    what the data toys hold besides background
     * @param config    training configuration; its width is replaced by each of {@code sigmas}
     * @param sigmas    the fixed kernel widths, at least one
     * @param engine    the engine every toy trains on (toys run in parallel, so it must be thread-safe, as
     *                  every engine is: a bound problem belongs to one training)
     * @param settings  the engine's precision and threads per evaluation (usually one: toys are the
     *                  parallel unit)
     * @throws IllegalArgumentException when an argument is null or no sigma is given
     */
    public Expo1dToyTask(Samples reference, Expo1dSignal signal, TrainingConfig config, double[] sigmas,
                         Engine engine, EngineSettings settings) {
        if (reference == null || signal == null || config == null) {
            throw new IllegalArgumentException("reference, signal and configuration must not be null");
        }
        if (engine == null || settings == null) {
            throw new IllegalArgumentException("an engine and its settings are needed");
        }
        this.engine = engine;
        this.settings = settings;
        if (sigmas == null || sigmas.length == 0) {
            throw new IllegalArgumentException("at least one kernel width is needed");
        }
        this.reference = reference;
        this.signal = signal;
        List<TrainingConfig> c = new ArrayList<>();
        for (double s : sigmas) {
            c.add(config.toBuilder().sigma(s).build());
        }
        this.configs = Collections.unmodifiableList(c);
    }

    /**
     * {@return one training configuration per width, sigma fixed (their hash names the ensemble)}
     */
    public List<TrainingConfig> configs() {
        return configs;
    }

    /** {@return the engine every toy trains on} */
    public Engine engine() {
        return engine;
    }

    /** {@return the engine's precision and threads per evaluation} */
    public EngineSettings settings() {
        return settings;
    }

    /**
     * {@return the full training result of toy {@code seed} at width number {@code width} (for plots)}
     *
     * @param seed  the toy's seed
     * @param width index into the widths, from 0
     */
    public TestResult train(long seed, int width) {
        return Trainer.train(reference, Expo1d.dataToy(signal, seed), configs.get(width), engine, settings,
                TrainingListener.NONE);
    }

    @Override
    public ToyOutcome run(int index, long seed) {
        Samples data = Expo1d.dataToy(signal, seed);
        double[] t = new double[configs.size()];
        double lowest = Double.NaN;
        Convergence convergence = null;
        for (int w = 0; w < configs.size(); w++) {
            TestResult r = Trainer.train(reference, data, configs.get(w), engine, settings, TrainingListener.NONE);
            t[w] = r.t();
            if (w == 0) {
                lowest = r.lowestLoss();
                convergence = recorded(r);
            }
        }
        return new ToyOutcome(t[0], lowest, configs.size() > 1 ? t : null, convergence);
    }

    @Override
    public List<ToyOutcome> runBatch(int[] indices, long[] seeds) {
        List<Samples> data = new ArrayList<>(indices.length);
        List<Samples> refs = new ArrayList<>(indices.length);
        for (long seed : seeds) {
            data.add(Expo1d.dataToy(signal, seed));
            refs.add(reference);
        }
        double[][] t = new double[indices.length][configs.size()];
        double[] lowest = new double[indices.length];
        Convergence[] convergence = new Convergence[indices.length];
        for (int w = 0; w < configs.size(); w++) {
            List<TrainingOutcome> outcomes = Trainer.trainBatch(refs, data, configs.get(w), engine, settings,
                    TrainingListener.NONE);
            for (int k = 0; k < indices.length; k++) {
                TestResult r = outcomes.get(k).resultOrThrow();
                t[k][w] = r.t();
                if (w == 0) {
                    lowest[k] = r.lowestLoss();
                    convergence[k] = recorded(r);
                }
            }
        }
        List<ToyOutcome> out = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            out.add(new ToyOutcome(t[k][0], lowest[k], configs.size() > 1 ? t[k] : null, convergence[k]));
        }
        return out;
    }

    /** The convergence record a row carries: the converged schedule's only, so paper-schedule rows stay as they were. */
    private static Convergence recorded(TestResult r) {
        return r.convergence() != null && r.convergence().schedule() == Schedule.CONVERGED ? r.convergence() : null;
    }
}
