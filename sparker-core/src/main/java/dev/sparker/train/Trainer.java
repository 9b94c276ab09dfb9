package dev.sparker.train;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.loss.CoefficientPenalty;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.model.KernelModel;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The alternating SparKer training (DESIGN.md section 1), under the configuration's {@link Schedule}. The
 * {@link Schedule#PAPER paper} schedule is described here; the {@link Schedule#CONVERGED converged} one on
 * {@link ConvergedTraining}. Under the paper schedule each epoch runs the coefficient phase (locations
 * fixed, Adam on {@code L_NP + L_a}) and then the location phase (coefficients fixed, Adam on
 * {@code L_NP - lambda_H L_H}), each phase with its own Adam state kept across epochs. Coefficients start
 * at zero and are clipped after every step; locations start on data events drawn with replacement.
 *
 * <p>The engine is an argument: the caller passes an {@link Engine} instance (built however it likes, for
 * example an OpenCL engine configured through its builder) and the {@link EngineSettings} (precision,
 * threads per evaluation) it runs with. Nothing here looks an engine up by name; the command line and the
 * convenience {@link dev.sparker.SparKer#test(Samples, Samples, TrainingConfig)} do that once.
 *
 * <p>Many problems of one shape can train in lock step over one {@link BoundBatch}, so that an engine that
 * evaluates a batch in one launch is kept busy. The bound batch is the seam through which a whole training
 * step could later run on the device; this host loop is its reference implementation. Stateless and
 * thread-safe: each call owns its state.
 */
public final class Trainer {
    /** Mixed into the seed for the width subsample so it is not correlated with the initial locations. */
    private static final long WIDTH_SEED_SALT = 0x5DEECE66DL;

    private Trainer() {
    }

    /**
     * Trains one problem on {@code engine} with {@code settings}: alternating coefficient and location phases
     * of Adam steps (paper section 2).
     *
     * @param reference the reference sample R (weights {@code N0 / N_R} or per event)
     * @param data      the data sample D
     * @param config    model and schedule
     * @param engine    the engine that evaluates the loss
     * @param settings  precision and threads per evaluation
     * @param listener hears every finished epoch; null for none
     * @return t, the learned model and the loss history
     * @throws IllegalArgumentException  bad samples, configuration, or a precision the engine lacks
     * @throws IllegalStateException     the engine is not available on this machine (with its reason)
     * @throws TrainingDivergedException the loss or a gradient became non-finite (names epoch, phase, step)
     */
    public static TestResult train(Samples reference, Samples data, TrainingConfig config, Engine engine,
                                   EngineSettings settings, TrainingListener listener) {
        return trainBatch(List.of(reference), List.of(data), config, engine, settings, listener).getFirst()
                .resultOrThrow();
    }

    /**
     * {@return the kernel width {@code config} gives for {@code reference}, in the reference's units}
     *
     * @param reference the reference sample
     * @param config    its width rule and seed
     */
    public static double resolveSigma(Samples reference, TrainingConfig config) {
        return WidthHeuristic.resolve(config.width(), reference, config.seed() ^ WIDTH_SEED_SALT);
    }

    /**
     * Trains many problems with one configuration in lock step. All problems must resolve to the same
     * sigma (fix the width, or share the reference). A problem that diverges stops alone and reports its
     * failure; the others go on. The listener hears the first still-running problem's loss.
     *
     * @param references one reference per problem
     * @param data       one data sample per problem
     * @param config     the configuration all problems share
     * @param engine     the engine that evaluates the batch (in one launch where it can)
     * @param settings   precision and threads per evaluation
     * @param listener   told the first still-running problem's loss (null for none)
     * @return one outcome per problem, in order: a result or the failure
     * @throws IllegalArgumentException when the lists differ in length or the problems resolve to different sigmas
     * @throws IllegalStateException    the engine is not available on this machine (with its reason)
     */
    public static List<TrainingOutcome> trainBatch(List<Samples> references, List<Samples> data,
                                                   TrainingConfig config, Engine engine, EngineSettings settings,
                                                   TrainingListener listener) {
        if (references == null || data == null || references.isEmpty() || references.size() != data.size()) {
            throw new IllegalArgumentException("a batch needs as many reference samples as data samples, at least one; got "
                    + (references == null ? "none" : references.size()) + " and " + (data == null ? "none" : data.size()));
        }
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        checkEngine(engine, settings);
        TrainingListener progress = listener == null ? TrainingListener.NONE : listener;
        int problems = references.size();
        double sigma = Double.NaN;
        for (int p = 0; p < problems; p++) {
            checkProblem(references.get(p), data.get(p), config);
            double s = resolveSigma(references.get(p), config);
            if (p == 0) {
                sigma = s;
            } else if (s != sigma) {
                throw new IllegalArgumentException("batch problems resolve to different kernel widths (" + sigma
                        + " and " + s + "); give a fixed sigma to train them together");
            }
        }
        KernelShape shape = new KernelShape(config.kernels(), references.getFirst().dimension(), sigma, config.amplitude());
        long start = System.nanoTime();
        List<Run> runs = new ArrayList<>(problems);
        for (int p = 0; p < problems; p++) {
            runs.add(new Run(shape, config, references.get(p), data.get(p)));
        }
        try (BoundBatch batch = engine.bindBatch(references, data, shape, settings)) {
            if (config.schedule() == Schedule.PAPER && batch instanceof ResidentTraining resident
                    && resident.supportsResidentTraining(config)) {
                trainResident(resident, runs, config, progress);
                try (Driver driver = new Driver(batch, runs, engine, settings)) {
                    driver.finish();
                }
                return outcomes(runs, start, engine.name(), settings);
            }
            try (Driver driver = new Driver(batch, runs, engine, settings)) {
                if (config.schedule() == Schedule.CONVERGED) {
                    ConvergedTraining.run(driver, config, progress);
                } else {
                    runPaperSchedule(driver, config, progress);
                }
                driver.finish();
            }
        }
        return outcomes(runs, start, engine.name(), settings);
    }

    private static List<TrainingOutcome> outcomes(List<Run> runs, long start, String engineName,
                                                  EngineSettings settings) {
        double seconds = (System.nanoTime() - start) * 1e-9;
        List<TrainingOutcome> outcomes = new ArrayList<>(runs.size());
        for (Run r : runs) {
            outcomes.add(r.failure != null ? new TrainingOutcome(null, r.failure)
                    : new TrainingOutcome(r.result(seconds, engineName, settings), null));
        }
        return outcomes;
    }

    /**
     * The same schedule run where the batch lives ({@link ResidentTraining}): the host starts each epoch and
     * records what comes back, exactly as the host loop below records it.
     */
    private static void trainResident(ResidentTraining resident, List<Run> runs, TrainingConfig config,
                                      TrainingListener progress) {
        int problems = runs.size();
        double[][] a = new double[problems][];
        double[][] mu = new double[problems][];
        for (int p = 0; p < problems; p++) {
            a[p] = runs.get(p).a;
            mu[p] = runs.get(p).mu;
        }
        double[] loss = new double[problems];
        double[] penalty = new double[problems];
        double[] entropy = new double[problems];
        try (ResidentTraining.Session session = resident.startResidentTraining(a, mu, config)) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("training interrupted before epoch " + epoch);
                }
                TrainingDivergedException[] stopped = session.runEpoch(epoch, loss, penalty, entropy);
                Run first = null;
                for (int p = 0; p < problems; p++) {
                    Run r = runs.get(p);
                    if (r.failure != null) {
                        continue;
                    }
                    if (stopped[p] != null) {
                        r.failure = stopped[p];
                        continue;
                    }
                    r.recordEpoch(epoch, loss[p], penalty[p], entropy[p]);
                    if (first == null) {
                        first = r;
                    }
                }
                if (first == null) {
                    break;
                }
                progress.epochDone(epoch, config.epochs(), first.history[0][epoch - 1]);
            }
            double[] lowest = new double[problems];
            session.readParameters(a, mu, lowest);
            for (int p = 0; p < problems; p++) {
                runs.get(p).lowestLoss = lowest[p];
            }
        }
    }

    /** The paper's schedule: every epoch, the coefficient phase's Adam steps, then the location phase's. */
    private static void runPaperSchedule(Driver driver, TrainingConfig config, TrainingListener progress) {
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("training interrupted before epoch " + epoch);
            }
            for (int s = 1; s <= config.coefficientSteps(); s++) {
                driver.step(Phase.COEFFICIENTS, epoch, s);
            }
            for (int s = 1; s <= config.locationSteps(); s++) {
                driver.step(Phase.LOCATIONS, epoch, s);
            }
            driver.endEpoch(epoch);
            Run first = driver.firstActive();
            if (first == null) {
                break;
            }
            progress.epochDone(epoch, config.epochs(), first.history[0][epoch - 1]);
        }
    }

    /** An engine that can run here and supports the asked precision; else an exception naming the problem. */
    private static void checkEngine(Engine engine, EngineSettings settings) {
        if (engine == null || settings == null) {
            throw new IllegalArgumentException("an engine and its settings are needed (see dev.sparker.engine.Engines)");
        }
        EngineAvailability av = engine.availability();
        if (!av.available()) {
            throw new IllegalStateException("engine '" + engine.name() + "' is not available: " + av.reason());
        }
        if (!engine.supports(settings.precision())) {
            throw new IllegalArgumentException("engine '" + engine.name() + "' does not support precision "
                    + settings.precision());
        }
    }

    private static void checkProblem(Samples reference, Samples data, TrainingConfig config) {
        if (reference == null || data == null) {
            throw new IllegalArgumentException("reference and data must not be null");
        }
        if (reference.dimension() != data.dimension()) {
            throw new IllegalArgumentException("reference has dimension " + reference.dimension()
                    + " but data has dimension " + data.dimension());
        }
        long available = (long) reference.size() + data.size();
        if (config.kernels() > available) {
            throw new IllegalArgumentException("M = " + config.kernels() + " kernels but only " + available
                    + " events (data plus reference) to place them on");
        }
    }

    /**
     * Steps all still-running problems of a batch together. After each evaluation of the batch the
     * per-problem host work (penalty or entropy, Adam, clip, checks) runs in parallel over the configured
     * threads: the problems are cut into contiguous parts, one per thread, each with its own entropy
     * workspace, so a problem's numbers do not depend on the thread count.
     */
    static final class Driver implements AutoCloseable {
        final BoundBatch batch;
        final List<Run> runs;
        final double[][] a;
        final double[][] mu;
        final boolean[] active;
        final NpEvaluation[] out;
        /** One entropy workspace (for example an M x M matrix) per part. */
        private final EntropyWorkspace[] entropies;
        /** Part 0's workspace, for work that runs one problem after the other (the converged schedule). */
        final EntropyWorkspace entropy;
        private final ExecutorService workers;

        Driver(BoundBatch batch, List<Run> runs, Engine engine, EngineSettings settings) {
            this.batch = batch;
            this.runs = runs;
            int p = runs.size();
            int parts = Math.max(1, Math.min(settings.threads(), p));
            this.entropies = new EntropyWorkspace[parts];
            for (int c = 0; c < parts; c++) {
                entropies[c] = engine.locationEntropy(batch.shape(), settings.precision());
            }
            this.entropy = entropies[0];
            this.workers = parts > 1 ? Executors.newFixedThreadPool(parts - 1, r -> {
                Thread t = new Thread(r, "sparker-trainer-host");
                t.setDaemon(true);
                return t;
            }) : null;
            a = new double[p][];
            mu = new double[p][];
            active = new boolean[p];
            out = new NpEvaluation[p];
            for (int i = 0; i < p; i++) {
                a[i] = runs.get(i).a;
                mu[i] = runs.get(i).mu;
                active[i] = true;
                out[i] = runs.get(i).eval;
            }
        }

        void step(Phase phase, int epoch, int s) {
            GradientRequest req = phase == Phase.COEFFICIENTS ? GradientRequest.COEFFICIENTS : GradientRequest.LOCATIONS;
            batch.evaluate(a, mu, active, req, out);
            forEachPart((i, entropy) -> runs.get(i).update(phase, epoch, s, entropy));
        }

        void endEpoch(int epoch) {
            batch.evaluate(a, mu, active, GradientRequest.LOSS_ONLY, out);
            forEachPart((i, entropy) -> runs.get(i).record(epoch, entropy));
        }

        private interface ProblemWork {
            void run(int problem, EntropyWorkspace entropy);
        }

        /** Runs {@code work} on every active problem, part c on its own thread with workspace c. */
        private void forEachPart(ProblemWork work) {
            int parts = entropies.length;
            if (parts == 1) {
                runPart(0, work);
                return;
            }
            List<Future<?>> pending = new ArrayList<>(parts - 1);
            for (int c = 1; c < parts; c++) {
                int part = c;
                pending.add(workers.submit(() -> runPart(part, work)));
            }
            runPart(0, work);
            try {
                for (Future<?> f : pending) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("training interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("host work of the training failed", cause);
            }
        }

        private void runPart(int part, ProblemWork work) {
            int n = runs.size();
            int parts = entropies.length;
            int from = (int) ((long) part * n / parts);
            int to = (int) ((long) (part + 1) * n / parts);
            for (int i = from; i < to; i++) {
                if (active[i]) {
                    try {
                        work.run(i, entropies[part]);
                    } catch (TrainingDivergedException e) {
                        runs.get(i).failure = e;
                        active[i] = false;
                    }
                }
            }
        }

        /**
         * After the last epoch: the final gradient norms of every problem that did not fail, from one
         * evaluation of both gradients (it changes no parameter, so the trained bits stay as they were).
         */
        void finish() {
            boolean[] ok = new boolean[runs.size()];
            for (int i = 0; i < ok.length; i++) {
                ok[i] = runs.get(i).failure == null && runs.get(i).epochsDone > 0;
            }
            batch.evaluate(a, mu, ok, GradientRequest.BOTH, out);
            for (int i = 0; i < ok.length; i++) {
                if (ok[i]) {
                    runs.get(i).recordGradientNorms(entropy);
                }
            }
        }

        Run firstActive() {
            for (int i = 0; i < runs.size(); i++) {
                if (active[i]) {
                    return runs.get(i);
                }
            }
            return null;
        }

        @Override
        public void close() {
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }

    /** One problem's training state. */
    static final class Run {
        final KernelShape shape;
        final TrainingConfig config;
        final double[] a;
        final double[] mu;
        final NpEvaluation eval;
        final Adam coefficientAdam;
        final Adam locationAdam;
        final CoefficientPenalty penalty;
        final double[] gradA;
        final double[] gradMu;
        final double[] entropyGrad;
        final double[][] history;
        double lowestLoss = Double.POSITIVE_INFINITY;
        int epochsDone;
        RuntimeException failure;
        /** Set by the converged schedule: why it stopped and which coefficient solver ran. */
        Convergence.StoppedBy stoppedBy = Convergence.StoppedBy.SCHEDULE;
        String coefficientSolver = "ADAM";
        double coefficientGradientNorm = Double.NaN;
        double locationGradientNorm = Double.NaN;

        Run(KernelShape shape, TrainingConfig config, Samples reference, Samples data) {
            this.shape = shape;
            this.config = config;
            int m = shape.kernels();
            int d = shape.dimension();
            this.a = new double[m];
            this.mu = initialLocations(reference, data, m, config.seed());
            this.eval = new NpEvaluation(shape);
            this.coefficientAdam = new Adam(m, config.learningRate());
            this.locationAdam = new Adam(m * d, config.learningRate());
            this.penalty = new CoefficientPenalty(config.lambdaA(), config.penaltyMode());
            this.gradA = new double[m];
            this.gradMu = new double[m * d];
            this.entropyGrad = new double[m * d];
            this.history = new double[3][config.epochs()];
        }

        void update(Phase phase, int epoch, int step, EntropyWorkspace entropy) {
            double loss = eval.loss();
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(epoch, phase, step, "L_NP = " + loss);
            }
            lowestLoss = Math.min(lowestLoss, loss);
            if (phase == Phase.COEFFICIENTS) {
                System.arraycopy(eval.coefficientGradient(), 0, gradA, 0, a.length);
                penalty.addGradient(a, gradA);
                requireFinite(gradA, epoch, phase, step, "dL/da");
                coefficientAdam.step(a, gradA);
                double clip = config.clip();
                for (int i = 0; i < a.length; i++) {
                    a[i] = Math.max(-clip, Math.min(clip, a[i]));
                }
            } else {
                double[] g = eval.locationGradient();
                entropy.compute(mu, entropyGrad);
                double lh = config.lambdaH();
                for (int k = 0; k < gradMu.length; k++) {
                    gradMu[k] = g[k] - lh * entropyGrad[k];
                }
                requireFinite(gradMu, epoch, phase, step, "dL/dmu");
                locationAdam.step(mu, gradMu);
            }
        }

        void record(int epoch, EntropyWorkspace entropy) {
            double loss = eval.loss();
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(epoch, Phase.LOCATIONS, config.locationSteps(),
                        "L_NP = " + loss + " at the end of the epoch");
            }
            lowestLoss = Math.min(lowestLoss, loss);
            history[0][epoch - 1] = loss;
            history[1][epoch - 1] = penalty.value(a);
            history[2][epoch - 1] = entropy.compute(mu, null);
            epochsDone = epoch;
        }

        /** {@code J = L_NP + L_a - lambda_H L_H} after epoch {@code epoch} (1-based). */
        double totalLoss(int epoch) {
            return history[0][epoch - 1] + history[1][epoch - 1] - config.lambdaH() * history[2][epoch - 1];
        }

        void recordGradientNorms(EntropyWorkspace entropy) {
            System.arraycopy(eval.coefficientGradient(), 0, gradA, 0, a.length);
            penalty.addGradient(a, gradA);
            entropy.compute(mu, entropyGrad);
            double[] g = eval.locationGradient();
            double sa = 0;
            double sm = 0;
            for (double v : gradA) {
                sa += v * v;
            }
            for (int k = 0; k < g.length; k++) {
                double v = g[k] - config.lambdaH() * entropyGrad[k];
                sm += v * v;
            }
            coefficientGradientNorm = Math.sqrt(sa);
            locationGradientNorm = Math.sqrt(sm);
        }

        void recordEpoch(int epoch, double loss, double penaltyValue, double entropyValue) {
            history[0][epoch - 1] = loss;
            history[1][epoch - 1] = penaltyValue;
            history[2][epoch - 1] = entropyValue;
            epochsDone = epoch;
        }

        TestResult result(double seconds, String engineName, EngineSettings settings) {
            double finalLoss = history[0][epochsDone - 1];
            KernelModel model = new KernelModel(shape.dimension(), shape.sigma(), shape.amplitude(), a, mu);
            TrainingHistory h = new TrainingHistory(java.util.Arrays.copyOf(history[0], epochsDone),
                    java.util.Arrays.copyOf(history[1], epochsDone), java.util.Arrays.copyOf(history[2], epochsDone));
            double decrease = epochsDone < 2 ? Double.NaN
                    : (totalLoss(epochsDone - 1) - totalLoss(epochsDone)) / Math.max(Math.abs(totalLoss(epochsDone)), 1);
            Convergence convergence = new Convergence(config.schedule(), epochsDone, stoppedBy, decrease,
                    coefficientGradientNorm, locationGradientNorm, coefficientSolver);
            return new TestResult(-2 * finalLoss, finalLoss, lowestLoss, model, h, seconds, engineName,
                    settings.precision(), settings.threads(), config, convergence);
        }

        private static void requireFinite(double[] g, int epoch, Phase phase, int step, String name) {
            for (int i = 0; i < g.length; i++) {
                if (!Double.isFinite(g[i])) {
                    throw new TrainingDivergedException(epoch, phase, step, name + "[" + i + "] = " + g[i]);
                }
            }
        }
    }

    /**
     * M data events drawn with replacement; when M exceeds the data size, every data event and then
     * reference events drawn with replacement.
     */
    static double[] initialLocations(Samples reference, Samples data, int m, long seed) {
        int d = data.dimension();
        double[] mu = new double[m * d];
        SplittableRandom rng = new SplittableRandom(seed);
        if (m <= data.size()) {
            for (int i = 0; i < m; i++) {
                copyEvent(data, rng.nextInt(data.size()), mu, i, d);
            }
        } else {
            for (int i = 0; i < data.size(); i++) {
                copyEvent(data, i, mu, i, d);
            }
            for (int i = data.size(); i < m; i++) {
                copyEvent(reference, rng.nextInt(reference.size()), mu, i, d);
            }
        }
        return mu;
    }

    private static void copyEvent(Samples s, int event, double[] mu, int kernel, int d) {
        for (int j = 0; j < d; j++) {
            mu[kernel * d + j] = s.coordinate(event, j);
        }
    }
}
