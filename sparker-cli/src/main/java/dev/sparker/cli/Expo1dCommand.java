package dev.sparker.cli;

import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.calibration.WidthCombination;
import dev.sparker.calibration.ConfigHash;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dToyTask;
import dev.sparker.expo.IdealTest;
import dev.sparker.falkon.FalkonConfig;
import dev.sparker.falkon.FalkonExpo1dToyTask;
import dev.sparker.falkon.FalkonResult;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sparker expo1d}: calibrates SparKer on EXPO-1D null toys and measures its sensitivity to one or
 * more signals, beside the ideal test.
 */
@Command(name = "expo1d", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "EXPO-1D (paper appendix A): null toys calibrate t (chi-square fit, KS), signal toys give Z at "
                        + "the median signal t, the ideal likelihood-ratio test gives Z_id. Writes result.json, PNG plots "
                        + "and one JSON-lines file per ensemble to --out; rerunning with the same --out resumes (and reuses"
                        + " the null toys across signals).",
                "Defaults are a quick look (about 1-3 minutes on 2 cores): N_R = 20000, M = 10, 20 epochs x (20 +"
                        + " 20) steps, lr 0.05, 60 null and 40 signal toys. The paper uses N_R = 200000 and 500 x (100 + "
                        + "100) steps at lr 0.001.",
                "--model falkon runs the Falkon-NPLM baseline (M Nystrom centres, --lambda, --newton-steps; the "
                        + "training, engine and batch options do not apply) on the same toys as SparKer for the same "
                        + "--seed; its files carry a falkon- prefix (result-falkon.json), so both models can share one "
                        + "--out."})
