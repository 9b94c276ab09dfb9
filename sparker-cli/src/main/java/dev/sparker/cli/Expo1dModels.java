package dev.sparker.cli;

import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToyTask;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.expo.Expo1dEnsembles;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dToyTask;
import dev.sparker.falkon.FalkonConfig;
import dev.sparker.falkon.FalkonExpo1dToyTask;
import dev.sparker.model.Samples;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The EXPO-1D ensembles of {@code expo1d} and {@code compare}: one model at one M on a shared reference, its
 * ensemble key (hashed into each JSON-lines file) and its toy tasks. Both models draw toy {@code i} of signal
 * {@code s} from the same seed, {@code ToySeeds.seed(masterSeed(seed, s), i)}, so they see the same toys.
 */
final class Expo1dModels {

    /** The models the command line runs. */
    enum Model {
        SPARKER, FALKON;

        String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Prefix of this model's output files: none for SparKer (the names expo1d always used), "falkon-" else. */
        String filePrefix() {
            return this == SPARKER ? "" : cliName() + "-";
        }

        static Model parse(String s) {
            for (Model m : values()) {
                if (m.cliName().equalsIgnoreCase(s.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown model '" + s + "'; use sparker or falkon");
        }
    }

    /**
     * One model at one M.
     *
     * @param model   which model
     * @param kernels M (kernels for SparKer, Nystrom centres for Falkon)
     * @param key     the ensemble key without the signal and master seed
     * @param tasks   the toy task of each signal
     * @param config  the model's configuration (for result files)
     */
    record Setup(Model model, int kernels, Map<String, Object> key, Function<Expo1dSignal, ToyTask> tasks, Object config) {
    }

    /**
     * An ensemble's outcome.
     *
     * @param t             t of each toy at each width
     * @param secondsPerToy mean wall time of one toy over all its rows (resumed rows included)
     * @param wallSeconds   wall time of this run of the ensemble (0 when every toy was already done)
     * @param file          the JSON-lines file
     */
    record Ensemble(double[][] t, double secondsPerToy, double wallSeconds, Path file) {
        double[] column(int w) {
            double[] c = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                c[i] = t[i][w];
            }
            return c;
        }
    }

    private Expo1dModels() {
    }

    /** The key both models share: the benchmark, the reference and the widths. */
    static Map<String, Object> commonKey(int referenceSize, long seed, List<Double> widthQuantiles, double[] sigmas) {
        return Expo1dEnsembles.commonKey(referenceSize, seed, widthQuantiles, sigmas);
    }

    /** SparKer: the key {@code expo1d} has always used (so earlier output folders resume). */
    static Setup sparker(Samples reference, TrainingConfig base, double[] sigmas, Engine engine, EngineSettings settings,
                         Map<String, Object> commonKey) {
        Map<String, Object> key = Expo1dEnsembles.sparkerKey(commonKey, base, engine.name(), settings);
        return new Setup(Model.SPARKER, base.kernels(), key,
                s -> new Expo1dToyTask(reference, s, base, sigmas, engine, settings), base);
    }

    /** The Falkon configuration of {@code M} centres with the first width fixed (the toy's seed replaces the seed). */
    static FalkonConfig falkonConfig(int kernels, double lambda, int newtonSteps, double sigma) {
        return FalkonConfig.defaults(kernels, lambda).toBuilder().newtonSteps(newtonSteps)
                .width(WidthSpec.fixed(sigma)).threads(1).build();
    }

    /** Falkon-NPLM: the model and its configuration are in the key, so its files never mix with SparKer's. */
    static Setup falkon(Samples reference, FalkonConfig base, double[] sigmas, Map<String, Object> commonKey) {
        Map<String, Object> key = new LinkedHashMap<>(commonKey);
        key.put("model", Model.FALKON.cliName());
        key.put("falkon", base);
        return new Setup(Model.FALKON, base.centres(), key, s -> new FalkonExpo1dToyTask(reference, s, base, sigmas), base);
    }

    /** The master seed of signal {@code s}'s ensemble (NONE: the null toys). */
    static long masterSeed(long seed, Expo1dSignal s) {
        return Expo1dEnsembles.masterSeed(seed, s);
    }

    /** The JSON-lines file of an ensemble. */
    static Path file(Setup setup, Expo1dSignal s, long seed, Path out) {
        return out.resolve(Expo1dEnsembles.fileName(setup.model().filePrefix(), s, setup.kernels(), hash(setup, s, seed)));
    }

    /**
     * The signals named by {@code --signal} (names, or {@code all} for the four), each once, in the order
     * given; a bad name or {@code none} is a {@link CommandLine.ParameterException} of {@code commandLine}.
     */
    static List<Expo1dSignal> parseSignals(List<String> names, CommandLine commandLine) {
        List<Expo1dSignal> list = new ArrayList<>();
        for (String s : names) {
            List<Expo1dSignal> named;
            if (s.equalsIgnoreCase("all")) {
                named = List.of(Expo1dSignal.BULK, Expo1dSignal.TAIL, Expo1dSignal.EXTREME_TAIL, Expo1dSignal.EXCESS);
            } else {
                Expo1dSignal sig;
                try {
                    sig = Expo1dSignal.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(commandLine, "--signal: " + e.getMessage());
                }
                if (sig == Expo1dSignal.NONE) {
                    throw new CommandLine.ParameterException(commandLine,
                            "--signal none: give a signal (bulk, tail, extreme-tail, excess); the null toys always run");
                }
                named = List.of(sig);
            }
            for (Expo1dSignal x : named) {
                if (!list.contains(x)) {
                    list.add(x);
                }
            }
        }
        return list;
    }

    static String hash(Setup setup, Expo1dSignal s, long seed) {
        return Expo1dEnsembles.hash(setup.key(), s, seed);
    }

    /**
     * Runs (or resumes) {@code n} toys of signal {@code s}, or the shard of them {@code shards} asks for,
     * stepping {@code bar} as toys finish.
     */
    static Ensemble run(Setup setup, Expo1dSignal s, long seed, int n, Path out, int parallel, int batch, ProgressBar bar,
                        ShardOption shards) {
        long t0 = System.nanoTime();
        Path rows = file(setup, s, seed, out);
        int resumedBefore = bar.resumedToys();
        ToyEnsemble ensemble = shards.build(ToyEnsemble.builder().masterSeed(masterSeed(seed, s)).toys(n)
                .configHash(hash(setup, s, seed)).threads(parallel).batchSize(batch).listener(bar), rows);
        List<ToyRow> result = ensemble.run(setup.tasks().apply(s));
        double[][] t = new double[result.size()][];
        double seconds = 0;
        for (int i = 0; i < t.length; i++) {
            ToyRow r = result.get(i);
            t[i] = r.tByWidth() != null ? r.tByWidth() : new double[] {r.t()};
            seconds += r.wallSeconds();
        }
        double wall = bar.resumedToys() - resumedBefore == shards.share(n) ? 0 : (System.nanoTime() - t0) * 1e-9;
        return new Ensemble(t, seconds / t.length, wall, ensemble.file());
    }
}
