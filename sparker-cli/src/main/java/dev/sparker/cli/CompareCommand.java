package dev.sparker.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sparker.calibration.Significance;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dComparison;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.falkon.FalkonExpo1dModel;
import dev.sparker.output.AtomicFiles;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.Schedule;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code ./sparker compare}: SparKer and Falkon-NPLM on the same EXPO-1D toys for several M (the paper's
 * Figure 1): median Z versus M for each model and signal, with the time per toy.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "SparKer versus Falkon-NPLM on EXPO-1D (the paper's Figure 1): for each M and each model, null "
                        + "toys calibrate t (empirically and by a chi-square fit) and signal toys give Z at the median "
                        + "signal t.",
                "Both models see the same toys (toy i of a signal has the same seed for both). Writes compare.md,"
                        + " compare.json, median-z-vs-m.png and one JSON-lines file per ensemble to --out (the same files "
                        + "as expo1d, so the two commands share toys); rerunning with the same --out resumes.",
                "Defaults are a quick look at small N_R; the paper uses N_R = 200000 and 500 x (100 + 100) steps "
                        + "at lr 0.001 for SparKer, lambda = 1e-6 and one Newton step for Falkon."})
final class CompareCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--kernels", "-M"}, split = ",", paramLabel = "M[,M...]",
            description = "values of M (default: ${DEFAULT-VALUE})", defaultValue = "10,50,1000")
    List<Integer> kernels;

    @Option(names = "--models", split = ",", paramLabel = "MODEL[,MODEL...]", converter = CliChoices.ModelConverter.class,
            description = "sparker, falkon (default: ${DEFAULT-VALUE})", defaultValue = "sparker,falkon")
    List<CliChoices.Model> models;

    @Option(names = "--signal", split = ",", paramLabel = "NAME[,NAME...]", converter = CliChoices.SignalConverter.class,
            description = "bulk, tail, extreme-tail, excess, or all (default: ${DEFAULT-VALUE})", defaultValue = "all")
    List<CliChoices.SignalName> signals;

    @Option(names = "--toys", description = "signal toys per signal, model and M (default: ${DEFAULT-VALUE})", defaultValue = "20")
    int toys;

    @Option(names = "--null-toys", description = "null toys per model and M (default: ${DEFAULT-VALUE})", defaultValue = "40")
    int nullToys;

    @Option(names = "--toys-at", paramLabel = "MODEL:M=TOYS[/NULL]",
            description = "override the toy counts of one model at one M, e.g. sparker:1000=20/40 (repeatable)")
    List<String> toysAt = new ArrayList<>();

    @Mixin
    AdamOptions adam;

    @Mixin
    ScheduleOptions schedule;

    @ArgGroup(validate = false, heading = "Falkon-NPLM:%n")
    FalkonOptions falkonOptions = new FalkonOptions();

    @Mixin
    Expo1dToyOptions toyOptions;

    @Option(names = "--width", paramLabel = "Q", description = "kernel width as a quantile of pairwise reference distances, both models (default: ${DEFAULT-VALUE})",
            defaultValue = "0.9")
    double widthQuantile;

    @Mixin
    EngineOptions engine;

    @Mixin
    ToyThreadsOption threads;

    @Mixin
    OutputOptions output;

    @CommandLine.Mixin
    ShardOption shard;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The parsed {@code --toys-at} overrides, keyed "model:M". */
    private Map<String, Expo1dComparison.Counts> parseOverrides(List<CliChoices.Model> ms, List<Integer> mValues) {
        Map<String, Expo1dComparison.Counts> map = new LinkedHashMap<>();
        for (String o : toysAt) {
            String form = "--toys-at " + o + ": expected MODEL:M=TOYS[/NULL_TOYS], e.g. sparker:1000=20/40";
            int colon = o.indexOf(':');
            int eq = o.indexOf('=');
            if (colon < 1 || eq < colon + 2 || eq == o.length() - 1) {
                throw bad(form);
            }
            CliChoices.Model m;
            try {
                m = CliChoices.Model.parse(o.substring(0, colon));
            } catch (IllegalArgumentException e) {
                throw bad("--toys-at " + o + ": " + e.getMessage());
            }
            int k;
            int t;
            int n;
            try {
                k = Integer.parseInt(o.substring(colon + 1, eq).strip());
                String[] counts = o.substring(eq + 1).split("/", -1);
                if (counts.length > 2) {
                    throw bad(form);
                }
                t = Integer.parseInt(counts[0].strip());
                n = counts.length == 2 ? Integer.parseInt(counts[1].strip()) : nullToys;
            } catch (NumberFormatException e) {
                throw bad(form);
            }
            if (!ms.contains(m) || !mValues.contains(k)) {
                throw bad("--toys-at " + o + ": " + m.cliName() + " at M = " + k + " is not part of this run (--models, --kernels)");
            }
            if (t < 1) throw bad("--toys-at " + o + ": at least 1 signal toy");
            if (n < 2) throw bad("--toys-at " + o + ": at least 2 null toys (the chi-square fit needs them)");
            map.put(m.cliName() + ":" + k, new Expo1dComparison.Counts(t, n));
        }
        return map;
    }

    private void validate() {
        if (kernels.isEmpty()) throw bad("--kernels: give at least one M");
        for (int k : kernels) {
            if (k < 1) throw bad("--kernels " + k + ": at least 1");
        }
        if (toys < 1) throw bad("--toys " + toys + ": at least 1");
        if (nullToys < 2) throw bad("--null-toys " + nullToys + ": at least 2 (the chi-square fit needs them)");
        adam.validate();
        falkonOptions.validate(spec.commandLine());
        toyOptions.validate();
        if (!(widthQuantile > 0 && widthQuantile < 1)) throw bad("--width " + widthQuantile + ": quantiles lie in (0, 1)");
        threads.threads();
    }

    /**
     * compare.json.
     *
     * @param command            "compare"
     * @param settings           the settings
     * @param rows               the table
     * @param parts              each ensemble's wall time
     * @param wallSecondsByModel each model's wall time over its parts
     * @param wallSecondsTotal   the command's wall time
     */
    record Json(String command, Settings settings, List<Expo1dComparison.Row> rows, List<Expo1dComparison.Part> parts,
                Map<String, Double> wallSecondsByModel, double wallSecondsTotal) {
    }

    /** The settings compare.json records. */
    record Settings(List<String> models, List<Integer> kernels, List<String> signals, int toys, int nullToys,
                    Map<String, Expo1dComparison.Counts> toysAt, int referenceSize, @JsonProperty("N0") double N0,
                    double widthQuantile, Map<String, Double> sigmas, SparkerSettings sparker, FalkonSettings falkon,
                    long seed, int parallelToys) {
    }

    /** SparKer's settings in compare.json. */
    record SparkerSettings(Schedule schedule, int epochs, int stepsPerPhase, double learningRate, String engine,
                           String engineReason, Precision precision, int batch) {
    }

    /** Falkon-NPLM's settings in compare.json. */
    record FalkonSettings(double lambda, int newtonSteps) {
    }

    @Override
    public Integer call() throws IOException {
        validate();
        List<CliChoices.Model> ms = models.stream().distinct().toList();
        List<Expo1dSignal> sigs = CliChoices.signals(signals);
        int epochs = adam.epochs();
        int steps = adam.steps();
        double learningRate = adam.learningRate();
        double lambda = falkonOptions.lambda;
        int newtonSteps = falkonOptions.newtonSteps;
        int referenceSize = toyOptions.referenceSize;
        int batch = toyOptions.batch;
        Precision precision = engine.precision;
        long seed = output.seed;
        Path out = output.out();
        List<Integer> mValues = kernels.stream().distinct().sorted().toList();
        Map<String, Expo1dComparison.Counts> overrides = parseOverrides(ms, mValues);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();

        String engineName = null;
        String engineReason = null;
        Engine sparkerEngine = null;
        // toys are the parallel unit: each trains on one thread
        EngineSettings toySettings = new EngineSettings(precision, 1);
        if (ms.contains(CliChoices.Model.SPARKER)) {
            Engines.Selection selection = engine.select();
            sparkerEngine = selection.engine();
            engineName = sparkerEngine.name();
            engineReason = selection.reason();
            err.println(Main.engineLine(engineName, engineReason));
            err.flush();
        }
        int parallel = threads.threads();
        Engine chosen = sparkerEngine;
        String reason = engineReason;
        List<Expo1dComparison.Entrant> entrants = new ArrayList<>();
        for (CliChoices.Model m : ms) {
            entrants.add(new Expo1dComparison.Entrant(m.cliName(), m == CliChoices.Model.FALKON
                    ? (k, base) -> FalkonExpo1dModel.factory(k, lambda, newtonSteps)
                    : (k, base) -> Expo1dStudy.sparker(base, chosen, reason, toySettings, batch)));
        }
        Expo1dComparison.Request request = new Expo1dComparison.Request(referenceSize, widthQuantile, sigs, mValues,
                new Expo1dComparison.Counts(toys, nullToys), overrides, seed,
                k -> schedule.apply(adam.applyQuick(TrainingConfig.preset(Preset.EXPO_1D, k).toBuilder()).seed(seed)).build());
        ProgressBar bar = new ProgressBar(err, 0);
        Expo1dComparison.Result result = Expo1dComparison.run(request, entrants, shard.ensembles(out, parallel), bar);
        bar.finish();
        if (shard.sharded()) {
            shard.ran(result.ensembles());
            return shard.finish(out);
        }
        List<Expo1dComparison.Row> rows = result.rows();

        double totalSeconds = (System.nanoTime() - start) * 1e-9;
        String md = markdown(rows);
        AtomicFiles.writeString(out.resolve("compare.md"), md);
        stdout.print(md);
        stdout.println();
        stdout.println("wall time of each part (this run; 0 = all toys were already done):");
        Map<String, Double> perModel = new LinkedHashMap<>();
        for (Expo1dComparison.Part p : result.parts()) {
            stdout.printf(Locale.ROOT, "  %-8s M = %-5d %-13s %8.1f s%n", p.model(), p.kernels(), p.part(), p.wallSeconds());
            perModel.merge(p.model(), p.wallSeconds(), Double::sum);
        }
        perModel.forEach((m, sec) -> stdout.printf(Locale.ROOT, "  %-8s all parts %8.1f s%n", m, sec));

        Settings settings = new Settings(ms.stream().map(CliChoices.Model::cliName).toList(), mValues,
                sigs.stream().map(Expo1dSignal::cliName).toList(), toys, nullToys, overrides, referenceSize, Expo1d.N0,
                widthQuantile, result.sigmas(), new SparkerSettings(schedule.schedule(), epochs, steps, learningRate, engineName,
                engineReason, precision, batch), new FalkonSettings(lambda, newtonSteps), seed, parallel);
        totalSeconds = (System.nanoTime() - start) * 1e-9;
        // the numbers before the plot: a plot that cannot be drawn (no fonts on a headless machine) must not lose them
        ResultJson.write(out.resolve("compare.json"), new Json("compare", settings, rows, result.parts(), perModel, totalSeconds));
        if (!output.noPlots) {
            String title = String.format(Locale.ROOT, "EXPO-1D, N_R = %d: SparKer %d x (%d+%d) steps, lr %s; Falkon lambda = %s",
                    referenceSize, epochs, steps, steps, learningRate, lambda);
            ComparePlots.medianZVersusM(rows, title, out.resolve("median-z-vs-m.png"));
        }
        stdout.printf(Locale.ROOT, "wall time %.1f s; wrote %s, %s%s%n", totalSeconds, out.resolve("compare.md"),
                out.resolve("compare.json"), output.noPlots ? "" : ", " + out.resolve("median-z-vs-m.png"));
        stdout.flush();
        return 0;
    }

    /** The Markdown table of compare.md. */
    static String markdown(List<Expo1dComparison.Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| model | M | signal | toys | median t | Z empirical [68%] | Z chi2-fit [68%] | dof | s / toy |\n");
        b.append("|---|---:|---|---:|---:|---|---|---:|---:|\n");
        for (Expo1dComparison.Row r : rows) {
            Significance.Sensitivity s = r.sensitivity();
            String zEmp = s == null ? "" : String.format(Locale.ROOT, "%s%.2f [%.2f, %.2f]", s.empiricalSaturated() ? ">" : "",
                    s.zEmpirical(), s.zEmpiricalLow(), s.zEmpiricalHigh());
            String zAsy = s == null ? "" : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", s.zAsymptotic(), s.zAsymptoticLow(),
                    s.zAsymptoticHigh());
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.2f | %s | %s | %.2f ± %.2f | %.3g |%n", r.model(), r.kernels(),
                    r.signal(), r.toys(), r.medianT(), zEmp, zAsy, r.dof(), r.dofError(), r.secondsPerToy()));
        }
        b.append("\nnull rows: median of the null t and the chi-square dof fitted to it (maximum likelihood); signal rows: Z at the")
                .append(" median signal t from the empirical null ('>' when it beats every null toy) and from the fitted chi-square,")
                .append(" [68%] over the median's 68% interval; s / toy: mean wall time of one toy (one thread).\n");
        return b.toString();
    }
}
