package dev.sparker.expo;

import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.engine.EngineSettings;
import dev.sparker.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How EXPO-1D toy ensembles are named: the key hashed into every row ({@link ConfigHash}), each signal's
 * master seed and the ensemble file's name. One definition, so that the command line, a sharded run and a
 * Spark job write interchangeable files for the same settings (toy {@code i} of signal {@code s} has seed
 * {@code ToySeeds.seed(masterSeed(seed, s), i)} wherever it runs).
 */
public final class Expo1dEnsembles {

    private Expo1dEnsembles() {
    }

    /**
     * {@return the key every model shares: the benchmark, the reference (size and seed) and the widths}
     *
     * @param referenceSize  N_R
     * @param seed           the run's seed (it seeds the reference)
     * @param widthQuantiles the width quantiles asked for
     * @param sigmas         the widths they resolved to
     */
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
     * {@return SparKer's key}: the common key and the training key ({@link ConfigHash#trainingKey}: the
     * configuration, before its width is fixed, with the engine's name, precision and threads per toy).
     *
     * @param commonKey  {@link #commonKey}
     * @param training   the training configuration
     * @param engineName the engine's name
     * @param settings   the engine's settings per toy
     */
    public static Map<String, Object> sparkerKey(Map<String, Object> commonKey, TrainingConfig training, String engineName,
                                                 EngineSettings settings) {
        Map<String, Object> key = new LinkedHashMap<>(commonKey);
        key.put("training", ConfigHash.trainingKey(training, engineName, settings));
        return key;
    }

    /**
     * {@return the master seed of signal {@code s}'s ensemble ({@link Expo1dSignal#NONE}: the null toys)}
     *
     * @param seed the run's seed
     * @param s    the signal
     */
    public static long masterSeed(long seed, Expo1dSignal s) {
        return ToySeeds.seed(seed, 1_000_000L + s.ordinal());
    }

    /**
     * {@return the configuration hash of signal {@code s}'s ensemble under a model's key}
     *
     * @param modelKey the model's key ({@link #sparkerKey} for SparKer)
     * @param s        the signal
     * @param seed     the run's seed
     */
    public static String hash(Map<String, Object> modelKey, Expo1dSignal s, long seed) {
        Map<String, Object> k = new LinkedHashMap<>(modelKey);
        k.put("signal", s.cliName());
        k.put("masterSeed", masterSeed(seed, s));
        return ConfigHash.of(k);
    }

    /**
     * {@return the ensemble's file name}: {@code [prefix]null-M10-HASH.jsonl} or
     * {@code [prefix]signal-tail-M10-HASH.jsonl}.
     *
     * @param prefix  model prefix ("" for SparKer, "falkon-" for Falkon-NPLM)
     * @param s       the signal
     * @param kernels M
     * @param hash    the ensemble's configuration hash
     */
    public static String fileName(String prefix, Expo1dSignal s, int kernels, String hash) {
        String base = s == Expo1dSignal.NONE ? "null" : "signal-" + s.cliName();
        return String.format(Locale.ROOT, "%s%s-M%d-%s.jsonl", prefix, base, kernels, hash);
    }

    /**
     * {@return the prefix of a model's ensemble files: {@code NAME-}} (SparKer's files carry none, the names expo1d
     * always used)
     *
     * @param modelName the model's name in results ("falkon")
     */
    public static String filePrefix(String modelName) {
        return modelName + "-";
    }

    /**
     * {@return the name of a run's settings file ({@link Expo1dStudy.RunSettings}): {@code [prefix]run-settings.json}}
     *
     * @param prefix model prefix ("" for SparKer, "falkon-" for Falkon-NPLM: {@link #filePrefix})
     */
    public static String settingsFileName(String prefix) {
        return prefix + "run-settings.json";
    }

    /** What {@link #fileName} writes, read back: an optional prefix, the ensemble, M and the hash. */
    private static final Pattern FILE_NAME =
            Pattern.compile("([a-z]+-)?(?:null|signal-([a-z][a-z-]*))-M(\\d+)-([0-9a-f]+)\\.jsonl");

    /**
     * An ensemble file's name taken apart: the inverse of {@link #fileName}.
     *
     * @param prefix  model prefix ("" for SparKer, "falkon-" for Falkon-NPLM)
     * @param signal  the signal ({@link Expo1dSignal#NONE} for the null ensemble)
     * @param kernels M
     * @param hash    the ensemble's configuration hash
     */
    public record EnsembleFile(String prefix, Expo1dSignal signal, int kernels, String hash) {

        /** {@return true for the null ensemble (no signal)} */
        public boolean isNull() {
            return signal == Expo1dSignal.NONE;
        }
    }

    /**
     * Reads an ensemble file's name back into its parts, so that whoever lists a run folder names files the
     * way {@link #fileName} writes them.
     *
     * @param name a file name (no folder)
     * @return its parts, or empty when {@code name} is not an EXPO-1D ensemble file's name (another file, or a
     *         signal this version does not know)
     */
    public static Optional<EnsembleFile> parseFileName(String name) {
        Matcher m = FILE_NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Expo1dSignal s = Expo1dSignal.NONE;
        if (m.group(2) != null) {
            try {
                s = Expo1dSignal.parse(m.group(2));
            } catch (IllegalArgumentException unknown) {
                return Optional.empty();
            }
            if (s == Expo1dSignal.NONE || !s.cliName().equals(m.group(2))) {
                return Optional.empty();
            }
        }
        String prefix = m.group(1) == null ? "" : m.group(1);
        return Optional.of(new EnsembleFile(prefix, s, Integer.parseInt(m.group(3)), m.group(4)));
    }
}
