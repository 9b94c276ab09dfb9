package dev.sparker.io;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.EnsembleListener;
import dev.sparker.calibration.Shard;
import dev.sparker.calibration.ShardManifest;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyOutcome;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToyTask;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Precision;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.train.Convergence;
import dev.sparker.train.Preset;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingHistory;
import dev.sparker.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Test these files, calibrate by resampling" as a library call, what {@code ./sparker test} runs: read a reference
 * and a data file (CSV, NumPy {@code .npy}, HDF5), standardise both with the reference, train SparKer on them
 * (paper section 3) and report t; with null toys, calibrate t by resampling the reference (each toy draws
 * pseudo-data of the data's size without replacement and keeps the rest as reference, sigma fixed to the observed
 * one) and report p and Z empirically, from a chi-square and from a normal fitted to the toys. The null toys are a
 * resumable JSON-lines file. Prints nothing: progress goes to a {@link Listener}.
 */
public final class FileTest {

    /** Feature names for files without them, looked for beside the reference: one name per line. */
    public static final String FEATURE_NAMES_FILE = "features.txt";

    /** How calibrated null toys are drawn, as result files describe it. */
    public static final String RESAMPLING_METHOD = "resampling: N_D reference events drawn without replacement as"
            + " pseudo-data (weight 1), the rest as reference (weight N_D / (N_R - N_D)), sigma fixed to the observed one";

    private FileTest() {
    }

    /**
     * N0, the number of data events expected under the null.
     *
     * @param source where N0 comes from
     * @param value  N0 when {@code source} is {@link Source#GIVEN}, else NaN
     */
    public record ExpectedEvents(Source source, double value) {
        /** Where N0 comes from. */
        public enum Source {
            /** The data's own total weight (blind to a pure excess or deficit in the number of events). */
            DATA_WEIGHT,
            /** The sum of the reference's per-event weights (a weighted Monte Carlo reference's normalisation). */
            REFERENCE_WEIGHTS,
            /** A number given by the caller (for example from a luminosity). */
            GIVEN
        }

        /** The data's total weight. */
        public static final ExpectedEvents DATA = new ExpectedEvents(Source.DATA_WEIGHT, Double.NaN);

        /** The reference's weights. */
        public static final ExpectedEvents REFERENCE = new ExpectedEvents(Source.REFERENCE_WEIGHTS, Double.NaN);

        /**
         * Checks the value.
         *
         * @throws IllegalArgumentException when a given N0 is not finite and &gt; 0, or another source has a value
         */
        public ExpectedEvents {
            if (source == null) throw new IllegalArgumentException("the source of N0 must not be null");
            if (source == Source.GIVEN && !(value > 0 && Double.isFinite(value))) {
                throw new IllegalArgumentException("N0 " + value + ": must be finite and > 0");
            }
            if (source != Source.GIVEN && !Double.isNaN(value)) {
                throw new IllegalArgumentException("N0 from " + source + " takes no value");
            }
        }

        /**
         * {@return N0 given as a number}
         *
         * @param n0 the expected data events, finite and &gt; 0
         * @throws IllegalArgumentException when {@code n0} is not finite and &gt; 0
         */
        public static ExpectedEvents given(double n0) {
            return new ExpectedEvents(Source.GIVEN, n0);
        }

        /** {@return as result files write it: null (data weight), "reference-weights", or the number} */
        @JsonValue
        public Object json() {
            return switch (source) {
                case DATA_WEIGHT -> null;
                case REFERENCE_WEIGHTS -> "reference-weights";
                case GIVEN -> value;
            };
        }

        /** {@return how result files and summaries name the source: "data total weight", ...} */
        public String describe() {
            return switch (source) {
                case DATA_WEIGHT -> "data total weight";
                case REFERENCE_WEIGHTS -> "reference weights";
                case GIVEN -> "given (--expected-events)";
            };
        }
    }

