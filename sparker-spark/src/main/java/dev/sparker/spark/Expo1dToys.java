package dev.sparker.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.ToyTask;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dToyTask;
import dev.sparker.train.TrainingConfig;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * EXPO-1D SparKer toys on an executor: the reference is drawn again there from its size and seed (N_R Exp(1)
 * events, the same bits as on the driver), the configuration travels as JSON and the engine by name
 * ({@link EngineChoice}, looked up on the executor), and the task is {@link Expo1dToyTask} at the given fixed
 * widths.
 */
public final class Expo1dToys implements ToyTaskFactory {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** N_R. */
    private final int referenceSize;
    /** The reference's seed. */
    private final long referenceSeed;
    /** What the data toys hold besides background. */
    private final Expo1dSignal signal;
    /** The training configuration as JSON. */
    private final String configJson;
    /** The fixed kernel widths. */
    private final double[] sigmas;
    /** The engine, by name, with its settings. */
    private final EngineChoice engine;

    /**
     * Toys of one EXPO-1D ensemble.
     *
     * @param referenceSize N_R
     * @param referenceSeed the reference's seed ({@link Expo1d#reference(int, long)})
     * @param signal        what the data toys hold besides background ({@link Expo1dSignal#NONE}: null toys)
     * @param config        the training configuration
     * @param sigmas        the fixed kernel widths, at least one
     * @param engine        the engine to look up on the executor, with its settings
     */
    public Expo1dToys(int referenceSize, long referenceSeed, Expo1dSignal signal, TrainingConfig config, double[] sigmas,
                      EngineChoice engine) {
        if (referenceSize < 1) {
            throw new IllegalArgumentException("reference size N_R = " + referenceSize + "; at least 1");
        }
        if (signal == null || config == null || engine == null) {
            throw new IllegalArgumentException("signal, configuration and engine must not be null");
        }
        if (sigmas == null || sigmas.length == 0) {
            throw new IllegalArgumentException("at least one kernel width is needed");
        }
        this.referenceSize = referenceSize;
        this.referenceSeed = referenceSeed;
        this.signal = signal;
        this.sigmas = sigmas.clone();
        this.engine = engine;
        try {
            this.configJson = JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the training configuration as JSON", e);
        }
    }

    /** {@return the configuration, as the executor reads it back} */
    public TrainingConfig config() {
        try {
            return JSON.readValue(configJson, TrainingConfig.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot read the training configuration back from JSON: " + configJson, e);
        }
    }

    /** {@return what the ensemble's hash is taken of ({@link ConfigHash#trainingKey}: configuration, engine, settings)} */
    public Map<String, Object> trainingKey() {
        return ConfigHash.trainingKey(config(), engine.name(), engine.settings());
    }

    @Override
    public ToyTask create() {
        return new Expo1dToyTask(Expo1d.reference(referenceSize, referenceSeed), signal, config(), sigmas, engine.engine(),
                engine.settings());
    }
}
