package dev.sparker.spark;

import dev.sparker.calibration.ShardManifest;
import dev.sparker.calibration.Shard;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyRow;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dEnsembles;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job jar's entry point, run by {@code spark-submit}: {@code expo1d} runs the EXPO-1D null and signal toy
 * ensembles of {@code ./sparker expo1d} as Spark tasks and writes the same files to {@code --out} (on the
 * driver), with a manifest, so that {@code ./sparker merge --out DIR DIR} analyses them (result.json, plots)
 * without training anything again.
 */
@Command(name = "sparker-spark", mixinStandardHelpOptions = true, subcommands = SparkJob.Expo1dJob.class,
        description = "SparKer toy ensembles as Apache Spark tasks (run with spark-submit).")
public final class SparkJob implements Runnable {

    private SparkJob() {
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a job is needed: expo1d");
    }

    /** {@code expo1d}: the ensembles of {@code ./sparker expo1d} with the same flags, on Spark. */
    @Command(name = "expo1d", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"EXPO-1D null and signal toys of SparKer as Spark tasks; the flags mean what they mean for",
                    "./sparker expo1d (same defaults, same toys, same files). Analyse with ./sparker merge --out DIR DIR."})
    static final class Expo1dJob implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--signal", split = ",", paramLabel = "NAME[,NAME...]", defaultValue = "tail",
                description = "bulk, tail, extreme-tail, excess (default: ${DEFAULT-VALUE})")
        List<String> signals;
        @Option(names = {"--kernels", "-M"}, defaultValue = "10", description = "M (default: ${DEFAULT-VALUE})")
        int kernels;
        @Option(names = "--toys", defaultValue = "40", description = "signal toys per signal (default: ${DEFAULT-VALUE})")
        int toys;
        @Option(names = "--null-toys", defaultValue = "60", description = "null toys (default: ${DEFAULT-VALUE})")
        int nullToys;
        @Option(names = "--epochs", defaultValue = "20", description = "epochs (default: ${DEFAULT-VALUE}; paper: 500)")
        int epochs;
        @Option(names = "--steps", defaultValue = "20", description = "Adam steps per phase per epoch (default: ${DEFAULT-VALUE}; paper: 100)")
        int steps;
        @Option(names = "--lr", defaultValue = "0.05", description = "Adam learning rate (default: ${DEFAULT-VALUE}; paper: 0.001)")
        double learningRate;
        @Option(names = "--reference-size", defaultValue = "20000", description = "N_R (default: ${DEFAULT-VALUE}; paper: 200000)")
        int referenceSize;
        @Option(names = "--widths", split = ",", paramLabel = "Q[,Q...]", defaultValue = "0.9",
                description = "widths as quantiles of pairwise reference distances (default: ${DEFAULT-VALUE})")
        List<Double> widthQuantiles;
        @Option(names = "--engine", defaultValue = "auto",
                description = "engine name, or auto: chosen on an executor, then used for every toy (default: ${DEFAULT-VALUE})")
        String engine;
        @Option(names = "--precision", defaultValue = "DOUBLE", description = "DOUBLE or FLOAT (default: ${DEFAULT-VALUE})")
        Precision precision;
        @Option(names = "--seed", defaultValue = "1", description = "master seed (default: ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--out", required = true, description = "output folder on the driver")
        Path out;
        @Option(names = "--tasks", defaultValue = "0",
                description = "Spark tasks per ensemble (default: 4 per default parallelism, at most one per toy)")
        int tasks;
        @Option(names = "--toys-per-job", defaultValue = "0",
                description = "toys per Spark job, each merged into the file before the next (default: all at once)")
        int toysPerJob;
        @Option(names = "--ideal-toys", description = "passed on to the analysis (./sparker merge): toys per hypothesis for Z_id")
        Integer idealToys;
        @Option(names = "--no-plots", description = "passed on to the analysis (./sparker merge): skip the PNG plots")
        boolean noPlots;
        @Option(names = "--master", description = "Spark master when not run by spark-submit, e.g. local[2]")
        String master;

        private CommandLine.ParameterException bad(String m) {
            return new CommandLine.ParameterException(spec.commandLine(), m);
        }

        @Override
        public Integer call() throws IOException {
            List<Expo1dSignal> sigs = new ArrayList<>();
            for (String s : signals) {
                Expo1dSignal sig;
                try {
                    sig = Expo1dSignal.parse(s);
                } catch (IllegalArgumentException e) {
                    throw bad("--signal: " + e.getMessage());
                }
                if (sig == Expo1dSignal.NONE) throw bad("--signal none: the null toys always run; name a signal");
                if (!sigs.contains(sig)) sigs.add(sig);
            }
            if (kernels < 1) throw bad("--kernels " + kernels + ": at least 1");
            if (toys < 1) throw bad("--toys " + toys + ": at least 1");
            if (nullToys < 2) throw bad("--null-toys " + nullToys + ": at least 2");
            if (epochs < 1 || steps < 1) throw bad("--epochs and --steps: at least 1");
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) throw bad("--lr " + learningRate + ": must be > 0");
            if (referenceSize < 10) throw bad("--reference-size " + referenceSize + ": at least 10");
            for (double q : widthQuantiles) {
                if (!(q > 0 && q < 1)) throw bad("--widths " + q + ": quantiles lie in (0, 1)");
            }
            if (tasks < 0 || toysPerJob < 0) throw bad("--tasks and --toys-per-job: at least 1 (0: the default)");

            SparkConf conf = new SparkConf().setAppName("sparker expo1d");
            if (master != null) {
                conf.setMaster(master);
            }
            if (!conf.contains("spark.master")) {
                throw bad("no Spark master: run this jar with spark-submit, or give --master local[N] to run here");
            }
            PrintWriter o = spec.commandLine().getOut();
            try (JavaSparkContext spark = new JavaSparkContext(conf)) {
                Engines.Selection chosen = SparkEngines.resolveOnExecutor(spark, engine);
                o.printf(Locale.ROOT, "engine: %s (%s)%n", chosen.engine().name(), chosen.reason());
                Samples reference = Expo1d.reference(referenceSize, seed);
                TrainingConfig base = expo1dConfig(kernels, epochs, steps, learningRate, seed);
                // toys are the parallel unit: one thread each, as in ./sparker expo1d
                EngineChoice toyEngine = new EngineChoice(chosen.engine().name(), precision, 1);
                double[] sigmas = new double[widthQuantiles.size()];
                for (int w = 0; w < sigmas.length; w++) {
                    sigmas[w] = Trainer.resolveSigma(reference, base.toBuilder().width(WidthSpec.quantile(widthQuantiles.get(w))).build());
                }
                Map<String, Object> key = Expo1dEnsembles.sparkerKey(
                        Expo1dEnsembles.commonKey(referenceSize, seed, widthQuantiles, sigmas), base, toyEngine.name(),
                        toyEngine.settings());
                Files.createDirectories(out);
                List<ShardManifest.Ensemble> ensembles = new ArrayList<>();
                List<Expo1dSignal> all = new ArrayList<>(List.of(Expo1dSignal.NONE));
                all.addAll(sigs);
                for (Expo1dSignal s : all) {
                    int n = s == Expo1dSignal.NONE ? nullToys : toys;
                    String hash = Expo1dEnsembles.hash(key, s, seed);
                    Path file = out.resolve(Expo1dEnsembles.fileName("", s, kernels, hash));
                    long master = Expo1dEnsembles.masterSeed(seed, s);
                    long t0 = System.nanoTime();
                    List<ToyRow> rows = SparkToyEnsemble.builder().masterSeed(master).toys(n).configHash(hash).output(file)
                            .tasks(tasks).toysPerJob(toysPerJob)
                            .taskFactory(new Expo1dToys(referenceSize, seed, s, base, sigmas, toyEngine)).build().run(spark);
                    double cpu = rows.stream().mapToDouble(ToyRow::wallSeconds).sum();
                    o.printf(Locale.ROOT, "%-13s %5d toys in %.1f s (%.1f s of toy time) -> %s%n",
                            s == Expo1dSignal.NONE ? "null" : s.cliName(), n, (System.nanoTime() - t0) * 1e-9, cpu, file.getFileName());
                    ensembles.add(new ShardManifest.Ensemble(file.getFileName().toString(), hash, master, n));
                }
                List<String> args = cliArguments(sigs, chosen.engine().name());
                Path manifest = new ShardManifest("expo1d", args, Shard.ALL, ensembles).write(out);
                o.printf(Locale.ROOT, "wrote %s; analyse with: ./sparker merge --out %s %s%n", manifest.getFileName(), out, out);
            }
            o.flush();
            return 0;
        }

        /** The flags of {@code ./sparker expo1d} that define these ensembles (for the manifest). */
        List<String> cliArguments(List<Expo1dSignal> sigs, String engineName) {
            List<String> a = new ArrayList<>();
            a.addAll(List.of("--signal", sigs.stream().map(Expo1dSignal::cliName).collect(Collectors.joining(","))));
            a.addAll(List.of("--kernels", Integer.toString(kernels), "--toys", Integer.toString(toys),
                    "--null-toys", Integer.toString(nullToys), "--epochs", Integer.toString(epochs),
                    "--steps", Integer.toString(steps), "--lr", Double.toString(learningRate),
                    "--reference-size", Integer.toString(referenceSize),
                    "--widths", widthQuantiles.stream().map(String::valueOf).collect(Collectors.joining(",")),
                    "--engine", engineName, "--precision", precision.name(), "--seed", Long.toString(seed)));
            if (idealToys != null) {
                a.addAll(List.of("--ideal-toys", Integer.toString(idealToys)));
            }
            if (noPlots) {
                a.add("--no-plots");
            }
            return a;
        }
    }

    /**
     * The training configuration of {@code ./sparker expo1d} for these flags: the EXPO_1D preset at M with
     * the schedule overridden and the master seed as training seed.
     *
     * @param kernels      M
     * @param epochs       epochs
     * @param steps        Adam steps per phase per epoch
     * @param learningRate Adam learning rate
     * @param seed         the run's seed
     * @return the configuration
     */
    public static TrainingConfig expo1dConfig(int kernels, int epochs, int steps, double learningRate, long seed) {
        return TrainingConfig.preset(Preset.EXPO_1D, kernels).toBuilder()
                .epochs(epochs).coefficientSteps(steps).locationSteps(steps).learningRate(learningRate)
                .seed(seed).build();
    }

    /** {@return the command line, with one-line errors (exit code 2 for bad flags, 1 for failures)} */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SparkJob());
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("sparker-spark: " + ex.getMessage());
            ex.getCommandLine().getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            c.getErr().println("sparker-spark: " + m.lines().findFirst().orElse(m));
            if (System.getenv("SPARKER_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /**
     * Runs the job; exits with the command's code when it is not 0.
     *
     * @param args the job and its flags, e.g. {@code expo1d --toys 100 --out /data/run}
     */
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
