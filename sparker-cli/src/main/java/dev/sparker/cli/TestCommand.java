package dev.sparker.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToyRow;
import dev.sparker.engine.Engines;
import dev.sparker.io.FeatureMarginals;
import dev.sparker.io.FileTest;
import dev.sparker.io.InputChecks;
import dev.sparker.io.SampleTable;
import dev.sparker.io.Standardisation;
import dev.sparker.io.TestInputs;
import dev.sparker.model.KernelModel;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--preset", paramLabel = "gw-12d|expo-1d", defaultValue = "gw-12d", converter = CliChoices.PresetConverter.class,
            description = "gw-12d or expo-1d (default: ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = {"--kernels", "-M"}, description = "number of kernels M (default: 20 for gw-12d, 10 for expo-1d)")
    Integer kernels;

    @Option(names = "--null-toys", paramLabel = "N", description = "resampling null toys for p and Z (default: 0, none; at least 3)", defaultValue = "0")
    int nullToys;

    @Mixin
    AdamOptions adam;

    @Mixin
    ScheduleOptions schedule;

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

    @Option(names = "--no-standardise", description = "train on the features as they are (default: standardise with the reference)")
    boolean noStandardise;

    @Option(names = "--drop-bad-rows", description = "drop rows with NaN or infinite values (and report how many) instead of failing")
    boolean dropBadRows;

    @Mixin
    EngineOptions engine;

    @Mixin
    ToyThreadsOption threads;

    @Option(names = "--event-threads", paramLabel = "N",
            description = "threads the observed training splits its events over (default: available processors; the"
                    + " result does not depend on it)")
    Integer eventThreads;

    @Mixin
    OutputOptions output;

    @Mixin
    ShardOption shard;

    /** Feature names for files without them, looked for beside the reference. */
    static final String FEATURE_NAMES_FILE = FileTest.FEATURE_NAMES_FILE;

    /** Bins of the per-feature histograms. */
    static final int BINS = 40;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private void validate() {
        if (kernels != null && kernels < 1) throw bad("--kernels " + kernels + ": at least 1");
        if (nullToys < 0 || nullToys == 1 || nullToys == 2) {
            throw bad("--null-toys " + nullToys + ": 0 (no calibration) or at least 3 (the chi-square and normal fits need them)");
        }
        adam.validate();
        threads.threads();
        if (eventThreads != null && eventThreads < 1) throw bad("--event-threads " + eventThreads + ": at least 1");
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

    private FileTest.ExpectedEvents expectedEvents() {
        if (expectedEvents == null) {
            return FileTest.ExpectedEvents.DATA;
        }
        return expectedEvents.equalsIgnoreCase(N0_FROM_REFERENCE) ? FileTest.ExpectedEvents.REFERENCE
                : FileTest.ExpectedEvents.given(Double.parseDouble(expectedEvents));
    }

    /** The command's result.json: its name, the workflow's result, the plots and the wall times. */
    record Json(String command, @JsonUnwrapped FileTest.Result result, List<String> plots, WallSeconds wallSeconds) {
    }

    /**
     * Wall times.
     *
     * @param training the observed training
     * @param nullToys the null toys
     * @param total    the whole command
     */
    record WallSeconds(double training, double nullToys, double total) {
    }

    @Override
    public Integer call() throws IOException {
        Preset p = preset;
        validate();
        Path out = output.out();
        int m = kernels != null ? kernels : p == Preset.GW_12D ? 20 : 10;
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();

        TrainingConfig.Builder b = adam.applyGiven(TrainingConfig.preset(p, m).toBuilder().seed(output.seed));
        if (sigmaOption != null) b.sigma(sigmaOption);
        if (widthQuantile != null) b.width(WidthSpec.quantile(widthQuantile));
        if (lambdaA != null) b.lambdaA(lambdaA);
        if (lambdaH != null) b.lambdaH(lambdaH);
        TrainingConfig config = schedule.apply(b).build();
        FileTest.Request request = new FileTest.Request(reference, data, features, weightColumn, dataWeightColumn, dataset,
                decimalComma, dropBadRows, !noStandardise, expectedEvents(), config, nullToys);

        if (threads.given() && nullToys == 0) {
            // --threads once also set the observed training's event threads; say where that moved
            err.println("note: --threads sets how many null toys train at once, and there are none (--null-toys 0); the"
                    + " observed training splits its events over --event-threads N (default: available processors)");
        }
        Engines.Selection selection = engine.select();
        int events = eventThreads != null ? eventThreads : Runtime.getRuntime().availableProcessors();
        FileTest.Execution execution = new FileTest.Execution(selection.engine(), selection.reason(), engine.precision,
                threads.threads(), events, out, shard.shard, shard.readMerged);
        CliListener listener = new CliListener(err, selection);
        try {
            if (shard.sharded()) {
                shard.ran(FileTest.runShard(request, execution, listener).ensembles());
                return shard.finish(out);
            }
            FileTest.Result result = FileTest.run(request, execution, listener);
            Files.createDirectories(out);
            Path json = out.resolve("result.json");
            // the numbers before the plots (a plot that cannot be drawn, e.g. no fonts on a headless machine, must not
            // lose them), then again with the plots that were drawn
            double total = writeResult(json, result, List.of(), start);
            if (!output.noPlots) {
                total = writeResult(json, result, plots(result, out), start);
            }
            summary(stdout, result, total, json);
            return 0;
        } catch (FileTest.MismatchException e) {
            String flag = e.setting() == FileTest.MismatchException.Setting.NULL_TOYS ? "--null-toys" : "--expected-events";
            throw bad(flag + e.detail());
        }
    }

    /** Says what the workflow does, on stderr: feature names taken, rows dropped, the engine, progress. */
    private final class CliListener implements FileTest.Listener {
        private final PrintWriter err;
        private final Engines.Selection selection;
        private ProgressBar bar;

        CliListener(PrintWriter err, Engines.Selection selection) {
            this.err = err;
            this.selection = selection;
        }

        @Override
        public void inputsRead(FileTest.Inputs inputs) {
            if (inputs.featureNamesFile() != null) {
                err.println("feature names from " + inputs.featureNamesFile() + ": " + inputs.reference().featureNames());
            }
            if (inputs.reference().droppedRows() > 0 || inputs.data().droppedRows() > 0) {
                err.printf(Locale.ROOT, "dropped rows with NaN or infinite values: %d of the reference, %d of the data%n",
                        inputs.reference().droppedRows(), inputs.data().droppedRows());
            }
            err.println(Main.engineLine(selection.engine().name(), selection.reason()));
            err.flush();
        }

        @Override
        public void nullToysStarting(int toys) {
            bar = new ProgressBar(err, toys);
        }

        @Override
        public void started(int alreadyDone, int total) {
            bar.started(alreadyDone, total);
        }

        @Override
        public void toyDone(ToyRow row, int done, int total) {
            bar.toyDone(row, done, total);
        }

        @Override
        public void nullToysDone() {
            bar.finish();
        }

        @Override
        public void trainingStarting(FileTest.Inputs inputs, TrainingConfig fixed) {
            TestInputs in = inputs.prepared();
            err.printf(Locale.ROOT, "training on %d reference and %d data events, %d features, M = %d, %d x (%d + %d) steps...%n",
                    in.reference().size(), in.data().size(), in.reference().dimension(), fixed.kernels(), fixed.epochs(),
                    fixed.coefficientSteps(), fixed.locationSteps());
            err.flush();
            bar = new ProgressBar(err, fixed.epochs(), "epochs");
        }

        @Override
        public void epochDone(int epoch, int epochs, double npLoss) {
            bar.step();
        }

        @Override
        public void trainingDone() {
            bar.finish();
        }
    }

    private static List<String> plots(FileTest.Result result, Path out) throws IOException {
        List<String> plots = new ArrayList<>();
        TestResult observed = result.observed();
        List<FeatureMarginals.Marginal> marginals = FeatureMarginals.compute(result.read().prepared(), observed.model(), BINS);
        for (int j = 0; j < marginals.size(); j++) {
            String file = TestPlots.featureFileName(j, marginals.get(j).feature());
            TestPlots.feature(marginals.get(j), result.t(), out.resolve(file));
            plots.add(file);
        }
        TestPlots.kernelLocations(marginals, out.resolve(TestPlots.KERNEL_FILE));
        plots.add(TestPlots.KERNEL_FILE);
        TestPlots.trainingCurve(observed.history(), out.resolve(TestPlots.TRAINING_FILE));
        plots.add(TestPlots.TRAINING_FILE);
        if (result.nullCalibration() != null) {
            TestPlots.nullT(result.nullCalibration().t(), result.chiSquare(), result.t(), out.resolve(TestPlots.NULL_FILE));
            plots.add(TestPlots.NULL_FILE);
        }
        return plots;
    }

    /** Writes result.json with the plots drawn so far; returns the command's wall time up to now, in seconds. */
    private static double writeResult(Path json, FileTest.Result result, List<String> plots, long start) throws IOException {
        double total = (System.nanoTime() - start) * 1e-9;
        ResultJson.write(json, new Json("test", result, plots,
                new WallSeconds(result.observed().wallTimeSeconds(), result.nullSeconds(), total)));
        return total;
    }

    private void summary(PrintWriter o, FileTest.Result result, double total, Path json) {
        FileTest.Inputs inputs = result.read();
        TestInputs in = inputs.prepared();
        SampleTable refTable = inputs.reference();
        SampleTable dataTable = inputs.data();
        TrainingConfig c = request(result);
        TestResult r = result.observed();
        int m = result.settings().kernels();
        String engineName = result.engine();
        o.printf(Locale.ROOT, "reference %s: %d events; data %s: %d events; %d features %s%s%n", reference, refTable.size(),
                data, dataTable.size(), in.featureNames().size(), in.featureNames(),
                noStandardise ? " (not standardised)" : " (standardised with the reference)");
        for (String note : refTable.notes()) {
            o.println("reference " + reference + ": " + note);
        }
        for (String note : dataTable.notes()) {
            o.println("data " + data + ": " + note);
        }
        o.printf(Locale.ROOT, "N0 = %.6g expected data events (%s)%n", in.expectedDataEvents(),
                result.inputs().expectedDataEventsSource());
        for (String line : InputChecks.describe(inputs.outside(), dataTable.size())) {
            o.println(line);
        }
        if (c.schedule() == dev.sparker.train.Schedule.CONVERGED) {
            o.printf(Locale.ROOT, "preset %s, M = %d, converged schedule: %d epochs (%s, at most %d), sigma = %.4g, engine %s%n",
                    result.settings().preset(), m, r.convergence().epochs(), r.convergence().stoppedBy(), c.epochs(),
                    r.sigma(), engineName);
        } else {
            o.printf(Locale.ROOT, "preset %s, M = %d, %d x (%d + %d) Adam steps, lr %.4g, sigma = %.4g, engine %s%n",
                    result.settings().preset(), m, c.epochs(), c.coefficientSteps(),
                    c.locationSteps(), c.learningRate(), r.sigma(), engineName);
        }
        o.printf(Locale.ROOT, "t = %.4f  (training %.1f s)%n", r.t(), r.wallTimeSeconds());
        FileTest.NullCalibration nullPart = result.nullCalibration();
        if (nullPart != null) {
            Significance.ChiSquareFit fit = result.chiSquare();
            double[] nullT = nullPart.t();
            o.printf(Locale.ROOT, "null: %d resampling toys, median t %.4f; chi-square fit dof = %.2f +- %.2f, KS p = %.3f%n",
                    nullT.length, Significance.quantiles(nullT, 0.5)[0], fit.dof(), fit.dofError(), fit.ksP());
            double pEmp = result.pEmpirical();
            double pChi = result.pChiSquare();
            double zEmp = Significance.z(pEmp);
            o.printf(Locale.ROOT, "p empirical = %.4g (Z = %s)   p chi-square = %.4g (Z = %.2f)   p normal approximation = %.4g (Z = %.2f)%n",
                    pEmp, Double.isFinite(zEmp) ? (result.empiricalSaturated() ? ">" : "")
                            + String.format(Locale.ROOT, "%.2f", zEmp) : "n/a, every toy at or above t",
                    pChi, Significance.z(Math.max(Double.MIN_NORMAL, pChi)), result.pNormal(), result.zNormal());
            double ksChi = result.chiSquareFitKsP();
            double ksNormal = result.normalFitKsP();
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

    /** The observed training's configuration (sigma fixed), as the workflow ran it. */
    private static TrainingConfig request(FileTest.Result result) {
        return result.observed().config();
    }

    static Integer[] byCoefficientDescending(KernelModel model) {
        Integer[] order = new Integer[model.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -model.coefficient(i)));
        return order;
    }
}
