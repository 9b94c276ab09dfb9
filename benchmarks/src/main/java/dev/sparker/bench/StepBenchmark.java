package dev.sparker.bench;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.loss.CoefficientPenalty;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.train.Adam;
import dev.sparker.train.TrainingConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of each phase, as {@code dev.sparker.train.Trainer} takes it: the engine's loss and
 * gradients, the penalty ({@link CoefficientPenalty}) or entropy ({@link LocationEntropy}) term, one
 * {@link Adam} update (and the coefficient clip). The update mutates the parameters, so each invocation
 * first copies them from the fixed starting point and starts a fresh Adam (O(M), negligible beside the
 * O(N M) evaluation): every invocation does the same work.
 *
 * <p>{@code engine} is {@code name} or {@code name:PRECISION}; {@code nData = 0} means N_R / 100;
 * {@code threads = 0} means every available processor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class StepBenchmark {
    @Param({"scalar", "vector:FLOAT", "vector:DOUBLE"})
    public String engine;
    @Param({"1"})
    public int d;
    @Param({"20000"})
    public int nRef;
    @Param({"0"})
    public int nData;
    @Param({"50"})
    public int m;
    @Param({"0"})
    public int threads;

    private BoundProblem bound;
    private NpEvaluation out;
    private double[] a0;
    private double[] mu0;
    private double[] a;
    private double[] mu;
    private double[] gradA;
    private double[] gradMu;
    private double[] entropyGrad;
    private CoefficientPenalty penalty;
    private LocationEntropy entropy;
    private double learningRate;
    private double lambdaH;
    private double clip;

    @Setup(Level.Trial)
    public void setUp() {
        BenchProblem p = BenchProblem.create(d, nRef, nData == 0 ? BenchProblem.defaultDataSize(nRef) : nData, m);
        EngineChoice choice = EngineChoice.parse(engine);
        Engine e = Engines.byName(choice.name());
        EngineAvailability av = e.availability();
        if (!av.available() || !e.supports(choice.precision())) {
            throw new IllegalStateException("engine " + engine + " cannot run here: " + av.reason());
        }
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        bound = e.bind(p.reference(), p.data(), p.shape(), new EngineSettings(choice.precision(), t));
        out = new NpEvaluation(p.shape());
        a0 = p.coefficients();
        mu0 = p.locations();
        a = a0.clone();
        mu = mu0.clone();
        gradA = new double[a.length];
        gradMu = new double[mu.length];
        entropyGrad = new double[mu.length];
        TrainingConfig c = p.config();
        penalty = new CoefficientPenalty(c.lambdaA(), c.penaltyMode());
        entropy = new LocationEntropy(p.shape());
        learningRate = c.learningRate();
        lambdaH = c.lambdaH();
        clip = c.clip();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bound.close();
    }

    /** Coefficient phase: L_NP and dL/da, plus the penalty gradient, one Adam step, the clip. */
    @Benchmark
    public double coefficientStep() {
        System.arraycopy(a0, 0, a, 0, a.length);
        System.arraycopy(mu0, 0, mu, 0, mu.length);
        Adam adam = new Adam(a.length, learningRate);
        bound.evaluate(a, mu, GradientRequest.COEFFICIENTS, out);
        System.arraycopy(out.coefficientGradient(), 0, gradA, 0, a.length);
        penalty.addGradient(a, gradA);
        adam.step(a, gradA);
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(-clip, Math.min(clip, a[i]));
        }
        return out.loss() + a[a.length - 1];
    }

    /** Location phase: L_NP and dL/dmu, minus lambda_H times the entropy gradient, one Adam step. */
    @Benchmark
    public double locationStep() {
        System.arraycopy(a0, 0, a, 0, a.length);
        System.arraycopy(mu0, 0, mu, 0, mu.length);
        Adam adam = new Adam(mu.length, learningRate);
        bound.evaluate(a, mu, GradientRequest.LOCATIONS, out);
        double[] g = out.locationGradient();
        entropy.compute(mu, entropyGrad);
        for (int k = 0; k < gradMu.length; k++) {
            gradMu[k] = g[k] - lambdaH * entropyGrad[k];
        }
        adam.step(mu, gradMu);
        return out.loss() + mu[mu.length - 1];
    }

    /** {@code name} or {@code name:PRECISION} (the scalar engine is DOUBLE only). */
    record EngineChoice(String name, Precision precision) {
        static EngineChoice parse(String spec) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                return new EngineChoice(spec, Precision.DOUBLE);
            }
            return new EngineChoice(spec.substring(0, colon), Precision.valueOf(spec.substring(colon + 1)));
        }
    }
}
