package dev.sparker.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dEnsembles;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.expo.IdealTest;
import dev.sparker.falkon.FalkonExpo1dModel;
import dev.sparker.train.ConvergedSettings;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--model", paramLabel = "sparker|falkon", defaultValue = "sparker", converter = CliChoices.ModelConverter.class,
            description = "sparker or falkon (the Falkon-NPLM baseline; default: ${DEFAULT-VALUE})")
    CliChoices.Model model;

    @ArgGroup(validate = false, heading = "Falkon-NPLM (--model falkon):%n")
    FalkonOptions falkonOptions = new FalkonOptions();

    @Option(names = "--signal", paramLabel = "NAME[,NAME...]", split = ",", defaultValue = "tail",
            converter = CliChoices.SignalConverter.class,
            description = "bulk, tail, extreme-tail, excess, or all (default: ${DEFAULT-VALUE})")
    List<CliChoices.SignalName> signals;

    @Option(names = {"--kernels", "-M"}, paramLabel = "M", description = "number of kernels M (default: ${DEFAULT-VALUE})",
            defaultValue = "10")
    int kernels;

    @Option(names = "--toys", paramLabel = "N", description = "signal toys per signal; 0 runs only the null toys, a calibration like"
            + " the paper's Figure 5 (default: ${DEFAULT-VALUE})", defaultValue = "40")
    int toys;

    @Option(names = "--null-toys", paramLabel = "N", description = "null (reference-only) toys (default: ${DEFAULT-VALUE})",
            defaultValue = "60")
    int nullToys;

    @Mixin
    AdamOptions adam;

    @Mixin
    ScheduleOptions schedule;

    @Mixin
    Expo1dToyOptions toyOptions;

    @Option(names = "--widths", split = ",", paramLabel = "Q[,Q...]",
            description = "kernel widths as quantiles of pairwise reference distances; several are combined by min-p and Fisher (default: ${DEFAULT-VALUE})",
            defaultValue = "0.9")
    List<Double> widthQuantiles;

    @Mixin
    EngineOptions engine;

    @Mixin
    ToyThreadsOption threads;

    @Option(names = "--ideal-toys", paramLabel = "N", description = "toys per hypothesis for Z_id (default: ${DEFAULT-VALUE})",
            defaultValue = "4000")
    int idealToys;

    @Mixin
    OutputOptions output;

    @Mixin
    ShardOption shard;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Checks what picocli cannot: ranges, and Falkon's options only with --model falkon. */
    private void validate() {
        falkonOptions.validate(spec.commandLine());
        if (model == CliChoices.Model.SPARKER) {
            for (String f : new String[] {"--lambda", "--newton-steps"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(f)) throw bad(f + " applies to --model falkon only");
            }
        }
        if (kernels < 1) throw bad("--kernels " + kernels + ": at least 1");
        if (toys < 0) throw bad("--toys " + toys + ": 0 (a null-only calibration) or more");
        if (nullToys < 2) throw bad("--null-toys " + nullToys + ": at least 2 (the chi-square fit needs them)");
        adam.validate();
        toyOptions.validate();
        threads.threads();
        if (idealToys < 10) throw bad("--ideal-toys " + idealToys + ": at least 10");
        for (double q : widthQuantiles) {
            if (!(q > 0 && q < 1)) throw bad("--widths " + q + ": quantiles lie in (0, 1)");
        }
    }

    @Override
    public Integer call() throws IOException {
        validate();
        boolean falkon = model == CliChoices.Model.FALKON;
        // with --toys 0 only the null toys run (a calibration): no signal ensembles, table rows or signal plots
        List<Expo1dSignal> sigs = toys == 0 ? List.of() : CliChoices.signals(signals);
        long seed = output.seed;
        Path out = output.out();
        double lambda = falkonOptions.lambda;
        int newtonSteps = falkonOptions.newtonSteps;
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();

        Engines.Selection selection = falkon ? null : engine.select();
        if (!falkon) {
            err.println(Main.engineLine(selection.engine().name(), selection.reason()));
            err.flush();
        }
        int parallel = threads.threads();
        TrainingConfig base = schedule.apply(adam.applyQuick(TrainingConfig.preset(Preset.EXPO_1D, kernels).toBuilder())
                .seed(seed)).build();
        // toys are the parallel unit: each trains on one thread
        Expo1dStudy.ModelFactory models = falkon ? FalkonExpo1dModel.factory(kernels, lambda, newtonSteps)
                : Expo1dStudy.sparker(base, selection.engine(), selection.reason(), new EngineSettings(engine.precision, 1),
                toyOptions.batch);
        Expo1dStudy.Request request = new Expo1dStudy.Request(toyOptions.referenceSize, widthQuantiles, sigs, toys, nullToys, idealToys,
                seed, base);
        ProgressBar bar = new ProgressBar(err, 0);
        Expo1dStudy.Result result = Expo1dStudy.run(request, models, shard.ensembles(out, parallel), bar);
        bar.finish();
        if (shard.sharded()) {
            shard.ran(result.ensembles());
            return shard.finish(out);
        }
        report(stdout, result, falkon, start, out);
        return 0;
    }

    /** The command's result.json: its name, then the study's result. */
    record Json(String command, @JsonUnwrapped Expo1dStudy.Result result) {
    }

    private void report(PrintWriter stdout, Expo1dStudy.Result result, boolean falkon, long start, Path out) throws IOException {
        int referenceSize = toyOptions.referenceSize;
        int epochs = adam.epochs();
        int steps = adam.steps();
        double learningRate = adam.learningRate();
        double lambda = falkonOptions.lambda;
        int newtonSteps = falkonOptions.newtonSteps;
        long seed = output.seed;
        Expo1dStudy.Settings set = result.settings();
        Expo1dStudy.NullCalibration nullPart = result.nullCalibration();
        double[] sigmas = set.sigmas();
        Significance.ChiSquareFit fit = nullPart.chiSquareFit();
        Expo1dStudy.Quantiles nullQ = nullPart.quantiles();
        String engineName = result.engine();
        int parallel = set.parallelToys();
        stdout.printf(Locale.ROOT, "%sEXPO-1D  M = %d  N_R = %d (w = %.4g)  N0 = %.0f  sigma = %s (quantiles %s)%n",
                falkon ? "Falkon-NPLM  " : "", kernels,
                referenceSize, Expo1d.N0 / referenceSize, Expo1d.N0, fmt(sigmas), widthQuantiles);
        if (falkon) {
            stdout.printf(Locale.ROOT, "lambda %g, %d Newton step(s) from alpha = 0, centres drawn per toy; %d toys at a time%n",
                    lambda, newtonSteps, parallel);
        } else {
            if (set.schedule() == dev.sparker.train.Schedule.CONVERGED) {
                ConvergedSettings converged = convergedSettings();
                stdout.printf(Locale.ROOT, "schedule converged (%s coefficients, L-BFGS locations, tolerance %g, at most %d"
                        + " epochs); engine %s, %d toys at a time%n", converged.usesNewton(kernels) ? "Newton" : "L-BFGS",
                        converged.tolerance(), epochs, engineName, parallel);
            } else {
                stdout.printf(Locale.ROOT, "schedule %d epochs x (%d + %d) Adam steps, lr %g; engine %s, %d toys at a time%n",
                        epochs, steps, steps, learningRate, engineName, parallel);
            }
        }
        stdout.printf(Locale.ROOT, "null t over %d toys: 5%% %.2f | 16%% %.2f | median %.2f | 84%% %.2f | 95%% %.2f%n",
                nullToys, nullQ.q05(), nullQ.q16(), nullQ.q50(), nullQ.q84(), nullQ.q95());
        stdout.printf(Locale.ROOT, "chi-square fit (%s): dof = %.2f +- %.2f; KS distance %.3f, KS p = %.3f%s%n",
                fit.method(), fit.dof(), fit.dofError(), fit.ksStatistic(), fit.ksP(),
                fit.dropped() > 0 ? " (" + fit.dropped() + " toys with t <= 0 left out)" : "");
        if (result.stops() != null) {
            stdout.printf(Locale.ROOT, "converged schedule, how the %d toys stopped: %s%n", result.stops().toys(),
                    result.stops().describe(engine.precision.name(), epochs));
        }
        List<Expo1dStudy.SignalResult> sigs = result.signals();
        if (!sigs.isEmpty()) {
            stdout.printf("%-13s %5s %10s  %-22s %-22s %-19s %-15s %s%n", "signal", "toys", "median t", "Z empirical [68%]",
                    "Z chi2-fit [68%]", "Z_id ours", "sqrt(med t_id)", "Z_id paper");
        } else {
            stdout.println("no signal toys (--toys 0): the null calibration only");
        }
        Map<String, double[]> forPlot = new LinkedHashMap<>();
        for (Expo1dStudy.SignalResult part : sigs) {
            double[] st0 = part.firstWidth();
            forPlot.put(part.signal(), st0);
            Significance.Sensitivity sens = part.sensitivity();
            IdealTest.Result id = part.idealTest();
            stdout.printf(Locale.ROOT, "%-13s %5d %10.2f  %-22s %-22s %-19s %-15.2f %.1f%n", part.signal(), st0.length, sens.medianT(),
                    String.format(Locale.ROOT, "%s%.2f [%.2f, %.2f]", sens.empiricalSaturated() ? ">" : "", sens.zEmpirical(),
                            sens.zEmpiricalLow(), sens.zEmpiricalHigh()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", sens.zAsymptotic(), sens.zAsymptoticLow(), sens.zAsymptoticHigh()),
                    String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", id.zId(), id.zIdLow(), Math.min(99, id.zIdHigh())),
                    id.zSqrtMedian(), part.paperZId());
            if (sigmas.length > 1) {
                Significance.Sensitivity mp = part.combinedMinP();
                Significance.Sensitivity fi = part.combinedFisher();
                stdout.printf(Locale.ROOT, "%-13s       widths combined: min-p Z = %s%.2f [%.2f, %.2f], Fisher Z = %s%.2f [%.2f, %.2f]%n", "",
                        mp.empiricalSaturated() ? ">" : "", mp.zEmpirical(), mp.zEmpiricalLow(), mp.zEmpiricalHigh(),
                        fi.empiricalSaturated() ? ">" : "", fi.zEmpirical(), fi.zEmpiricalLow(), fi.zEmpiricalHigh());
            }
        }
        if (!sigs.isEmpty()) stdout.println("Z empirical: p = (#null t >= median + 1)/(null toys + 1), '>' when the median beats every null toy;"
                + " Z chi2-fit: tail of the fitted chi-square; [68%]: Z over the median's 68% interval;"
                + " Z_id: ideal likelihood-ratio test, " + idealToys + " toys per hypothesis, importance sampling.");

        // the numbers first: a plot that cannot be drawn (no fonts on a headless machine) must not lose them
        Path resultFile = out.resolve(falkon ? "result-falkon.json" : "result.json");
        ResultJson.write(resultFile, new Json("expo1d", result));
        String prefix = result.studyModel().filePrefix();
        double[] null0 = nullPart.firstWidth();
        String title = falkon
                ? String.format(Locale.ROOT, "EXPO-1D Falkon-NPLM, M = %d, N_R = %d, lambda = %g", kernels, referenceSize, lambda)
                : String.format(Locale.ROOT, "EXPO-1D, M = %d, N_R = %d, %d x (%d+%d) steps", kernels, referenceSize, epochs, steps, steps);
        if (!output.noPlots) {
            Plots.nullWithChiSquare(null0, fit, "null t, " + title, out.resolve(prefix + "null-chi2.png"));
            if (sigs.isEmpty()) {
                stdout.printf("wrote %s%n", out.resolve(prefix + "null-chi2.png"));
            }
        }
        if (!output.noPlots && !sigs.isEmpty()) {
            Plots.nullVsSignal(null0, forPlot, "null vs signal t, " + title, out.resolve(prefix + "null-vs-signal.png"));
            Expo1dSignal first = Expo1dSignal.parse(sigs.getFirst().signal());
            long toySeed = ToySeeds.seed(Expo1dEnsembles.masterSeed(seed, first), 0);
            Expo1dStudy.Model studyModel = result.studyModel();
            Expo1dStudy.Fit one = PlottedToy.reuseOrFit(out.resolve(prefix + "learned-f-" + first.cliName() + ".json"),
                    Expo1dEnsembles.hash(studyModel.key(), first, seed), toySeed, sigs.getFirst().firstWidth()[0],
                    () -> studyModel.fit(first, toySeed), stdout);
            Plots.learnedF(one.model(), Expo1d.dataToy(first, toySeed), result.reference(), one.t(),
                    "signal toy 0 (" + first.cliName() + "), M = " + kernels, out.resolve(prefix + "learned-f-" + first.cliName() + ".png"));
        }
        double totalSeconds = (System.nanoTime() - start) * 1e-9;
        stdout.printf(Locale.ROOT, "wall time %.1f s (null toys %.1f s, %.3g s per toy); wrote %s%n", totalSeconds,
                nullPart.wallSeconds(), nullPart.secondsPerToy(), resultFile);
        stdout.flush();
    }

    private ConvergedSettings convergedSettings() {
        return schedule.apply(TrainingConfig.preset(Preset.EXPO_1D, kernels).toBuilder()).build().converged();
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.3f", x));
        }
        return b.toString();
    }
}
