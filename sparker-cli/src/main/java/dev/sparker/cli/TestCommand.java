package dev.sparker.cli;

import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyOutcome;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToyTask;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.io.ColumnRef;
import dev.sparker.io.FeatureMarginals;
import dev.sparker.io.InputChecks;
import dev.sparker.io.NullResampling;
import dev.sparker.io.ReadOptions;
import dev.sparker.io.SampleReaders;
import dev.sparker.io.SampleTable;
import dev.sparker.io.Standardisation;
import dev.sparker.io.TestInputs;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingListener;
import dev.sparker.train.WidthSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sparker test}: SparKer on the user's own reference and data files (CSV, NumPy {@code .npy},
 * HDF5), standardised with the reference, optionally calibrated by resampling the reference.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Trains SparKer on a reference and a data sample read from files (CSV, .npy or HDF5, chosen by "
                        + "extension), every feature standardised with the reference's mean and deviation, and reports t. "
                        + "With --null-toys N it calibrates t by resampling: each toy draws pseudo-data of the data's size "
                        + "from the reference without replacement and keeps the rest as reference (sigma fixed to the "
                        + "observed one); p and Z are reported empirically and from a chi-square fitted to the toys. Writes"
                        + " result.json, PNG plots and (with null toys) a resumable JSON-lines file to --out. Files without"
                        + " column names take names from a features.txt beside the reference."})