    /**
     * What to test and how.
     *
     * @param reference        the reference file (the null hypothesis)
     * @param data             the data file
     * @param features         feature columns by name or 0-based index, the same in both files; null or empty for
     *                         every column but the weight column
     * @param weightColumn     the reference's per-event weight column (name or index), or null
     * @param dataWeightColumn the data's per-event weight column, or null
     * @param dataset          HDF5: the dataset holding the events in both files, or null for the file's only one
     * @param decimalComma     CSV numbers written with a decimal comma
     * @param dropBadRows      drop rows with NaN or infinite values instead of failing
     * @param standardise      standardise both samples with the reference's means and deviations (the paper does)
     * @param expectedEvents   N0
     * @param training         the training configuration (preset, M, schedule, width rule, penalties, seed); its seed
     *                         also seeds the null toys
     * @param nullToys         resampling null toys: 0 (no calibration) or at least 3
     */
    public record Request(Path reference, Path data, List<String> features, String weightColumn, String dataWeightColumn,
                          String dataset, boolean decimalComma, boolean dropBadRows, boolean standardise,
                          ExpectedEvents expectedEvents, TrainingConfig training, int nullToys) {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException naming the field out of range
         */
        public Request {
            if (reference == null || data == null) throw new IllegalArgumentException("reference and data files must not be null");
            if (training == null) throw new IllegalArgumentException("the training configuration must not be null");
            if (expectedEvents == null) throw new IllegalArgumentException("expectedEvents must not be null (DATA for the data's weight)");
            if (nullToys < 0 || nullToys == 1 || nullToys == 2) {
                throw new IllegalArgumentException("nullToys " + nullToys
                        + ": 0 (no calibration) or at least 3 (the chi-square and normal fits need them)");
            }
            features = features == null ? List.of() : List.copyOf(features);
        }

        /**
         * {@return the request for {@code reference} and {@code data} with every column, standardised, N0 from the data,
         * no null toys}
         *
         * @param reference the reference file
         * @param data      the data file
         * @param training  the training configuration
         */
        public static Request of(Path reference, Path data, TrainingConfig training) {
            return new Request(reference, data, List.of(), null, null, null, false, false, true, ExpectedEvents.DATA,
                    training, 0);
        }

        /**
         * {@return this request with {@code n} null toys}
         *
         * @param n 0 or at least 3
         */
        public Request withNullToys(int n) {
            return new Request(reference, data, features, weightColumn, dataWeightColumn, dataset, decimalComma, dropBadRows,
                    standardise, expectedEvents, training, n);
        }

        ReadOptions options(String weight) {
            ReadOptions o = ReadOptions.defaults().withDropNonFinite(dropBadRows).withDecimalComma(decimalComma);
            if (!features.isEmpty()) {
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
    }

    /**
     * The engine and how work is spread.
     *
     * @param engine       the engine every training runs on
     * @param engineReason why that engine (recorded in results), or null
     * @param precision    the engine's precision
     * @param threads      null toys trained at once, one thread each, at least 1
     * @param eventThreads threads the observed training splits its events over, at least 1 (results do not depend on it)
     * @param out          folder of the null toys' JSON-lines file (created when missing)
     * @param shard        run only this shard of the null toys (and skip the observed training), or null for all
     * @param readOnly     train no null toy: read the (merged) file, and fail when a toy is missing
     */
    public record Execution(Engine engine, String engineReason, Precision precision, int threads, int eventThreads, Path out,
                            Shard shard, boolean readOnly) {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when the engine, precision or folder is null or a thread count is below 1
         */
        public Execution {
            if (engine == null || precision == null || out == null) {
                throw new IllegalArgumentException("engine, precision and output folder must not be null");
            }
            if (threads < 1) throw new IllegalArgumentException("threads " + threads + ": at least 1");
            if (eventThreads < 1) throw new IllegalArgumentException("eventThreads " + eventThreads + ": at least 1");
        }
    }

    /**
     * A request that does not fit its files (found once they are read): names the request's setting.
     */
    public static final class MismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** The setting a mismatch is about. */
        public enum Setting {
            /** {@link Request#nullToys()}. */
            NULL_TOYS,
            /** {@link Request#expectedEvents()}. */
            EXPECTED_EVENTS
        }

        /** The setting the problem is about. */
        private final Setting setting;
        /** The problem, to follow the setting's name. */
        private final String detail;

        MismatchException(Setting setting, String detail) {
            super(setting.name().toLowerCase(Locale.ROOT) + detail);
            this.setting = setting;
            this.detail = detail;
        }

        /** {@return the setting the problem is about} */
        public Setting setting() {
            return setting;
        }

        /** {@return the problem, to follow the setting's name (it starts with a space or a colon)} */
        public String detail() {
            return detail;
        }
    }

    /**
     * Hears the workflow's progress. The ensemble calls come from worker threads, one at a time; the training calls
     * from the observed training's thread.
     */
    public interface Listener extends EnsembleListener, TrainingListener {
        /** A listener that does nothing. */
        Listener NONE = new Listener() {
        };

        @Override
        default void toyDone(ToyRow row, int done, int total) {
        }

        @Override
        default void epochDone(int epoch, int epochs, double npLoss) {
        }

        /**
         * Both files are read and checked.
         *
         * @param inputs the prepared inputs
         */
        default void inputsRead(Inputs inputs) {
        }

        /**
         * The null toys are about to run.
         *
         * @param toys toys this process runs (this shard's share when sharded)
         */
        default void nullToysStarting(int toys) {
        }

        /** The null toys are done. */
        default void nullToysDone() {
        }

        /**
         * The observed training is about to run.
         *
         * @param inputs the prepared inputs
         * @param config its configuration, sigma fixed
         */
        default void trainingStarting(Inputs inputs, TrainingConfig config) {
        }

        /** The observed training is done. */
        default void trainingDone() {
        }
    }

    /**
     * Both files, read and prepared.
     *
     * @param reference        the reference's table as read (feature names from {@code features.txt} where used)
     * @param data             the data's table as read
     * @param prepared         standardised and weighted samples
     * @param featureNamesFile the {@code features.txt} whose names were taken, or null
     * @param outside          per feature: data events outside the reference's range
     */
    public record Inputs(SampleTable reference, SampleTable data, TestInputs prepared, Path featureNamesFile,
                         List<InputChecks.FeatureReport> outside) {
    }

    /**
     * Reads and checks both files: the first step of {@link #run}.
     *
     * @param request what to test
     * @return the prepared inputs
     * @throws SampleFileException naming file, line and column of a bad file
     * @throws MismatchException   when the request does not fit the files (null toys with weighted samples or too
     *                             small a reference; N0 from an unweighted reference's weights)
     * @throws IllegalArgumentException when the files do not fit together (dimensions)
     * @throws UncheckedIOException when {@code features.txt} cannot be read
     */
    public static Inputs read(Request request) {
        SampleTable refTable = SampleReaders.read(request.reference(), request.options(request.weightColumn()));
        SampleTable dataTable = SampleReaders.read(request.data(), request.options(request.dataWeightColumn()));
        Path namesFile = null;
        List<String> fileNames = namesFile(request, refTable, dataTable);
        if (fileNames != null) {
            namesFile = request.reference().toAbsolutePath().getParent().resolve(FEATURE_NAMES_FILE);
            refTable = new SampleTable(refTable.source(), refTable.samples(), fileNames, refTable.weighted(), refTable.droppedRows());
            dataTable = new SampleTable(dataTable.source(), dataTable.samples(), fileNames, dataTable.weighted(), dataTable.droppedRows());
        }
        int nullToys = request.nullToys();
        if (nullToys > 0 && refTable.weighted()) {
            throw new MismatchException(MismatchException.Setting.NULL_TOYS, " needs an unweighted reference (resampled events"
                    + " stand in for data), but the reference's weight column " + request.weightColumn() + " gives it"
                    + " per-event weights; calibrate with toys from your null model instead");
        }
        if (nullToys > 0 && dataTable.weighted()) {
            throw new MismatchException(MismatchException.Setting.NULL_TOYS, ": resampled pseudo-data are unweighted events,"
                    + " but the data's weight column " + request.dataWeightColumn() + " gives the data per-event weights;"
                    + " drop the data weights to calibrate by resampling");
        }
        if (nullToys > 0 && dataTable.size() >= refTable.size()) {
            throw new MismatchException(MismatchException.Setting.NULL_TOYS, ": the data (" + dataTable.size()
                    + " events) must be smaller than the reference (" + refTable.size()
                    + " events) to draw pseudo-data from it and keep the rest as reference");
        }
        double n0 = switch (request.expectedEvents().source()) {
            case DATA_WEIGHT -> Double.NaN;
            case GIVEN -> request.expectedEvents().value();
            case REFERENCE_WEIGHTS -> {
                if (!refTable.weighted()) {
                    throw new MismatchException(MismatchException.Setting.EXPECTED_EVENTS, " reference-weights needs"
                            + " per-event reference weights (a weight column); an unweighted reference's weights are all 1"
                            + " and would make N0 = N_R = " + refTable.size());
                }
                yield refTable.samples().totalWeight();
            }
        };
        if (nullToys > 0 && !Double.isNaN(n0) && Math.round(n0 + 6 * Math.sqrt(n0)) >= refTable.size()) {
            throw new MismatchException(MismatchException.Setting.NULL_TOYS, " with N0 = " + n0 + ": Poisson(N0)"
                    + " pseudo-data must stay well below the reference's " + refTable.size() + " events");
        }
        TestInputs in = TestInputs.prepare(refTable, dataTable, request.standardise(), n0);
        return new Inputs(refTable, dataTable, in, namesFile, InputChecks.compare(refTable, dataTable));
    }

    /**
     * Names for files without column names (NumPy, HDF5, CSV without header: {@code x0, x1, ...}): a
     * {@code features.txt} beside the reference with one name per line, as many as the features, when every column
     * was read (no feature selection). Else null.
     */
    private static List<String> namesFile(Request request, SampleTable ref, SampleTable dat) {
        Path dir = request.reference().toAbsolutePath().getParent();
        if (dir == null || !request.features().isEmpty()) {
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
        List<String> lines;
        try {
            lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return lines.size() == ref.dimension() && lines.stream().distinct().count() == lines.size() ? lines : null;
    }

    /**
     * One sample's description.
     *
     * @param file        the file
     * @param events      events read
     * @param weighted    whether it has per-event weights
     * @param droppedRows rows dropped for non-finite values
     * @param totalWeight the prepared sample's total weight (N0 for the reference)
     */
    public record SampleInfo(String file, int events, boolean weighted, int droppedRows, double totalWeight) {
        static SampleInfo of(SampleTable table, Samples prepared) {
            return new SampleInfo(table.source().toString(), table.size(), table.weighted(), table.droppedRows(),
                    prepared.totalWeight());
        }
    }

    /**
     * Notes the readers made.
     *
     * @param reference the reference's
     * @param data      the data's
     */
    public record Notes(List<String> reference, List<String> data) {
    }

    /**
     * The inputs as result files describe them.
     *
     * @param reference                the reference
     * @param data                     the data
     * @param expectedDataEvents       N0
     * @param expectedDataEventsSource where N0 came from
     * @param notes                    the readers' notes
     * @param dataOutsideReference     per feature: data events outside the reference's range
     */
    public record InputsSummary(SampleInfo reference, SampleInfo data, double expectedDataEvents,
                                String expectedDataEventsSource, Notes notes,
                                List<Map<String, Object>> dataOutsideReference) {
    }

    /**
     * The settings as result files record them.
     *
     * @param preset           the preset's name (gw-12d, expo-1d)
     * @param kernels          M
     * @param schedule         the training schedule
     * @param features         the feature names
     * @param weightColumn     the reference's weight column, or null
     * @param dataWeightColumn the data's weight column, or null
     * @param standardise      whether the samples were standardised
     * @param sigma            a fixed width given, or null
     * @param widthQuantile    the quantile of pairwise reference distances taken as sigma, or null with a fixed sigma
     * @param expectedEvents   N0 as asked for (null: the data's weight)
     * @param decimalComma     whether CSV numbers had a decimal comma
     * @param dropBadRows      whether rows with non-finite values were dropped
     * @param nullToys         null toys
     * @param seed             the seed
     * @param threads          null toys trained at once
     * @param eventThreads     threads the observed training split its events over
     */
    public record Settings(String preset, int kernels, dev.sparker.train.Schedule schedule, List<String> features,
                           String weightColumn, String dataWeightColumn, boolean standardise, Double sigma,
                           Double widthQuantile, ExpectedEvents expectedEvents, boolean decimalComma, boolean dropBadRows,
                           int nullToys, long seed, int threads, int eventThreads) {
    }

    /**
     * The kernels in standardised units.
     *
     * @param sigma        the width
     * @param amplitude    the amplitude
     * @param coefficients the coefficients a_i
     * @param locations    the locations, {@code [kernel][feature]}
     */
    public record StandardisedKernels(double sigma, dev.sparker.model.Amplitude amplitude, double[] coefficients, double[][] locations) {
    }

    /**
     * The learned kernels.
     *
     * @param count        M
     * @param dimension    d
     * @param standardised in the units training saw
     * @param original     in the files' units
     */
    public record Kernels(int count, int dimension, StandardisedKernels standardised,
                         Standardisation.OriginalUnitKernels original) {
        static Kernels of(KernelModel model, Standardisation st) {
            double[][] loc = new double[model.size()][];
            for (int i = 0; i < loc.length; i++) {
                loc[i] = model.location(i);
            }
            return new Kernels(model.size(), model.dimension(),
                    new StandardisedKernels(model.sigma(), model.amplitude(), model.coefficients(), loc),
                    st.toOriginalUnits(model));
        }
    }

    /**
     * The per-epoch loss terms, each evaluated at the end of its epoch.
     *
     * @param epochs             epochs run
     * @param npLoss             the Neyman-Pearson loss
     * @param coefficientPenalty the coefficient penalty
     * @param locationEntropy    the location entropy
     */
    public record History(int epochs, double[] npLoss, double[] coefficientPenalty, double[] locationEntropy) {
        static History of(TrainingHistory h) {
            return new History(h.epochs(), h.npLoss(), h.coefficientPenalty(), h.locationEntropy());
        }
    }

    /**
     * The resampling calibration.
     *
     * @param toys         null toys
     * @param method       how they were drawn
     * @param t            t of every toy
     * @param mean         their mean
     * @param quantiles    their quantiles
     * @param chiSquareFit the chi-square fitted to them
     * @param rows         the JSON-lines file's name
     */
    public record NullCalibration(int toys, String method, double[] t, double mean, Quantiles quantiles,
                                  Significance.ChiSquareFit chiSquareFit, String rows) {
    }

    /**
     * Quantiles of the null t.
     *
     * @param q05 5%
     * @param q16 16%
     * @param q50 the median
     * @param q84 84%
     * @param q95 95%
     */
    public record Quantiles(double q05, double q16, double q50, double q84, double q95) {
    }

    /**
     * The outcome, as {@code result.json} holds it (with the command's name before it and the plots after).
     * The p-values and fits are null without null toys.
     *
     * @param t                  the observed test statistic
     * @param pEmpirical         the empirical p over the null toys
     * @param zEmpirical         its Z (null at p = 1)
     * @param empiricalSaturated whether t beat every toy (p at its floor)
     * @param pChiSquare         p from the chi-square fitted to the toys
     * @param zChiSquare         its Z
     * @param dof                the fitted degrees of freedom
     * @param pNormal            p from a normal fitted to the toys (the paper's approximation for GWAK)
     * @param zNormal            its Z
     * @param chiSquareFitKsP    Kolmogorov-Smirnov p of the chi-square fit
     * @param normalFitKsP       Kolmogorov-Smirnov p of the normal fit
     * @param sigma              the kernel width
     * @param finalLoss          the loss at the end of training
     * @param lowestLoss         the lowest loss seen
     * @param engine             the engine's name
     * @param engineReason       why that engine
     * @param convergence        how training stopped
     * @param inputs             the inputs
     * @param settings           the settings
     * @param configuration      the observed training's key ({@link ConfigHash#trainingKey})
     * @param standardisation    the standardisation applied
     * @param kernels            the learned kernels
     * @param history            the per-epoch loss terms
     * @param nullCalibration    the calibration, or null (JSON: {@code null})
     * @param observed           the observed training's full result (not written to JSON)
     * @param read               the inputs as read (not written to JSON)
     * @param chiSquare          the chi-square fit, or null (not written to JSON)
     * @param nullSeconds        wall time of the null toys (not written to JSON)
     * @param ensembles          the ensembles run, as a shard manifest lists them (not written to JSON)
     */
    public record Result(double t, Double pEmpirical, Double zEmpirical, Boolean empiricalSaturated, Double pChiSquare,
                         Double zChiSquare, Double dof, Double pNormal, Double zNormal, Double chiSquareFitKsP,
                         Double normalFitKsP, double sigma, double finalLoss, double lowestLoss, String engine,
                         String engineReason, Convergence convergence, InputsSummary inputs, Settings settings,
                         Map<String, Object> configuration, Standardisation standardisation, Kernels kernels,
                         History history, @JsonProperty("null") NullCalibration nullCalibration,
                         @JsonIgnore TestResult observed, @JsonIgnore Inputs read,
                         @JsonIgnore Significance.ChiSquareFit chiSquare, @JsonIgnore double nullSeconds,
                         @JsonIgnore List<ShardManifest.Ensemble> ensembles) {
    }

    /**
     * The outcome of a sharded run: this shard's null toys, no observed training.
     *
     * @param inputs    the inputs as read
     * @param ensembles the ensembles run, as a shard manifest lists them
     */
    public record ShardResult(Inputs inputs, List<ShardManifest.Ensemble> ensembles) {
    }

    /**
     * Runs a sharded request: only this shard's null toys (see {@link Execution#shard()}).
     *
     * @param request   what to test, with null toys
     * @param execution the engine and threads, with a shard
     * @param listener  hears the progress
     * @return the ensembles run
     * @throws IllegalArgumentException when the request has no null toys or the execution no shard
     */
    public static ShardResult runShard(Request request, Execution execution, Listener listener) {
        if (execution.shard() == null) throw new IllegalArgumentException("no shard to run: call run");
        if (request.nullToys() == 0) throw new IllegalArgumentException("a shard splits the null toys; give null toys");
        Inputs inputs = read(request);
        listener.inputsRead(inputs);
        TrainingConfig fixed = fixedWidth(request, inputs);
        Calibration c = calibrate(request, execution, inputs, fixed, listener);
        return new ShardResult(inputs, List.of(c.ensemble()));
    }

    /**
     * Runs the whole workflow: reads both files, calibrates by resampling (with null toys), trains on the data
     * and reports t, p and Z.
     *
     * @param request   what to test
     * @param execution the engine and threads (without a shard)
     * @param listener  hears the progress
     * @return the result
     * @throws SampleFileException naming file, line and column of a bad file
     * @throws MismatchException   when the request does not fit its files
     * @throws IllegalArgumentException when the execution has a shard ({@link #runShard}) or the files do not fit together
     * @throws UncheckedIOException when the output folder cannot be written
     * @throws dev.sparker.train.TrainingDivergedException when a training diverges
     */
    public static Result run(Request request, Execution execution, Listener listener) {
        if (execution.shard() != null) throw new IllegalArgumentException("a sharded execution runs null toys only: call runShard");
        Inputs inputs = read(request);
        listener.inputsRead(inputs);
        TestInputs in = inputs.prepared();
        TrainingConfig fixed = fixedWidth(request, inputs);
        Calibration calibration = request.nullToys() > 0 ? calibrate(request, execution, inputs, fixed, listener) : null;
        double[] nullT = calibration == null ? null : calibration.t();

        listener.trainingStarting(inputs, fixed);
        EngineSettings observedSettings = new EngineSettings(execution.precision(), execution.eventThreads());
        TestResult observed = Trainer.train(in.reference(), in.data(), fixed, execution.engine(), observedSettings, listener);
        listener.trainingDone();
        double t = observed.t();

        Double pEmp = null;
        Double zEmp = null;
        Boolean saturated = null;
        Double pChi = null;
        Double zChi = null;
        Double dof = null;
        Double pNormal = null;
        Double zNormal = null;
        Double ksChi = null;
        Double ksNormal = null;
        Significance.ChiSquareFit fit = null;
        NullCalibration nullPart = null;
        if (nullT != null) {
            pEmp = Significance.empiricalP(nullT, t);
            fit = Significance.fitChiSquare(nullT);
            pChi = fit.asymptoticP(t);
            // Z = -infinity at p = 1 (every toy at or above t): JSON has no such number, so null
            zEmp = finiteOrNull(Significance.z(pEmp));
            saturated = pEmp <= 1.0 / (nullT.length + 1.0);
            zChi = finiteOrNull(Significance.z(Math.max(Double.MIN_NORMAL, pChi)));
            dof = fit.dof();
            // the paper's approximation for GWAK, where the null t is small and not chi-square-like
            Significance.NormalFit normal = Significance.fitNormal(nullT);
            pNormal = normal.p(t);
            zNormal = normal.z(t);
            ksChi = fit.ksP();
            ksNormal = normal.ksP();
            double[] q = Significance.quantiles(nullT, 0.05, 0.16, 0.5, 0.84, 0.95);
            nullPart = new NullCalibration(nullT.length, RESAMPLING_METHOD, nullT, Arrays.stream(nullT).average().orElseThrow(),
                    new Quantiles(q[0], q[1], q[2], q[3], q[4]), fit, calibration.file().getFileName().toString());
        }
        SampleTable refTable = inputs.reference();
        SampleTable dataTable = inputs.data();
        InputsSummary summary = new InputsSummary(SampleInfo.of(refTable, in.reference()), SampleInfo.of(dataTable, in.data()),
                in.expectedDataEvents(), request.expectedEvents().describe(), new Notes(refTable.notes(), dataTable.notes()),
                InputChecks.toJson(inputs.outside()));
        TrainingConfig config = request.training();
        Double fixedSigma = config.width().fixedSigma();
        Settings settings = new Settings(presetName(config.preset()), config.kernels(), fixed.schedule(), in.featureNames(),
                request.weightColumn(), request.dataWeightColumn(), request.standardise(), fixedSigma,
                fixedSigma != null ? null : config.width().quantile(), request.expectedEvents(), request.decimalComma(),
                request.dropBadRows(), request.nullToys(), config.seed(), execution.threads(), execution.eventThreads());
        return new Result(t, pEmp, zEmp, saturated, pChi, zChi, dof, pNormal, zNormal, ksChi, ksNormal, fixed.width().fixedSigma(),
                observed.finalLoss(), observed.lowestLoss(), execution.engine().name(), execution.engineReason(),
                observed.convergence(), summary, settings,
                ConfigHash.trainingKey(fixed, execution.engine().name(), observedSettings), in.standardisation(),
                Kernels.of(observed.model(), in.standardisation()), History.of(observed.history()), nullPart, observed,
                inputs, fit, calibration == null ? 0 : calibration.seconds(),
                calibration == null ? List.of() : List.of(calibration.ensemble()));
    }

    /** {@return the preset's name in results: gw-12d or expo-1d} */
    static String presetName(Preset p) {
        return p == Preset.GW_12D ? "gw-12d" : "expo-1d";
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static TrainingConfig fixedWidth(Request request, Inputs inputs) {
        double sigma = Trainer.resolveSigma(inputs.prepared().reference(), request.training());
        return request.training().toBuilder().sigma(sigma).build();
    }

    private record Calibration(double[] t, double seconds, Path file, ShardManifest.Ensemble ensemble) {
    }

    private static Calibration calibrate(Request request, Execution execution, Inputs inputs, TrainingConfig fixed,
                                         Listener listener) {
        long t0 = System.nanoTime();
        TestInputs in = inputs.prepared();
        long seed = request.training().seed();
        EngineSettings toySettings = new EngineSettings(execution.precision(), 1);
        boolean n0Given = request.expectedEvents().source() != ExpectedEvents.Source.DATA_WEIGHT;
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("calibration", "resampling the reference");
        key.put("reference", request.reference().toAbsolutePath().normalize().toString());
        key.put("referenceEvents", in.reference().size());
        key.put("dataEvents", in.data().size());
        key.put("standardisation", in.standardisation());
        key.put("training", ConfigHash.trainingKey(fixed, execution.engine().name(), toySettings));
        key.put("masterSeed", seed);
        if (n0Given) {
            key.put("expectedDataEvents", in.expectedDataEvents());
        }
        String hash = ConfigHash.of(key);
        try {
            Files.createDirectories(execution.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + execution.out(), e);
        }
        Path rowsFile = execution.out().resolve(String.format(Locale.ROOT, "null-toys-M%d-%s.jsonl", fixed.kernels(), hash));
        int toys = request.nullToys();
        listener.nullToysStarting(execution.shard() == null ? toys : execution.shard().size(toys));
        ResamplingToys task = new ResamplingToys(in.reference().withWeight(1.0), in.data().size(),
                n0Given ? in.expectedDataEvents() : Double.NaN, seed, fixed, execution.engine(), toySettings);
        ToyEnsemble ensemble = ToyEnsemble.builder().masterSeed(seed).toys(toys).configHash(hash)
                .threads(Math.min(execution.threads(), toys)).batchSize(1).listener(listener).output(rowsFile)
                .shard(execution.shard()).readOnly(execution.readOnly()).build();
        List<ToyRow> rows = ensemble.run(task);
        listener.nullToysDone();
        double[] t = rows.stream().mapToDouble(ToyRow::t).toArray();
        return new Calibration(t, (System.nanoTime() - t0) * 1e-9, rowsFile, ShardManifest.Ensemble.of(ensemble, rowsFile));
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
                int n = Math.max(1, new org.hipparchus.distribution.discrete.PoissonDistribution(expectedEvents)
                        .inverseCumulativeProbability(rng.nextDouble()));
                NullResampling.Toy toy = NullResampling.toy(reference, n, masterSeed, index);
                toyReference = toy.reference().withWeight(expectedEvents / (reference.size() - n));
                toyData = toy.data();
            }
            TestResult r = Trainer.train(toyReference, toyData, config, engine, settings, TrainingListener.NONE);
            return new ToyOutcome(r.t(), r.lowestLoss(), null);
        }
    }
}
