package dev.sparker.expo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.EnsembleListener;
import dev.sparker.calibration.Shard;
import dev.sparker.calibration.ShardManifest;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.calibration.ToyTask;
import dev.sparker.calibration.WidthCombination;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Precision;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.train.Convergence;
import dev.sparker.train.ResultJson;
import dev.sparker.train.Schedule;
import dev.sparker.train.StopCounts;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The EXPO-1D study (paper appendix A, Figures 1 and 5) as a library call: null toys calibrate t (quantiles, a
 * chi-square fit with its Kolmogorov-Smirnov check), signal toys give Z at the median signal t, and the ideal
 * likelihood-ratio test gives Z_id. Every ensemble is a resumable JSON-lines file named by
 * {@link Expo1dEnsembles}, so that {@code ./sparker expo1d}, {@code ./sparker compare}, sharded runs and this class
 * share toys for the same settings. The study prints nothing: progress goes to a {@link Listener}.
 *
 * <p>The model is an argument ({@link Model}): SparKer ({@link #sparker}) or any other model of the same toys
 * (the Falkon-NPLM baseline lives in {@code sparker-falkon}).
 */
public final class Expo1dStudy {

    private Expo1dStudy() {
    }

    /** One model at one M on the shared reference: its ensemble key, its toy tasks and what its results record. */
    public interface Model {
        /** {@return the model's name in results and file names: "sparker" or "falkon"} */
        String name();

        /** {@return the prefix of the model's files: "" for SparKer (the names expo1d always used), "NAME-" else} */
        default String filePrefix() {
            return Expo1dEnsembles.filePrefix(name());
        }

        /** {@return M: kernels for SparKer, Nystrom centres for Falkon-NPLM} */
        int kernels();

        /** {@return the ensemble key without the signal and master seed (hashed into every ensemble file)} */
        Map<String, Object> key();

        /**
         * {@return the toy task of signal {@code s}'s ensemble}
         *
         * @param s the signal ({@link Expo1dSignal#NONE}: the null toys)
         */
        ToyTask task(Expo1dSignal s);

        /** {@return toys per lock-step batch (1 where the model has no batched path)} */
        default int batch() {
            return 1;
        }

        /**
         * {@return the model fitted to one toy at the first width}
         *
         * @param s    the signal
         * @param seed the toy's seed
         */
        Fit fit(Expo1dSignal s, long seed);

        /** {@return what a result records about this model: engine, settings, configuration} */
        Description description();
    }

    /**
     * A model fitted to one toy.
     *
     * @param model the fitted kernel model
     * @param t     its test statistic
     */
    public record Fit(KernelModel model, double t) {
    }

    /**
     * What a result records about a model; absent parts are left out of the JSON.
     *
     * @param engine         the engine's name (SparKer), else null
     * @param engineReason   why that engine was chosen (SparKer), else null
     * @param schedule       the training schedule (SparKer), else null
     * @param epochs         epochs, or the converged schedule's cap (SparKer), else null
     * @param stepsPerPhase  Adam steps per phase per epoch (SparKer), else null
     * @param learningRate   the Adam learning rate (SparKer), else null
     * @param batch          toys per lock-step batch (SparKer), else null
     * @param precision      the engine's precision (SparKer), else null
     * @param lambda         the ridge penalty (Falkon-NPLM), else null
     * @param newtonSteps    Newton steps (Falkon-NPLM), else null
     * @param trainingConfig SparKer's training key ({@link ConfigHash#trainingKey}), else null
     * @param falkonConfig   Falkon-NPLM's configuration, else null
     */
    public record Description(String engine, String engineReason, Schedule schedule, Integer epochs, Integer stepsPerPhase,
                              Double learningRate, Integer batch, Precision precision, Double lambda, Integer newtonSteps,
                              Map<String, Object> trainingConfig, Object falkonConfig) {
    }

    /** Builds a model on the study's reference once its widths are resolved. */
    @FunctionalInterface
    public interface ModelFactory {
        /**
         * {@return the model on {@code reference} at widths {@code sigmas}}
         *
         * @param reference the shared reference (N_R events)
         * @param sigmas    the resolved widths, one per width quantile
         * @param commonKey {@link Expo1dEnsembles#commonKey} of the study
         */
        Model create(Samples reference, double[] sigmas, Map<String, Object> commonKey);
    }

    /**
     * Hears the study's progress: how many toys it plans to run, then every ensemble's start and every toy
     * (the {@link EnsembleListener} calls, from worker threads, one at a time).
     */
    public interface Listener extends EnsembleListener {
        /** A listener that does nothing. */
        Listener NONE = (row, done, total) -> { };

        /**
         * Called once before any toy runs.
         *
         * @param toys toys this process runs over every ensemble (this shard's share when sharded)
         */
        default void planned(int toys) {
        }
    }

    /**
     * Where and how ensembles run.
     *
     * @param out      folder of the JSON-lines files (created when missing)
     * @param threads  toys trained at once, one thread each, at least 1
     * @param shard    run only this shard of every ensemble, or null for every toy
     * @param readOnly train nothing: read the (merged) files, and fail when a toy is missing
     */
    public record Ensembles(Path out, int threads, Shard shard, boolean readOnly) {
        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException when {@code out} is null or {@code threads < 1}
         */
        public Ensembles {
            if (out == null) throw new IllegalArgumentException("the ensembles' folder must not be null");
            if (threads < 1) throw new IllegalArgumentException("threads " + threads + ": at least 1");
        }

        /**
         * {@return how many of an ensemble's toys this process runs}
         *
         * @param toys the ensemble's toys
         */
        public int share(int toys) {
            return shard == null ? toys : shard.size(toys);
        }
    }

    /**
     * An ensemble's outcome.
     *
     * @param t             t of each toy (this shard's when sharded) at each width, {@code [toy][width]}
     * @param secondsPerToy mean wall time of one toy over all its rows (resumed rows included)
     * @param wallSeconds   wall time of this run of the ensemble, from its first toy's start to its last toy's end
     *                      (0 when every toy was already done)
     * @param file          the JSON-lines file
     * @param manifest      the ensemble as a shard manifest lists it
     * @param convergence   each toy's convergence record (null entries where a toy has none: the paper schedule,
     *                      Falkon-NPLM)
     */
    public record Ensemble(double[][] t, double secondsPerToy, double wallSeconds, Path file, ShardManifest.Ensemble manifest,
                           List<Convergence> convergence) {

        /** {@return how the toys stopped under the converged schedule, or null when none ran it} */
        public StopCounts stops() {
            return StopCounts.of(convergence);
        }

        /**
         * {@return t of every toy at width {@code w}}
         *
         * @param w the width's index
         */
        public double[] column(int w) {
            return Expo1dStudy.column(t, w);
        }
    }

    /**
     * {@return a SparKer model factory: toys train with {@code base} (its width fixed per toy) on {@code engine}, one
     * thread each; the key is the one {@code expo1d} has always used, so earlier output folders resume}
     *
     * @param base         the training configuration (preset, schedule, epochs, steps, learning rate, seed)
     * @param engine       the engine
     * @param engineReason why the engine was chosen (recorded in results), or null
     * @param settings     the engine's settings per toy
     * @param batch        toys per lock-step batch, at least 1
     * @throws IllegalArgumentException when {@code batch < 1}
     */
    public static ModelFactory sparker(TrainingConfig base, Engine engine, String engineReason, EngineSettings settings,
                                       int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch + ": at least 1");
        return (reference, sigmas, commonKey) -> sparkerModel(reference, base, sigmas, engine, engineReason, settings, batch,
                commonKey);
    }

    private static Model sparkerModel(Samples reference, TrainingConfig base, double[] sigmas, Engine engine, String reason,
                                      EngineSettings settings, int batch, Map<String, Object> commonKey) {
        Map<String, Object> key = Expo1dEnsembles.sparkerKey(commonKey, base, engine.name(), settings);
        Description description = new Description(engine.name(), reason, base.schedule(), base.epochs(),
                base.coefficientSteps(), base.learningRate(), batch, settings.precision(), null, null,
                ConfigHash.trainingKey(base.toBuilder().sigma(sigmas[0]).build(), engine.name(), settings), null);
        return new Model() {
            @Override
            public String name() {
                return "sparker";
            }

            @Override
            public String filePrefix() {
                return "";
            }

            @Override
            public int kernels() {
                return base.kernels();
            }

            @Override
            public Map<String, Object> key() {
                return key;
            }

            @Override
            public ToyTask task(Expo1dSignal s) {
                return new Expo1dToyTask(reference, s, base, sigmas, engine, settings);
            }

            @Override
            public int batch() {
                return batch;
            }

            @Override
            public Fit fit(Expo1dSignal s, long seed) {
                TestResult r = new Expo1dToyTask(reference, s, base, sigmas, engine, settings).train(seed, 0);
                return new Fit(r.model(), r.t());
            }

            @Override
            public Description description() {
                return description;
            }
        };
    }

    /**
     * {@return the widths of the study: each quantile of the reference's pairwise distances, resolved once on the
     * shared reference with {@code base}'s width subsample}
     *
     * @param reference      the reference
     * @param base           the training configuration whose seed draws the subsample
     * @param widthQuantiles quantiles in (0, 1)
     */
    public static double[] sigmas(Samples reference, TrainingConfig base, List<Double> widthQuantiles) {
        double[] sigmas = new double[widthQuantiles.size()];
        for (int w = 0; w < sigmas.length; w++) {
            sigmas[w] = Trainer.resolveSigma(reference, base.toBuilder().width(WidthSpec.quantile(widthQuantiles.get(w))).build());
        }
        return sigmas;
    }

    /**
     * Runs (or resumes) a model's null toys and its toys of each signal together ({@link #ensembles}), the null toys
     * first.
     *
     * @param model      the model
     * @param nullToys   the null ensemble's toys
     * @param signals    the signals, each once, in the order their toys are handed out
     * @param signalToys toys per signal
     * @param seed       the study's seed
     * @param ensembles  where and how ensembles run
     * @param listener   hears every ensemble's start and every toy, one call at a time
     * @return the null ensemble's outcome, then each signal's, in the order of {@code signals}
     * @throws dev.sparker.calibration.ToyEnsembleException when a toy fails or a resumed file does not match
     */
    public static List<Ensemble> nullAndSignals(Model model, int nullToys, List<Expo1dSignal> signals, int signalToys,
                                                long seed, Ensembles ensembles, EnsembleListener listener) {
        List<Expo1dSignal> order = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        order.add(Expo1dSignal.NONE);
        counts.add(nullToys);
        for (Expo1dSignal s : signals) {
            order.add(s);
            counts.add(signalToys);
        }
        return ensembles(model, order, counts, seed, ensembles, listener);
    }

    /**
     * Runs (or resumes) a model's ensembles together on one pool of {@code ensembles.threads()} workers
     * ({@link ToyEnsemble#runTogether}): the toys are handed out in the order of {@code signals}, and a worker that
     * finds an ensemble's toys all taken goes on with the next ensemble's instead of waiting for the last toy.
     *
     * @param model     the model
     * @param signals   the signals, each once ({@link Expo1dSignal#NONE}: the null toys)
     * @param toys      each signal's number of toys, in the same order
     * @param seed      the study's seed
     * @param ensembles where and how ensembles run
     * @param listener  hears every ensemble's start and every toy, one call at a time
     * @return each signal's outcome, in the order given
     * @throws IllegalArgumentException when the lists differ in size or a signal appears twice
     * @throws dev.sparker.calibration.ToyEnsembleException when a toy fails or a resumed file does not match
     */
    public static List<Ensemble> ensembles(Model model, List<Expo1dSignal> signals, List<Integer> toys, long seed,
                                           Ensembles ensembles, EnsembleListener listener) {
        if (signals.size() != toys.size() || signals.stream().distinct().count() != signals.size()) {
            throw new IllegalArgumentException("give each signal once with its toy count (" + signals + ", " + toys + ")");
        }
        List<ToyEnsemble> runs = new ArrayList<>();
        List<ToyTask> tasks = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < signals.size(); k++) {
            Expo1dSignal s = signals.get(k);
            String hash = Expo1dEnsembles.hash(model.key(), s, seed);
            Path rows = ensembles.out().resolve(Expo1dEnsembles.fileName(model.filePrefix(), s, model.kernels(), hash));
            runs.add(ToyEnsemble.builder().masterSeed(Expo1dEnsembles.masterSeed(seed, s)).toys(toys.get(k))
                    .configHash(hash).threads(ensembles.threads()).batchSize(model.batch()).listener(listener)
                    .output(rows).shard(ensembles.shard()).readOnly(ensembles.readOnly()).build());
            tasks.add(model.task(s));
            files.add(rows);
        }
        List<ToyEnsemble.Outcome> outcomes = ToyEnsemble.runTogether(runs, tasks, ensembles.threads());
        List<Ensemble> out = new ArrayList<>();
        for (int k = 0; k < runs.size(); k++) {
            List<ToyRow> result = outcomes.get(k).rows();
            double[][] t = new double[result.size()][];
            List<Convergence> convergence = new ArrayList<>(result.size());
            double seconds = 0;
            for (int i = 0; i < t.length; i++) {
                ToyRow r = result.get(i);
                t[i] = r.tByWidth() != null ? r.tByWidth() : new double[] {r.t()};
                convergence.add(r.convergence());
                seconds += r.wallSeconds();
            }
            out.add(new Ensemble(t, seconds / t.length, outcomes.get(k).wallSeconds(), runs.get(k).file(),
                    ShardManifest.Ensemble.of(runs.get(k), files.get(k)), Collections.unmodifiableList(convergence)));
        }
        return out;
    }

    /**
     * The study's settings.
     *
     * @param referenceSize  N_R reference events (weight N0 / N_R), at least 10
     * @param widthQuantiles kernel widths as quantiles of pairwise reference distances, each in (0, 1); several are
     *                       combined by min-p and Fisher
     * @param signals        the signals, each once (none: a null-only calibration)
     * @param signalToys     toys per signal, at least 1 when there are signals
     * @param nullToys       null toys, at least 2 (the chi-square fit needs them)
     * @param idealToys      toys per hypothesis of the ideal test, at least 10
     * @param seed           the master seed (reference, toys, ideal test)
     * @param base           SparKer's training configuration; its seed draws the width subsample for every model
     */
    public record Request(int referenceSize, List<Double> widthQuantiles, List<Expo1dSignal> signals, int signalToys,
                          int nullToys, int idealToys, long seed, TrainingConfig base) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the setting out of range
         */
        public Request {
            if (referenceSize < 10) throw new IllegalArgumentException("referenceSize " + referenceSize + ": at least 10");
            if (widthQuantiles == null || widthQuantiles.isEmpty()) {
                throw new IllegalArgumentException("widthQuantiles: give at least one");
            }
            for (double q : widthQuantiles) {
                if (!(q > 0 && q < 1)) throw new IllegalArgumentException("widthQuantiles " + q + ": quantiles lie in (0, 1)");
            }
            widthQuantiles = List.copyOf(widthQuantiles);
            signals = List.copyOf(signals);
            if (signals.contains(Expo1dSignal.NONE)) {
                throw new IllegalArgumentException("signals: NONE is not a signal; the null toys always run");
            }
            if (signals.stream().distinct().count() != signals.size()) {
                throw new IllegalArgumentException("signals " + signals + ": each once");
            }
            if (!signals.isEmpty() && signalToys < 1) {
                throw new IllegalArgumentException("signalToys " + signalToys + ": at least 1");
            }
            if (nullToys < 2) throw new IllegalArgumentException("nullToys " + nullToys + ": at least 2 (the chi-square fit needs them)");
            if (idealToys < 10) throw new IllegalArgumentException("idealToys " + idealToys + ": at least 10");
            if (base == null) throw new IllegalArgumentException("the training configuration must not be null");
        }
    }

    /**
     * The settings a result records.
     *
     * @param kernels        M
     * @param referenceSize  N_R
     * @param N0             the expected data events under the null
     * @param lambda         Falkon-NPLM's ridge penalty, else absent
     * @param newtonSteps    Falkon-NPLM's Newton steps, else absent
     * @param schedule       SparKer's schedule, else absent
     * @param epochs         SparKer's epochs, else absent
     * @param stepsPerPhase  SparKer's steps per phase, else absent
     * @param learningRate   SparKer's learning rate, else absent
     * @param widthQuantiles the width quantiles
     * @param sigmas         the widths they resolved to
     * @param nullToys       null toys
     * @param signalToys     toys per signal
     * @param seed           the master seed
     * @param parallelToys   toys trained at once
     * @param batch          SparKer's toys per batch, else absent
     * @param precision      SparKer's precision, else absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(int kernels, int referenceSize, @JsonProperty("N0") double N0, Double lambda, Integer newtonSteps,
                           Schedule schedule, Integer epochs, Integer stepsPerPhase, Double learningRate,
                           List<Double> widthQuantiles, double[] sigmas, int nullToys, int signalToys, long seed,
                           int parallelToys, Integer batch, Precision precision) {
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
        /**
         * {@return the five quantiles of {@code t}}
         *
         * @param t a sample
         */
        public static Quantiles of(double[] t) {
            double[] q = Significance.quantiles(t, 0.05, 0.16, 0.5, 0.84, 0.95);
            return new Quantiles(q[0], q[1], q[2], q[3], q[4]);
        }
    }

    /**
     * The null calibration.
     *
     * @param toys          null toys
     * @param quantiles     quantiles of t at the first width
     * @param mean          mean t at the first width
     * @param chiSquareFit  the chi-square fitted to t at the first width
     * @param fittedDof     its degrees of freedom
     * @param secondsPerToy mean wall time of one toy
     * @param wallSeconds   wall time of this run of the null ensemble
     * @param stops         how the toys stopped under the converged schedule; absent (not written) otherwise
     * @param t             t of every toy at every width, {@code [toy][width]} (not written to JSON)
     * @param file          the ensemble's file (not written to JSON)
     */
    public record NullCalibration(int toys, Quantiles quantiles, double mean, Significance.ChiSquareFit chiSquareFit,
                                  double fittedDof, double secondsPerToy, double wallSeconds,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) StopCounts stops,
                                  @JsonIgnore double[][] t, @JsonIgnore Path file) {
        /** {@return t of every toy at the first width} */
        @JsonIgnore
        public double[] firstWidth() {
            return column(t, 0);
        }
    }

    /**
     * One signal's sensitivity.
     *
     * @param signal               the signal's name
     * @param expectedSignalEvents N(S), the expected signal events
     * @param sensitivity          Z at the median signal t (first width)
     * @param idealTest            the ideal likelihood-ratio test
     * @param idealTestMethod      how the ideal test was computed
     * @param paperZId             the paper's Z_id for this signal
     * @param secondsPerToy        mean wall time of one toy
     * @param wallSeconds          wall time of this run of the ensemble
     * @param perWidth             with several widths: the sensitivity at each ("q0.90"), else absent
     * @param combinedMinP         with several widths: the widths combined by min-p, else absent
     * @param combinedFisher       with several widths: the widths combined by Fisher's method, else absent
     * @param stops                how the toys stopped under the converged schedule; absent (not written) otherwise
     * @param t                    t of every toy at every width (not written to JSON)
     */
    public record SignalResult(String signal, double expectedSignalEvents, Significance.Sensitivity sensitivity,
                               IdealTest.Result idealTest, String idealTestMethod, double paperZId, double secondsPerToy,
                               double wallSeconds,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Significance.Sensitivity> perWidth,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Significance.Sensitivity combinedMinP,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Significance.Sensitivity combinedFisher,
                               @JsonInclude(JsonInclude.Include.NON_NULL) StopCounts stops,
                               @JsonIgnore double[][] t) {
        /** {@return t of every toy at the first width} */
        @JsonIgnore
        public double[] firstWidth() {
            return column(t, 0);
        }
    }

    /**
     * The study's outcome, as {@code result.json} holds it (with the command's name before it).
     *
     * @param model            the model's name
     * @param engine           SparKer's engine, else absent
     * @param engineReason     why that engine, else absent
     * @param settings         the settings
     * @param trainingConfig   SparKer's training key, else absent
     * @param falkonConfig     Falkon-NPLM's configuration, else absent
     * @param nullCalibration  the null calibration (JSON: {@code null}); absent in a sharded run
     * @param signals          each signal's sensitivity; empty in a sharded run
     * @param wallSecondsTotal wall time of the study
     * @param ensembles        every ensemble run, as a shard manifest lists them (not written to JSON)
     * @param studyModel       the model, for plots (not written to JSON)
     * @param reference        the shared reference (not written to JSON)
     * @param stops            how every toy of the study (null and signal) stopped under the converged schedule,
     *                         or null when none ran it (not written to JSON: each ensemble's part holds its own)
     */
    public record Result(String model,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String engine,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String engineReason,
                         Settings settings,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> trainingConfig,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Object falkonConfig,
                         @JsonProperty("null") NullCalibration nullCalibration,
                         List<SignalResult> signals, double wallSecondsTotal,
                         @JsonIgnore List<ShardManifest.Ensemble> ensembles,
                         @JsonIgnore Model studyModel,
                         @JsonIgnore Samples reference,
                         @JsonIgnore StopCounts stops) {
    }

    /**
     * What a run is, without its results: the head of {@code result.json}. {@link #run} writes it to the output
     * folder as {@code run-settings.json} ({@code falkon-run-settings.json} for Falkon-NPLM: {@link
     * Expo1dEnsembles#settingsFileName}) before its first toy, so that the settings of a run whose toys take
     * hours can be read while it is still growing (the paper-scale study's summary does).
     *
     * @param model          the model's name
     * @param engine         SparKer's engine, else absent
     * @param engineReason   why that engine, else absent
     * @param settings       the settings
     * @param trainingConfig SparKer's training key, else absent
     * @param falkonConfig   Falkon-NPLM's configuration, else absent
     * @param nullEnsemble   the configuration hash of the run's null ensemble (in its file's name), so that a
     *                       reader can tell these settings from those of another configuration once in the folder
     */
    public record RunSettings(String model,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String engine,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String engineReason,
                              Settings settings,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> trainingConfig,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Object falkonConfig,
                              String nullEnsemble) {
    }

    /**
     * Runs (or resumes) the study: the reference, the widths, the null ensemble, one ensemble per signal, then the
     * analysis (skipped when sharded: a shard holds part of each ensemble; merge and rerun read-only). Before the
     * first toy it writes the run's {@link RunSettings} into the output folder.
     *
     * @param request   the settings
     * @param models    builds the model on the reference
     * @param ensembles where and how ensembles run
     * @param listener  hears the study's progress
     * @return the result
     * @throws UncheckedIOException when the output folder cannot be created or the settings file not written
     * @throws dev.sparker.calibration.ToyEnsembleException when a toy fails or a resumed file does not match
     */
    public static Result run(Request request, ModelFactory models, Ensembles ensembles, Listener listener) {
        long start = System.nanoTime();
        Samples reference = Expo1d.reference(request.referenceSize(), request.seed());
        double[] sigmas = sigmas(reference, request.base(), request.widthQuantiles());
        try {
            Files.createDirectories(ensembles.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + ensembles.out(), e);
        }
        Map<String, Object> commonKey = Expo1dEnsembles.commonKey(request.referenceSize(), request.seed(),
                request.widthQuantiles(), sigmas);
        Model model = models.create(reference, sigmas, commonKey);
        Description d = model.description();
        Settings settings = new Settings(model.kernels(), request.referenceSize(), Expo1d.N0, d.lambda(), d.newtonSteps(),
                d.schedule(), d.epochs(), d.stepsPerPhase(), d.learningRate(), request.widthQuantiles(), sigmas,
                request.nullToys(), request.signalToys(), request.seed(), ensembles.threads(), d.batch(), d.precision());
        Path settingsFile = ensembles.out().resolve(Expo1dEnsembles.settingsFileName(model.filePrefix()));
        try {
            ResultJson.write(settingsFile, new RunSettings(model.name(), d.engine(), d.engineReason(), settings,
                    d.trainingConfig(), d.falkonConfig(), Expo1dEnsembles.hash(model.key(), Expo1dSignal.NONE, request.seed())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + settingsFile, e);
        }
        listener.planned(ensembles.share(request.nullToys()) + ensembles.share(request.signalToys()) * request.signals().size());

        List<ShardManifest.Ensemble> ran = new ArrayList<>();
        List<Ensemble> together = nullAndSignals(model, request.nullToys(), request.signals(), request.signalToys(),
                request.seed(), ensembles, listener);
        Ensemble nullRun = together.get(0);
        Map<Expo1dSignal, Ensemble> signalRuns = new LinkedHashMap<>();
        for (int k = 0; k < together.size(); k++) {
            ran.add(together.get(k).manifest());
            if (k > 0) {
                signalRuns.put(request.signals().get(k - 1), together.get(k));
            }
        }
        if (ensembles.shard() != null) {
            return new Result(model.name(), d.engine(), d.engineReason(), settings, d.trainingConfig(), d.falkonConfig(),
                    null, List.of(), (System.nanoTime() - start) * 1e-9, ran, model, reference, null);
        }

        double[][] nullT = nullRun.t();
        double[] null0 = column(nullT, 0);
        Significance.ChiSquareFit fit = Significance.fitChiSquare(null0);
        NullCalibration nullPart = new NullCalibration(request.nullToys(), Quantiles.of(null0),
                Arrays.stream(null0).average().orElseThrow(), fit, fit.dof(), nullRun.secondsPerToy(), nullRun.wallSeconds(),
                nullRun.stops(), nullT, nullRun.file());
        List<Convergence> everyToy = new ArrayList<>(nullRun.convergence());
        List<SignalResult> signalParts = new ArrayList<>();
        for (Map.Entry<Expo1dSignal, Ensemble> e : signalRuns.entrySet()) {
            Expo1dSignal s = e.getKey();
            double[][] st = e.getValue().t();
            Significance.Sensitivity sens = Significance.sensitivity(null0, column(st, 0), fit);
            IdealTest.Result id = idealTest(s, request.idealToys(), request.seed());
            Map<String, Significance.Sensitivity> perWidth = null;
            Significance.Sensitivity minP = null;
            Significance.Sensitivity fisher = null;
            if (sigmas.length > 1) {
                perWidth = new LinkedHashMap<>();
                for (int w = 0; w < sigmas.length; w++) {
                    double[] nw = column(nullT, w);
                    perWidth.put(String.format(Locale.ROOT, "q%.2f", request.widthQuantiles().get(w)),
                            Significance.sensitivity(nw, column(st, w), Significance.fitChiSquare(nw)));
                }
                minP = WidthCombination.sensitivity(nullT, st, WidthCombination.Method.MIN_P);
                fisher = WidthCombination.sensitivity(nullT, st, WidthCombination.Method.FISHER);
            }
            signalParts.add(new SignalResult(s.cliName(), s.expectedCount(), sens, id, id.method(), s.paperZId(),
                    e.getValue().secondsPerToy(), e.getValue().wallSeconds(), perWidth, minP, fisher, e.getValue().stops(), st));
            everyToy.addAll(e.getValue().convergence());
        }
        return new Result(model.name(), d.engine(), d.engineReason(), settings, d.trainingConfig(), d.falkonConfig(),
                nullPart, signalParts, (System.nanoTime() - start) * 1e-9, ran, model, reference, StopCounts.of(everyToy));
    }

    static double[] column(double[][] m, int w) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][w];
        }
        return c;
    }

    /**
     * The ideal likelihood-ratio test of one EXPO-1D signal (paper appendix A, Z_id) on the toys the study draws
     * for it: the same toys (seed salt per signal) wherever Z_id is reported for a master seed.
     *
     * @param signal     the signal (not {@code NONE})
     * @param toys       toys per hypothesis
     * @param masterSeed the study's master seed
     * @return the ideal test's result
     */
    public static IdealTest.Result idealTest(Expo1dSignal signal, int toys, long masterSeed) {
        return IdealTest.run(Expo1d.hypotheses(signal), toys, toys, ToySeeds.seed(masterSeed, 7_000_000L + signal.ordinal()));
    }
}