final class TestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--reference", required = true, paramLabel = "FILE", description = "reference sample (the null hypothesis)")
    Path reference;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "data sample to test")
    Path data;

    @Option(names = "--features", split = ",", paramLabel = "COL[,COL...]",
            description = "feature columns by name or 0-based index, the same in both files (default: every column but the weight column)")
    List<String> features;

    @Option(names = "--weight-column", paramLabel = "COL", description = "per-event weight column of the reference (name or index)")
    String weightColumn;

    @Option(names = "--data-weight-column", paramLabel = "COL", description = "per-event weight column of the data (name or index)")
    String dataWeightColumn;

    @Option(names = "--dataset", paramLabel = "PATH", description = "HDF5: the dataset holding the events, in both files (default: the file's only dataset)")
    String dataset;

    @Option(names = "--preset", paramLabel = "NAME", description = "gw-12d or expo-1d (default: ${DEFAULT-VALUE})", defaultValue = "gw-12d")
    String preset;

    @Option(names = {"--kernels", "-M"}, description = "number of kernels M (default: 20 for gw-12d, 10 for expo-1d)")
    Integer kernels;

    @Option(names = "--null-toys", paramLabel = "N", description = "resampling null toys for p and Z (default: 0, none; at least 3)", defaultValue = "0")
    int nullToys;

    @Option(names = "--epochs", description = "epochs (default: the preset's; gw-12d 2000, expo-1d 500)")
    Integer epochs;

    @Option(names = "--steps", description = "Adam steps per phase per epoch (default: the preset's; gw-12d 10, expo-1d 100)")
    Integer steps;

    @Option(names = "--lr", description = "Adam learning rate (default: the preset's; gw-12d 0.04, expo-1d 0.001)")
    Double learningRate;

    @Option(names = "--sigma", paramLabel = "SIGMA",
            description = "fixed kernel width, in the units training sees (standardised unless --no-standardise); default: a quantile of the reference's pairwise distances")
    Double sigmaOption;

    @Option(names = "--width-quantile", paramLabel = "Q",
            description = "the quantile of the reference's pairwise distances taken as sigma, in (0, 1) (default: 0.9, the paper's)")
    Double widthQuantile;

    @Option(names = "--lambda-a", paramLabel = "L", description = "coefficient penalty lambda_a >= 0 (default: the preset's; gw-12d 0.01, expo-1d 1e-5 for M <= 50)")
    Double lambdaA;

    @Option(names = "--lambda-h", paramLabel = "L", description = "location entropy weight lambda_H >= 0 (default: the preset's; gw-12d 0.1, expo-1d 1e-3 for M <= 50)")
    Double lambdaH;

    @Option(names = "--expected-events", paramLabel = "N0|reference-weights",
            description = "N0, the number of data events expected under the null: a number (e.g. from a luminosity), or"
                    + " reference-weights for the sum of the reference's weights (a weighted Monte Carlo reference's"
                    + " normalisation). Default: the data's own total weight, which makes the test blind to a pure"
                    + " excess or deficit in the number of events")
    String expectedEvents;

    @Option(names = "--decimal-comma", description = "read CSV numbers written with a decimal comma (0,5 for 0.5; cells then separated by ';' or tabs)")
    boolean decimalComma;

    @Option(names = "--engine", description = "engine name or auto (see ./sparker engines; default: ${DEFAULT-VALUE})", defaultValue = "auto")
    String engine;

    @Option(names = "--precision", description = "DOUBLE or FLOAT (default: ${DEFAULT-VALUE})", defaultValue = "DOUBLE")
    Precision precision;

    @Option(names = "--threads", description = "threads: the observed training splits its events over them, null toys run one per thread (default: available processors)")
    Integer threads;

    @Option(names = "--seed", description = "seeds the initial kernel locations, the width subsample and the null toys (default: ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})", defaultValue = "out/test")
    Path out;

    @Option(names = "--no-standardise", description = "train on the features as they are (default: standardise with the reference)")
    boolean noStandardise;

    @Option(names = "--drop-bad-rows", description = "drop rows with NaN or infinite values (and report how many) instead of failing")
    boolean dropBadRows;

    @Option(names = "--no-plots", description = "skip the PNG plots")
    boolean noPlots;

    @CommandLine.Mixin
    ShardOption shard;

    /** Feature names for files without them, looked for beside the reference. */
    static final String FEATURE_NAMES_FILE = "features.txt";

    /** Bins of the per-feature histograms. */
    static final int BINS = 40;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    Preset parsePreset() {
        return switch (preset.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "gw-12d", "gw12d" -> Preset.GW_12D;
            case "expo-1d", "expo1d" -> Preset.EXPO_1D;
            default -> throw bad("--preset " + preset + ": unknown preset; use gw-12d or expo-1d");
        };
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String presetName(Preset p) {
        return p == Preset.GW_12D ? "gw-12d" : "expo-1d";
    }

    private void validate() {
        if (kernels != null && kernels < 1) throw bad("--kernels " + kernels + ": at least 1");
        if (nullToys < 0 || nullToys == 1 || nullToys == 2) {
            throw bad("--null-toys " + nullToys + ": 0 (no calibration) or at least 3 (the chi-square and normal fits need them)");
        }
        if (epochs != null && epochs < 1) throw bad("--epochs " + epochs + ": at least 1");
        if (steps != null && steps < 1) throw bad("--steps " + steps + ": at least 1");
        if (learningRate != null && (!(learningRate > 0) || !Double.isFinite(learningRate))) {
            throw bad("--lr " + learningRate + ": must be finite and > 0");
        }
        if (threads != null && threads < 1) throw bad("--threads " + threads + ": at least 1");
        if (shard.sharded() && nullToys == 0) throw bad("--shard splits the null toys among processes; give --null-toys N");
        if (sigmaOption != null && (!(sigmaOption > 0) || !Double.isFinite(sigmaOption))) {
            throw bad("--sigma " + sigmaOption + ": must be finite and > 0");
        }
        if (widthQuantile != null && !(widthQuantile > 0 && widthQuantile < 1)) {
            throw bad("--width-quantile " + widthQuantile + ": must lie in (0, 1)");
        }
        if (sigmaOption != null && widthQuantile != null) {
            throw bad("--sigma and --width-quantile: give one (a fixed width, or the quantile that estimates it)");
        }
        if (lambdaA != null && (!(lambdaA >= 0) || !Double.isFinite(lambdaA))) {
            throw bad("--lambda-a " + lambdaA + ": must be finite and >= 0");
        }
        if (lambdaH != null && (!(lambdaH >= 0) || !Double.isFinite(lambdaH))) {
            throw bad("--lambda-h " + lambdaH + ": must be finite and >= 0");
        }
        if (expectedEvents != null && !expectedEvents.equalsIgnoreCase(N0_FROM_REFERENCE)) {
            double n0;
            try {
                n0 = Double.parseDouble(expectedEvents);
            } catch (NumberFormatException e) {
                throw bad("--expected-events " + expectedEvents + ": a number > 0 or " + N0_FROM_REFERENCE);
            }
            if (!(n0 > 0) || !Double.isFinite(n0)) {
                throw bad("--expected-events " + expectedEvents + ": N0 must be finite and > 0");
            }
        }
        if (features != null) {
            for (String f : features) {
                if (f.isBlank()) throw bad("--features " + String.join(",", features) + ": empty column name");
            }
        }
        if (weightColumn != null && weightColumn.isBlank()) throw bad("--weight-column: empty column name");
        if (dataWeightColumn != null && dataWeightColumn.isBlank()) throw bad("--data-weight-column: empty column name");
        if (!Files.isRegularFile(reference)) {
            throw bad("--reference " + reference + ": " + (Files.exists(reference) ? "not a regular file" : "no such file"));
        }
        if (!Files.isRegularFile(data)) {
            throw bad("--data " + data + ": " + (Files.exists(data) ? "not a regular file" : "no such file"));
        }
    }

    /** The {@code --expected-events} keyword that takes N0 from the reference's weights. */
    static final String N0_FROM_REFERENCE = "reference-weights";

    private ReadOptions options(String weight) {
        ReadOptions o = ReadOptions.defaults().withDropNonFinite(dropBadRows).withDecimalComma(decimalComma);
        if (features != null && !features.isEmpty()) {
            o = o.withFeatures(features.toArray(String[]::new));
        }
        if (weight != null) {
            o = o.withWeightColumn(ColumnRef.parse(weight));
        }
        if (dataset != null) {
            o = o.withDataset(dataset);
        }
        return o;
    }

    @Override
    public Integer call() throws IOException {
        Preset p = parsePreset();
        validate();
        int m = kernels != null ? kernels : p == Preset.GW_12D ? 20 : 10;
        PrintWriter stdout = spec.commandLine().getOut();
        PrintStream err = System.err;
        long start = System.nanoTime();

        SampleTable refTable = SampleReaders.read(reference, options(weightColumn));
        SampleTable dataTable = SampleReaders.read(data, options(dataWeightColumn));
        List<String> fileNames = namesFile(refTable, dataTable);
        if (fileNames != null) {
            err.println("feature names from " + reference.toAbsolutePath().getParent().resolve(FEATURE_NAMES_FILE) + ": " + fileNames);
            refTable = new SampleTable(refTable.source(), refTable.samples(), fileNames, refTable.weighted(), refTable.droppedRows());
            dataTable = new SampleTable(dataTable.source(), dataTable.samples(), fileNames, dataTable.weighted(), dataTable.droppedRows());
        }
        if (nullToys > 0 && refTable.weighted()) {
            throw bad("--null-toys needs an unweighted reference (resampled events stand in for data), but --weight-column "
                    + weightColumn + " gives the reference per-event weights; calibrate with toys from your null model instead");
        }
        if (nullToys > 0 && dataTable.weighted()) {
            throw bad("--null-toys: resampled pseudo-data are unweighted events, but --data-weight-column "
                    + dataWeightColumn + " gives the data per-event weights; drop the data weights to calibrate by resampling");
        }
        if (nullToys > 0 && dataTable.size() >= refTable.size()) {
            throw bad("--null-toys: the data (" + dataTable.size() + " events) must be smaller than the reference ("
                    + refTable.size() + " events) to draw pseudo-data from it and keep the rest as reference");
        }
        double n0Given = Double.NaN;
        String n0Source = "data total weight";
        if (expectedEvents != null && expectedEvents.equalsIgnoreCase(N0_FROM_REFERENCE)) {
            if (!refTable.weighted()) {
                throw bad("--expected-events " + N0_FROM_REFERENCE + " needs per-event reference weights (--weight-column);"
                        + " an unweighted reference's weights are all 1 and would make N0 = N_R = " + refTable.size());
            }
            n0Given = refTable.samples().totalWeight();
            n0Source = "reference weights";
        } else if (expectedEvents != null) {
            n0Given = Double.parseDouble(expectedEvents);
            n0Source = "given (--expected-events)";
        }
        if (nullToys > 0 && !Double.isNaN(n0Given) && Math.round(n0Given + 6 * Math.sqrt(n0Given)) >= refTable.size()) {
            throw bad("--null-toys with N0 = " + n0Given + ": Poisson(N0) pseudo-data must stay well below the reference's "
                    + refTable.size() + " events");
        }
        TestInputs in = TestInputs.prepare(refTable, dataTable, !noStandardise, n0Given);
        List<InputChecks.FeatureReport> outside = InputChecks.compare(refTable, dataTable);
        if (refTable.droppedRows() > 0 || dataTable.droppedRows() > 0) {
            err.printf(Locale.ROOT, "dropped rows with NaN or infinite values: %d of the reference, %d of the data%n",
                    refTable.droppedRows(), dataTable.droppedRows());
        }

        Engines.Selection selection = Engines.select(engine);
        String engineName = selection.engine().name();
        err.println(Main.engineLine(engineName, selection.reason()));
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();

        TrainingConfig.Builder b = TrainingConfig.preset(p, m).toBuilder()
                .seed(seed);
        Engine chosen = selection.engine();
        // the observed data's training splits its events over every thread; each null toy runs on one
        EngineSettings observedSettings = new EngineSettings(precision, parallel);
        EngineSettings toySettings = new EngineSettings(precision, 1);
        if (epochs != null) b.epochs(epochs);
        if (steps != null) b.coefficientSteps(steps).locationSteps(steps);
        if (learningRate != null) b.learningRate(learningRate);
        if (sigmaOption != null) b.sigma(sigmaOption);
        if (widthQuantile != null) b.width(WidthSpec.quantile(widthQuantile));
        if (lambdaA != null) b.lambdaA(lambdaA);
        if (lambdaH != null) b.lambdaH(lambdaH);
        TrainingConfig config = b.build();
        double sigma = Trainer.resolveSigma(in.reference(), config);
        TrainingConfig fixed = config.toBuilder().sigma(sigma).build();
        Files.createDirectories(out);

        double[] nullT = null;
        double nullSeconds = 0;
        Path rowsFile = null;
        if (nullToys > 0) {
            long t0 = System.nanoTime();
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("calibration", "resampling the reference");
            key.put("reference", reference.toAbsolutePath().normalize().toString());
            key.put("referenceEvents", in.reference().size());
            key.put("dataEvents", in.data().size());
            key.put("standardisation", in.standardisation());
            key.put("training", ConfigHash.trainingKey(fixed, engineName, toySettings));
            key.put("masterSeed", seed);
            if (!Double.isNaN(n0Given)) {
                key.put("expectedDataEvents", in.expectedDataEvents());
            }
            String hash = ConfigHash.of(key);
            rowsFile = out.resolve(String.format(Locale.ROOT, "null-toys-M%d-%s.jsonl", m, hash));
            ProgressBar bar = new ProgressBar(err, shard.share(nullToys));
            ResamplingToys task = new ResamplingToys(in.reference().withWeight(1.0), in.data().size(),
                    Double.isNaN(n0Given) ? Double.NaN : in.expectedDataEvents(), seed, fixed, chosen, toySettings);
            List<ToyRow> rows = shard.build(ToyEnsemble.builder().masterSeed(seed).toys(nullToys).configHash(hash)
                    .threads(Math.min(parallel, nullToys)).batchSize(1).listener(bar), rowsFile).run(task);
            bar.finish();
            nullT = rows.stream().mapToDouble(ToyRow::t).toArray();
            nullSeconds = (System.nanoTime() - t0) * 1e-9;
        }
        if (shard.sharded()) {
            return shard.finish(out);
        }

        err.printf(Locale.ROOT, "training on %d reference and %d data events, %d features, M = %d, %d x (%d + %d) steps...%n",
                in.reference().size(), in.data().size(), in.reference().dimension(), m, fixed.epochs(),
                fixed.coefficientSteps(), fixed.locationSteps());
        ProgressBar epochBar = new ProgressBar(err, fixed.epochs(), "epochs");
        TestResult observed = Trainer.train(in.reference(), in.data(), fixed, chosen, observedSettings,
                (epoch, total, loss) -> epochBar.step());
        epochBar.finish();
        double t = observed.t();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "test");
        result.put("t", t);
        Significance.ChiSquareFit fit = null;
        if (nullT != null) {
            double pEmp = Significance.empiricalP(nullT, t);
            fit = Significance.fitChiSquare(nullT);
            double pChi = fit.asymptoticP(t);
            result.put("pEmpirical", pEmp);
            // Z = -infinity at p = 1 (every toy at or above t): JSON has no such number, so null
            result.put("zEmpirical", finiteOrNull(Significance.z(pEmp)));
            result.put("empiricalSaturated", pEmp <= 1.0 / (nullT.length + 1.0));
            result.put("pChiSquare", pChi);
            result.put("zChiSquare", finiteOrNull(Significance.z(Math.max(Double.MIN_NORMAL, pChi))));
            result.put("dof", fit.dof());
            // the paper's approximation for GWAK, where the null t is small and not chi-square-like
            Significance.NormalFit normal = Significance.fitNormal(nullT);
            result.put("pNormal", normal.p(t));
            result.put("zNormal", normal.z(t));
            result.put("chiSquareFitKsP", fit.ksP());
            result.put("normalFitKsP", normal.ksP());
        } else {
            for (String k : List.of("pEmpirical", "zEmpirical", "empiricalSaturated", "pChiSquare", "zChiSquare", "dof",
                    "pNormal", "zNormal", "chiSquareFitKsP", "normalFitKsP")) {
                result.put(k, null);
            }
        }
        result.put("sigma", sigma);
        result.put("finalLoss", observed.finalLoss());
        result.put("lowestLoss", observed.lowestLoss());
        result.put("engine", engineName);
        result.put("engineReason", selection.reason());

        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("reference", sampleInfo(refTable, in.reference()));
        inputs.put("data", sampleInfo(dataTable, in.data()));
        inputs.put("expectedDataEvents", in.expectedDataEvents());
        inputs.put("expectedDataEventsSource", n0Source);
        inputs.put("notes", Map.of("reference", refTable.notes(), "data", dataTable.notes()));
        inputs.put("dataOutsideReference", InputChecks.toJson(outside));
        result.put("inputs", inputs);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("preset", presetName(p));
        settings.put("kernels", m);
        settings.put("features", in.featureNames());
        settings.put("weightColumn", weightColumn);
        settings.put("dataWeightColumn", dataWeightColumn);
        settings.put("standardise", !noStandardise);
        // how sigma was chosen: a fixed --sigma, or this quantile of the (standardised) reference's pairwise distances
        settings.put("sigma", sigmaOption);
        settings.put("widthQuantile", sigmaOption != null ? null : config.width().quantile());
        settings.put("expectedEvents", expectedEvents);
        settings.put("decimalComma", decimalComma);
        settings.put("dropBadRows", dropBadRows);
        settings.put("nullToys", nullToys);
        settings.put("seed", seed);
        settings.put("threads", parallel);
        result.put("settings", settings);
        result.put("configuration", ConfigHash.trainingKey(fixed, engineName, observedSettings));
        result.put("standardisation", in.standardisation());
        result.put("kernels", kernels(observed.model(), in.standardisation()));
        result.put("history", history(observed.history()));

        Map<String, Object> nullPart = null;
        if (nullT != null) {
            double[] q = Significance.quantiles(nullT, 0.05, 0.16, 0.5, 0.84, 0.95);
            nullPart = new LinkedHashMap<>();
            nullPart.put("toys", nullT.length);
            nullPart.put("method", "resampling: N_D reference events drawn without replacement as pseudo-data (weight 1),"
                    + " the rest as reference (weight N_D / (N_R - N_D)), sigma fixed to the observed one");
            nullPart.put("t", nullT);
            nullPart.put("mean", Arrays.stream(nullT).average().orElseThrow());
            Map<String, Object> qs = new LinkedHashMap<>();
            String[] names = {"q05", "q16", "q50", "q84", "q95"};
            for (int i = 0; i < q.length; i++) {
                qs.put(names[i], q[i]);
            }
            nullPart.put("quantiles", qs);
            nullPart.put("chiSquareFit", fit);
            nullPart.put("rows", rowsFile.getFileName().toString());
        }
        result.put("null", nullPart);

        List<String> plots = new ArrayList<>();
        if (!noPlots) {
            List<FeatureMarginals.Marginal> marginals = FeatureMarginals.compute(in, observed.model(), BINS);
            for (int j = 0; j < marginals.size(); j++) {
                String file = TestPlots.featureFileName(j, marginals.get(j).feature());
                TestPlots.feature(marginals.get(j), t, out.resolve(file));
                plots.add(file);
            }
            TestPlots.kernelLocations(marginals, out.resolve(TestPlots.KERNEL_FILE));
            plots.add(TestPlots.KERNEL_FILE);
            TestPlots.trainingCurve(observed.history(), out.resolve(TestPlots.TRAINING_FILE));
            plots.add(TestPlots.TRAINING_FILE);
            if (nullT != null) {
                TestPlots.nullT(nullT, fit, t, out.resolve(TestPlots.NULL_FILE));
                plots.add(TestPlots.NULL_FILE);
            }
        }
        result.put("plots", plots);

        double total = (System.nanoTime() - start) * 1e-9;
        Map<String, Object> wall = new LinkedHashMap<>();
        wall.put("training", observed.wallTimeSeconds());
        wall.put("nullToys", nullSeconds);
        wall.put("total", total);
        result.put("wallSeconds", wall);
        Path json = out.resolve("result.json");
        Files.writeString(json, ResultJson.toJson(result));

        summary(stdout, in, refTable, dataTable, fixed, observed, nullT, result, fit, m, engineName, total, json, n0Source, outside);
        return 0;
    }

    /**
     * Names for files without column names (NumPy, HDF5, CSV without header: {@code x0, x1, ...}): a
     * {@code features.txt} beside the reference with one name per line, as many as the features, when every
     * column was read (no {@code --features}). Else null.
     */
    private List<String> namesFile(SampleTable ref, SampleTable dat) throws IOException {
        Path dir = reference.toAbsolutePath().getParent();
        if (dir == null || (features != null && !features.isEmpty())) {
            return null;
        }
        Path file = dir.resolve(FEATURE_NAMES_FILE);
        List<String> defaults = new ArrayList<>();
        for (int j = 0; j < ref.dimension(); j++) {
            defaults.add("x" + j);
        }
        if (!Files.isRegularFile(file) || !ref.featureNames().equals(defaults) || !dat.featureNames().equals(defaults)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.size() == ref.dimension() && lines.stream().distinct().count() == lines.size() ? lines : null;
    }

    private void summary(PrintWriter o, TestInputs in, SampleTable refTable, SampleTable dataTable, TrainingConfig c,
                         TestResult r, double[] nullT, Map<String, Object> result, Significance.ChiSquareFit fit, int m,
                         String engineName, double total, Path json, String n0Source, List<InputChecks.FeatureReport> outside) {
        o.printf(Locale.ROOT, "reference %s: %d events; data %s: %d events; %d features %s%s%n", reference, refTable.size(),
                data, dataTable.size(), in.featureNames().size(), in.featureNames(),
                noStandardise ? " (not standardised)" : " (standardised with the reference)");
        for (String note : refTable.notes()) {
            o.println("reference " + reference + ": " + note);
        }
        for (String note : dataTable.notes()) {
            o.println("data " + data + ": " + note);
        }
        o.printf(Locale.ROOT, "N0 = %.6g expected data events (%s)%n", in.expectedDataEvents(), n0Source);
        for (String line : InputChecks.describe(outside, dataTable.size())) {
            o.println(line);
        }
        o.printf(Locale.ROOT, "preset %s, M = %d, %d x (%d + %d) Adam steps, lr %.4g, sigma = %.4g, engine %s%n",
                presetName(c.preset()), m, c.epochs(), c.coefficientSteps(),
                c.locationSteps(), c.learningRate(), r.sigma(), engineName);
        o.printf(Locale.ROOT, "t = %.4f  (training %.1f s)%n", r.t(), r.wallTimeSeconds());
        if (nullT != null) {
            o.printf(Locale.ROOT, "null: %d resampling toys, median t %.4f; chi-square fit dof = %.2f +- %.2f, KS p = %.3f%n",
                    nullT.length, Significance.quantiles(nullT, 0.5)[0], fit.dof(), fit.dofError(), fit.ksP());
            double pEmp = (double) result.get("pEmpirical");
            double pChi = (double) result.get("pChiSquare");
            double zEmp = Significance.z(pEmp);
            o.printf(Locale.ROOT, "p empirical = %.4g (Z = %s)   p chi-square = %.4g (Z = %.2f)   p normal approximation = %.4g (Z = %.2f)%n",
                    pEmp, Double.isFinite(zEmp) ? ((boolean) result.get("empiricalSaturated") ? ">" : "")
                            + String.format(Locale.ROOT, "%.2f", zEmp) : "n/a, every toy at or above t",
                    pChi, Significance.z(Math.max(Double.MIN_NORMAL, pChi)),
                    (double) result.get("pNormal"), (double) result.get("zNormal"));
            double ksChi = (double) result.get("chiSquareFitKsP");
            double ksNormal = (double) result.get("normalFitKsP");
            o.printf(Locale.ROOT, "fit checks (Kolmogorov-Smirnov p, optimistic): chi-square %.3f, normal %.3f%s%n", ksChi, ksNormal,
                    ksChi < 0.05 && ksNormal < 0.05 ? "; neither fits the toys: trust the empirical p (run more toys for a smaller floor)"
                            : ksChi < 0.05 ? "; the chi-square does not fit the toys: prefer the empirical p or the normal approximation"
                            : ksNormal < 0.05 ? "; the normal does not fit the toys: prefer the empirical p or the chi-square" : "");
        } else {
            o.println("no p-value: give --null-toys N to calibrate t");
        }
        KernelModel model = r.model();
        Standardisation.OriginalUnitKernels k = in.standardisation().toOriginalUnits(model);
        Integer[] order = byCoefficientDescending(model);
        o.println("most positive kernels (a_i; location in original units, z = standardised):");
        for (int q = 0; q < Math.min(3, order.length); q++) {
            int i = order[q];
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  a = %+.4g :", model.coefficient(i)));
            double[] z = model.location(i);
            for (int j = 0; j < z.length; j++) {
                sb.append(String.format(Locale.ROOT, " %s=%.4g(z=%+.2f)", in.featureNames().get(j), k.locations()[i][j], z[j]));
            }
            o.println(sb);
        }
        o.printf(Locale.ROOT, "wall time %.1f s; wrote %s%n", total, json);
        o.flush();
    }

    static Integer[] byCoefficientDescending(KernelModel model) {
        Integer[] order = new Integer[model.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -model.coefficient(i)));
        return order;
    }

    /** The per-epoch loss terms for result.json (each evaluated at the end of its epoch). */
    static Map<String, Object> history(dev.sparker.train.TrainingHistory h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", h.epochs());
        m.put("npLoss", h.npLoss());
        m.put("coefficientPenalty", h.coefficientPenalty());
        m.put("locationEntropy", h.locationEntropy());
        return m;
    }

    private static Map<String, Object> sampleInfo(SampleTable table, Samples prepared) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", table.source().toString());
        m.put("events", table.size());
        m.put("weighted", table.weighted());
        m.put("droppedRows", table.droppedRows());
        m.put("totalWeight", prepared.totalWeight());
        return m;
    }

    /** The learned kernels in standardised and in original units. */
    static Map<String, Object> kernels(KernelModel model, Standardisation st) {
        int d = model.dimension();
        double[][] loc = new double[model.size()][];
        for (int i = 0; i < loc.length; i++) {
            loc[i] = model.location(i);
        }
        Map<String, Object> standardised = new LinkedHashMap<>();
        standardised.put("sigma", model.sigma());
        standardised.put("amplitude", model.amplitude());
        standardised.put("coefficients", model.coefficients());
        standardised.put("locations", loc);
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("count", model.size());
        k.put("dimension", d);
        k.put("standardised", standardised);
        k.put("original", st.toOriginalUnits(model));
        return k;
    }

    /**
     * One resampling null toy: pseudo-data and reference from {@link NullResampling} (toy {@code index} of the
     * ensemble seeded by the master seed), trained at the observed sigma with one thread.
     */
    static final class ResamplingToys implements ToyTask {
        private final Samples reference;
        private final int dataSize;
        private final double expectedEvents;
        private final long masterSeed;
        private final TrainingConfig config;
        private final Engine engine;
        private final EngineSettings settings;

        /**
         * @param expectedEvents NaN: every toy holds {@code dataSize} pseudo-data events and its reference predicts as
         *                       many; else N0: toy k holds Poisson(N0) events (seeded by toy k) and its reference
         *                       predicts N0, so that the toys see the count fluctuate as the test does
         */
        ResamplingToys(Samples reference, int dataSize, double expectedEvents, long masterSeed, TrainingConfig config,
                       Engine engine, EngineSettings settings) {
            this.reference = reference;
            this.dataSize = dataSize;
            this.expectedEvents = expectedEvents;
            this.masterSeed = masterSeed;
            this.config = config;
            this.engine = engine;
            this.settings = settings;
        }

        @Override
        public ToyOutcome run(int index, long seed) {
            Samples toyReference;
            Samples toyData;
            if (Double.isNaN(expectedEvents)) {
                NullResampling.Toy toy = NullResampling.toy(reference, dataSize, masterSeed, index);
                toyReference = toy.reference();
                toyData = toy.data();
            } else {
                org.hipparchus.random.Well19937c rng = new org.hipparchus.random.Well19937c(
                        NullResampling.toySeed(~masterSeed, index));
                int n = Math.max(1, new org.hipparchus.distribution.discrete.PoissonDistribution(expectedEvents).inverseCumulativeProbability(rng.nextDouble()));
                NullResampling.Toy toy = NullResampling.toy(reference, n, masterSeed, index);
                toyReference = toy.reference().withWeight(expectedEvents / (reference.size() - n));
                toyData = toy.data();
            }
            TestResult r = Trainer.train(toyReference, toyData, config, engine, settings, TrainingListener.NONE);
            return new ToyOutcome(r.t(), r.lowestLoss(), null);
        }
    }
}