final class Expo1dCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "sparker or falkon (the Falkon-NPLM baseline; default: ${DEFAULT-VALUE})",
            defaultValue = "sparker")
    String model;

    @Option(names = "--lambda", description = "Falkon ridge penalty lambda > 0 (--model falkon; default: ${DEFAULT-VALUE})",
            defaultValue = "1e-6")
    double lambda;

    @Option(names = "--newton-steps", description = "Falkon Newton steps from alpha = 0 (--model falkon; default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    int newtonSteps;

    @Option(names = "--signal", paramLabel = "NAME[,NAME...]", split = ",",
            description = "bulk, tail, extreme-tail, excess, or all (default: ${DEFAULT-VALUE})", defaultValue = "tail")
    List<String> signals;

    @Option(names = {"--kernels", "-M"}, description = "number of kernels M (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int kernels;

    @Option(names = "--toys", description = "signal toys per signal; 0 runs only the null toys, a calibration like the paper's Figure 5 (default: ${DEFAULT-VALUE})", defaultValue = "40")
    int toys;

    @Option(names = "--null-toys", description = "null (reference-only) toys (default: ${DEFAULT-VALUE})", defaultValue = "60")
    int nullToys;

    @Option(names = "--epochs", description = "epochs (default: ${DEFAULT-VALUE}; paper: 500)", defaultValue = "20")
    int epochs;

    @Option(names = "--steps", description = "Adam steps per phase per epoch (default: ${DEFAULT-VALUE}; paper: 100)", defaultValue = "20")
    int steps;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}; paper: 0.001)", defaultValue = "0.05")
    double learningRate;

    @Option(names = "--reference-size", description = "N_R reference events, weight 2000/N_R (default: ${DEFAULT-VALUE}; paper: 200000)",
            defaultValue = "20000")
    int referenceSize;

    @Option(names = "--widths", split = ",", paramLabel = "Q[,Q...]",
            description = "kernel widths as quantiles of pairwise reference distances; several are combined by min-p and Fisher (default: ${DEFAULT-VALUE})",
            defaultValue = "0.9")
    List<Double> widthQuantiles;

    @Option(names = "--engine", description = "engine name or auto (see ./sparker engines; default: ${DEFAULT-VALUE})", defaultValue = "auto")
    String engine;

    @Option(names = "--precision", description = "DOUBLE or FLOAT (default: ${DEFAULT-VALUE})", defaultValue = "DOUBLE")
    Precision precision;

    @Option(names = "--threads", description = "toys trained at once, one thread each (default: available processors)")
    Integer threads;

    @Option(names = "--batch", description = "toys per lock-step batch (for accelerator engines; default: ${DEFAULT-VALUE})", defaultValue = "1")
    int batch;

    @Option(names = "--ideal-toys", description = "toys per hypothesis for Z_id (default: ${DEFAULT-VALUE})", defaultValue = "4000")
    int idealToys;

    @Option(names = "--seed", description = "master seed (default: ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})", defaultValue = "out/expo1d")
    Path out;

    @Option(names = "--no-plots", description = "skip the PNG plots")
    boolean noPlots;

    @CommandLine.Mixin
    ShardOption shard;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Checks every flag; returns the parsed {@code --model}. */
    private Expo1dModels.Model validate() {
        Expo1dModels.Model m;
        try {
            m = Expo1dModels.Model.parse(model);
        } catch (IllegalArgumentException e) {
            throw bad("--model: " + e.getMessage());
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) throw bad("--lambda " + lambda + ": must be finite and > 0");
        if (newtonSteps < 1) throw bad("--newton-steps " + newtonSteps + ": at least 1");
        if (m == Expo1dModels.Model.SPARKER) {
            for (String f : new String[] {"--lambda", "--newton-steps"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(f)) throw bad(f + " applies to --model falkon only");
            }
        }
        if (kernels < 1) throw bad("--kernels " + kernels + ": at least 1");
        if (toys < 0) throw bad("--toys " + toys + ": 0 (a null-only calibration) or more");
        if (nullToys < 2) throw bad("--null-toys " + nullToys + ": at least 2 (the chi-square fit needs them)");
        if (epochs < 1) throw bad("--epochs " + epochs + ": at least 1");
        if (steps < 1) throw bad("--steps " + steps + ": at least 1");
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) throw bad("--lr " + learningRate + ": must be > 0");
        if (referenceSize < 10) throw bad("--reference-size " + referenceSize + ": at least 10");
        if (batch < 1) throw bad("--batch " + batch + ": at least 1");
        if (threads != null && threads < 1) throw bad("--threads " + threads + ": at least 1");
        if (idealToys < 10) throw bad("--ideal-toys " + idealToys + ": at least 10");
        for (double q : widthQuantiles) {
            if (!(q > 0 && q < 1)) throw bad("--widths " + q + ": quantiles lie in (0, 1)");
        }
        return m;
    }

    @Override
    public Integer call() throws IOException {
        boolean falkon = validate() == Expo1dModels.Model.FALKON;
        // with --toys 0 only the null toys run (a calibration): no signal ensembles, table rows or signal plots
        List<Expo1dSignal> sigs = toys == 0 ? List.of() : Expo1dModels.parseSignals(signals, spec.commandLine());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintStream err = System.err;
        long start = System.nanoTime();

        Engines.Selection selection = falkon ? null : Engines.select(engine);
        String engineName = falkon ? "scalar" : selection.engine().name();
        if (!falkon) {
            err.println(Main.engineLine(engineName, selection.reason()));
        }
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();

        Samples reference = Expo1d.reference(referenceSize, seed);
        TrainingConfig base = TrainingConfig.preset(Preset.EXPO_1D, kernels).toBuilder()
                .epochs(epochs).coefficientSteps(steps).locationSteps(steps).learningRate(learningRate)
                .seed(seed).build();
        // toys are the parallel unit: each trains on one thread
        Engine toyEngine = falkon ? null : selection.engine();
        EngineSettings toySettings = new EngineSettings(precision, 1);
        double[] sigmas = new double[widthQuantiles.size()];
        for (int w = 0; w < sigmas.length; w++) {
            // one width for the whole ensemble, resolved once on the shared reference
            sigmas[w] = Trainer.resolveSigma(reference, base.toBuilder().width(WidthSpec.quantile(widthQuantiles.get(w))).build());
        }
        Files.createDirectories(out);

        int total = shard.share(nullToys) + shard.share(toys) * sigs.size();
        ProgressBar bar = new ProgressBar(err, total);
        Map<String, Object> commonKey = Expo1dModels.commonKey(referenceSize, seed, widthQuantiles, sigmas);
        FalkonConfig falkonBase = Expo1dModels.falkonConfig(kernels, lambda, newtonSteps, sigmas[0]);
        Expo1dModels.Setup setup = falkon ? Expo1dModels.falkon(reference, falkonBase, sigmas, commonKey)
                : Expo1dModels.sparker(reference, base, sigmas, toyEngine, toySettings, commonKey);
        int ensembleBatch = falkon ? 1 : batch;

        long t0 = System.nanoTime();
        Expo1dModels.Ensemble nullRun = Expo1dModels.run(setup, Expo1dSignal.NONE, seed, nullToys, out, parallel, ensembleBatch, bar, shard);
        double[][] nullT = nullRun.t();
        double nullSeconds = (System.nanoTime() - t0) * 1e-9;
        Map<Expo1dSignal, double[][]> signalT = new LinkedHashMap<>();
        Map<Expo1dSignal, Double> signalSeconds = new LinkedHashMap<>();
        Map<Expo1dSignal, Double> signalPerToy = new LinkedHashMap<>();
        for (Expo1dSignal s : sigs) {
            long ts = System.nanoTime();
            Expo1dModels.Ensemble run = Expo1dModels.run(setup, s, seed, toys, out, parallel, ensembleBatch, bar, shard);
            signalT.put(s, run.t());
            signalSeconds.put(s, (System.nanoTime() - ts) * 1e-9);
            signalPerToy.put(s, run.secondsPerToy());
        }
        bar.finish();
        if (shard.sharded()) {
            return shard.finish(out);
        }

        double[] null0 = column(nullT, 0);
        Significance.ChiSquareFit fit = Significance.fitChiSquare(null0);
        double[] q = {0.05, 0.16, 0.5, 0.84, 0.95};
        double[] nullQ = Significance.quantiles(null0, q);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "expo1d");
        result.put("model", setup.model().cliName());
        if (!falkon) {
            result.put("engine", engineName);
            result.put("engineReason", selection.reason());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("kernels", kernels);
        settings.put("referenceSize", referenceSize);
        settings.put("N0", Expo1d.N0);
        if (falkon) {
            settings.put("lambda", lambda);
            settings.put("newtonSteps", newtonSteps);
        } else {
            settings.put("epochs", epochs);
            settings.put("stepsPerPhase", steps);
            settings.put("learningRate", learningRate);
        }
        settings.put("widthQuantiles", widthQuantiles);
        settings.put("sigmas", sigmas);
        settings.put("nullToys", nullToys);
        settings.put("signalToys", toys);
        settings.put("seed", seed);
        settings.put("parallelToys", parallel);
        if (!falkon) {
            settings.put("batch", batch);
            settings.put("precision", precision);
        }
        result.put("settings", settings);
        if (falkon) {
            result.put("falkonConfig", falkonBase);
        } else {
            result.put("trainingConfig", ConfigHash.trainingKey(base.toBuilder().sigma(sigmas[0]).build(), engineName,
                    toySettings));
        }
        Map<String, Object> nullPart = new LinkedHashMap<>();
        nullPart.put("toys", nullToys);
        nullPart.put("quantiles", new java.util.TreeMap<>(Map.of("q05", nullQ[0], "q16", nullQ[1], "q50", nullQ[2], "q84", nullQ[3], "q95", nullQ[4])));
        nullPart.put("mean", java.util.Arrays.stream(null0).average().orElseThrow());
        nullPart.put("chiSquareFit", fit);
        nullPart.put("fittedDof", fit.dof());
        nullPart.put("secondsPerToy", nullRun.secondsPerToy());
        nullPart.put("wallSeconds", nullSeconds);
        result.put("null", nullPart);

        stdout.printf(Locale.ROOT, "%sEXPO-1D  M = %d  N_R = %d (w = %.4g)  N0 = %.0f  sigma = %s (quantiles %s)%n",
                falkon ? "Falkon-NPLM  " : "", kernels,
                referenceSize, Expo1d.N0 / referenceSize, Expo1d.N0, fmt(sigmas), widthQuantiles);
        if (falkon) {
            stdout.printf(Locale.ROOT, "lambda %g, %d Newton step(s) from alpha = 0, centres drawn per toy; %d toys at a time%n",
                    lambda, newtonSteps, parallel);
        } else {
            stdout.printf(Locale.ROOT, "schedule %d epochs x (%d + %d) Adam steps, lr %g; engine %s, %d toys at a time%n",
                    epochs, steps, steps, learningRate, engineName, parallel);
        }
        stdout.printf(Locale.ROOT, "null t over %d toys: 5%% %.2f | 16%% %.2f | median %.2f | 84%% %.2f | 95%% %.2f%n",
                nullToys, nullQ[0], nullQ[1], nullQ[2], nullQ[3], nullQ[4]);
        stdout.printf(Locale.ROOT, "chi-square fit (%s): dof = %.2f +- %.2f; KS distance %.3f, KS p = %.3f%s%n",
                fit.method(), fit.dof(), fit.dofError(), fit.ksStatistic(), fit.ksP(),
                fit.dropped() > 0 ? " (" + fit.dropped() + " toys with t <= 0 left out)" : "");
        if (!sigs.isEmpty()) {
            stdout.printf("%-13s %5s %10s  %-22s %-22s %-19s %-15s %s%n", "signal", "toys", "median t", "Z empirical [68%]",
                    "Z chi2-fit [68%]", "Z_id ours", "sqrt(med t_id)", "Z_id paper");
        } else {
            stdout.println("no signal toys (--toys 0): the null calibration only");
        }

        List<Object> signalParts = new ArrayList<>();
        Map<String, double[]> forPlot = new LinkedHashMap<>();
        for (Expo1dSignal s : sigs) {
            double[][] st = signalT.get(s);
            double[] st0 = column(st, 0);
            forPlot.put(s.cliName(), st0);
            Significance.Sensitivity sens = Significance.sensitivity(null0, st0, fit);
            IdealTest.Result id = IdealTest.run(Expo1d.hypotheses(s), idealToys, idealToys, ToySeeds.seed(seed, 7_000_000L + s.ordinal()));
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("signal", s.cliName());
            part.put("expectedSignalEvents", s.expectedCount());
            part.put("sensitivity", sens);
            part.put("idealTest", id);
            part.put("idealTestMethod", id.method());
            part.put("paperZId", s.paperZId());
            part.put("secondsPerToy", signalPerToy.get(s));
            part.put("wallSeconds", signalSeconds.get(s));
            if (sigmas.length > 1) {
                Map<String, Object> perWidth = new LinkedHashMap<>();
                for (int w = 0; w < sigmas.length; w++) {
                    double[] nw = column(nullT, w);
                    perWidth.put(String.format(Locale.ROOT, "q%.2f", widthQuantiles.get(w)),
                            Significance.sensitivity(nw, column(st, w), Significance.fitChiSquare(nw)));
                }
                part.put("perWidth", perWidth);
                part.put("combinedMinP", WidthCombination.sensitivity(nullT, st, WidthCombination.Method.MIN_P));
                part.put("combinedFisher", WidthCombination.sensitivity(nullT, st, WidthCombination.Method.FISHER));
            }
            signalParts.add(part);
            stdout.printf(Locale.ROOT, "%-13s %5d %10.2f  %-22s %-22s %-19s %-15.2f %.1f%n", s.cliName(), st0.length, sens.medianT(),
                    String.format(Locale.ROOT, "%s%.2f [%.2f, %.2f]", sens.empiricalSaturated() ? ">" : "", sens.zEmpirical(),
                            sens.zEmpiricalLow(), sens.zEmpiricalHigh()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", sens.zAsymptotic(), sens.zAsymptoticLow(), sens.zAsymptoticHigh()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", id.zId(), id.zIdLow(), Math.min(99, id.zIdHigh())),
                    id.zSqrtMedian(), s.paperZId());
            if (sigmas.length > 1) {
                Significance.Sensitivity mp = (Significance.Sensitivity) part.get("combinedMinP");
                Significance.Sensitivity fi = (Significance.Sensitivity) part.get("combinedFisher");
                stdout.printf(Locale.ROOT, "%-13s       widths combined: min-p Z = %s%.2f [%.2f, %.2f], Fisher Z = %s%.2f [%.2f, %.2f]%n", "",
                        mp.empiricalSaturated() ? ">" : "", mp.zEmpirical(), mp.zEmpiricalLow(), mp.zEmpiricalHigh(),
                        fi.empiricalSaturated() ? ">" : "", fi.zEmpirical(), fi.zEmpiricalLow(), fi.zEmpiricalHigh());
            }
        }
        result.put("signals", signalParts);
        if (!sigs.isEmpty()) stdout.println("Z empirical: p = (#null >= median + 1)/(N0 + 1), '>' when the median beats every null toy;"
                + " Z chi2-fit: tail of the fitted chi-square; [68%]: Z over the median's 68% interval;"
                + " Z_id: ideal likelihood-ratio test, " + idealToys + " toys per hypothesis, importance sampling.");

        String prefix = setup.model().filePrefix();
        if (!noPlots) {
            String title = falkon
                    ? String.format(Locale.ROOT, "EXPO-1D Falkon-NPLM, M = %d, N_R = %d, lambda = %g", kernels, referenceSize, lambda)
                    : String.format(Locale.ROOT, "EXPO-1D, M = %d, N_R = %d, %d x (%d+%d) steps", kernels, referenceSize, epochs, steps, steps);
            Plots.nullWithChiSquare(null0, fit, "null t, " + title, out.resolve(prefix + "null-chi2.png"));
            if (sigs.isEmpty()) {
                stdout.printf("wrote %s%n", out.resolve(prefix + "null-chi2.png"));
            }
        }
        if (!noPlots && !sigs.isEmpty()) {
            String title = falkon
                    ? String.format(Locale.ROOT, "EXPO-1D Falkon-NPLM, M = %d, N_R = %d, lambda = %g", kernels, referenceSize, lambda)
                    : String.format(Locale.ROOT, "EXPO-1D, M = %d, N_R = %d, %d x (%d+%d) steps", kernels, referenceSize, epochs, steps, steps);
            Plots.nullVsSignal(null0, forPlot, "null vs signal t, " + title, out.resolve(prefix + "null-vs-signal.png"));
            Expo1dSignal first = sigs.getFirst();
            long toySeed = ToySeeds.seed(masterSeed(first), 0);
            KernelModel fitted;
            double tOne;
            if (falkon) {
                FalkonResult one = new FalkonExpo1dToyTask(reference, first, falkonBase, sigmas).test(toySeed, 0);
                fitted = one.model();
                tOne = one.t();
            } else {
                TestResult one = new Expo1dToyTask(reference, first, base, sigmas, toyEngine, toySettings)
                        .train(toySeed, 0);
                fitted = one.model();
                tOne = one.t();
            }
            Plots.learnedF(fitted, Expo1d.dataToy(first, toySeed), reference, tOne,
                    "signal toy 0 (" + first.cliName() + "), M = " + kernels, out.resolve(prefix + "learned-f-" + first.cliName() + ".png"));
        }
        double totalSeconds = (System.nanoTime() - start) * 1e-9;
        result.put("wallSecondsTotal", totalSeconds);
        Path resultFile = out.resolve(falkon ? "result-falkon.json" : "result.json");
        Files.writeString(resultFile, ResultJson.toJson(result));
        stdout.printf(Locale.ROOT, "wall time %.1f s (null toys %.1f s, %.3g s per toy); wrote %s%n", totalSeconds, nullSeconds,
                nullRun.secondsPerToy(), resultFile);
        stdout.flush();
        return 0;
    }

    private long masterSeed(Expo1dSignal s) {
        return Expo1dModels.masterSeed(seed, s);
    }

    private static double[] column(double[][] m, int w) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][w];
        }
        return c;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.3f", x));
        }
        return b.toString();
    }
}
