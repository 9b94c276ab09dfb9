package dev.sparker.expo;

import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.engine.EngineSettings;
import dev.sparker.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How EXPO-1D toy ensembles are named: the key hashed into every row ({@link ConfigHash}), each signal's
 * master seed and the ensemble file's name. One definition, so that the command line, a sharded run and a
 * Spark job write interchangeable files for the same settings (toy {@code i} of signal {@code s} has seed
 * {@code ToySeeds.seed(masterSeed(seed, s), i)} wherever it runs).
 */
public final class Expo1dEnsembles {

    private Expo1dEnsembles() {
    }

    /** The key every model shares: the benchmark, the reference (size and seed) and the widths. */
    public static Map<String, Object> commonKey(int referenceSize, long seed, List<Double> widthQuantiles, double[] sigmas) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("benchmark", "EXPO-1D");
        key.put("N0", Expo1d.N0);
        key.put("referenceSize", referenceSize);
        key.put("referenceSeed", seed);
        key.put("widthQuantiles", widthQuantiles);
        key.put("sigmas", sigmas);
        return key;
    }

    /**
     * SparKer's key: the common key and the training key ({@link ConfigHash#trainingKey}: the configuration,
     * before its width is fixed, with the engine's name, precision and threads per toy).
     */
    public static Map<String, Object> sparkerKey(Map<String, Object> commonKey, TrainingConfig training, String engineName,
                                                 EngineSettings settings) {
        Map<String, Object> key = new LinkedHashMap<>(commonKey);
        key.put("training", ConfigHash.trainingKey(training, engineName, settings));
        return key;
    }

    /** The master seed of signal {@code s}'s ensemble ({@link Expo1dSignal#NONE}: the null toys). */
    public static long masterSeed(long seed, Expo1dSignal s) {
        return ToySeeds.seed(seed, 1_000_000L + s.ordinal());
    }

    /** The configuration hash of signal {@code s}'s ensemble under a model's key. */
    public static String hash(Map<String, Object> modelKey, Expo1dSignal s, long seed) {
        Map<String, Object> k = new LinkedHashMap<>(modelKey);
        k.put("signal", s.cliName());
        k.put("masterSeed", masterSeed(seed, s));
        return ConfigHash.of(k);
    }

    /**
     * The ensemble's file name: {@code [prefix]null-M10-HASH.jsonl} or {@code [prefix]signal-tail-M10-HASH.jsonl}.
     *
     * @param prefix  model prefix ("" for SparKer, "falkon-" for Falkon-NPLM)
     * @param kernels M
     */
    public static String fileName(String prefix, Expo1dSignal s, int kernels, String hash) {
        String base = s == Expo1dSignal.NONE ? "null" : "signal-" + s.cliName();
        return String.format(Locale.ROOT, "%s%s-M%d-%s.jsonl", prefix, base, kernels, hash);
    }
}
