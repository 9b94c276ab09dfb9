package dev.sparker.bench;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.loss.CoefficientPenalty;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.loss.PenaltyMode;
import dev.sparker.train.Adam;
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
 * One training step of each phase, as the trainer runs it: the engine's loss and gradient evaluation, the
 * penalty or entropy term, and the Adam update (on a copy of the parameters, so that every invocation
 * steps from the same point). Every fork runs with -Xmx256m, so the largest size also proves its memory
 * bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx256m"})
public class StepBenchmark {

    /** scalar, vector-float or vector-double. */
    @Param({"scalar", "vector-float", "vector-double"})
    public String engine;

    @Param({"200000"})
    public int nRef;

    /** N_D; 0 means N_R / 100. */
    @Param({"0"})
    public int nData;

    @Param({"50"})
    public int kernels;

    @Param({"1"})
    public int dimension;

    @Param({"1"})
    public int threads;

    private BoundProblem bound;
    private NpEvaluation eval;
    private double[] a0;
    private double[] mu0;
    private double[] a;
    private double[] mu;
    private double[] gradA;
    private double[] gradMu;
    private double[] entropyGrad;
    private Adam coefficientAdam;
    private Adam locationAdam;
    private CoefficientPenalty penalty;
    private LocationEntropy entropy;
    private Problems problem;

    @Setup(Level.Trial)
    public void setUp() {
        int nd = nData > 0 ? nData : nRef / 100;
        problem = new Problems(nRef, nd, kernels, dimension, 17);
        Engine e;
        Precision precision;
        switch (engine) {
            case "scalar" -> {
                e = Engines.byName("scalar");
                precision = Precision.DOUBLE;
            }
            case "vector-float" -> {
                e = Engines.select("vector").engine();
                precision = Precision.FLOAT;
            }
            case "vector-double" -> {
                e = Engines.select("vector").engine();
                precision = Precision.DOUBLE;
            }
            case "opencl-float", "opencl-double" -> {
                // the OpenCL engine (sparker-gpu, on the class path); on PoCL it runs on the CPU cores
                e = Engines.byName("opencl");
                if (!e.availability().available()) {
                    throw new IllegalStateException("opencl engine unavailable: " + e.availability().reason());
                }
                precision = engine.endsWith("float") ? Precision.FLOAT : Precision.DOUBLE;
            }
            default -> throw new IllegalArgumentException("unknown engine parameter '" + engine + "'");
        }
        bound = e.bind(problem.reference, problem.data, problem.shape, new EngineSettings(precision, threads));
        eval = new NpEvaluation(problem.shape);
        a0 = problem.a.clone();
        mu0 = problem.mu.clone();
        a = a0.clone();
        mu = mu0.clone();
        gradA = new double[kernels];
        gradMu = new double[kernels * dimension];
        entropyGrad = new double[kernels * dimension];
        coefficientAdam = new Adam(kernels, 1e-3);
        locationAdam = new Adam(kernels * dimension, 1e-3);
        penalty = new CoefficientPenalty(1e-5, PenaltyMode.MEAN);
        entropy = new LocationEntropy(problem.shape);   // the trainer's reusable workspace
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bound.close();
    }

    /** Coefficient phase: L_NP and dL/da, the L2 penalty's gradient, one Adam step on a. */
    @Benchmark
    public double coefficientStep() {
        System.arraycopy(a0, 0, a, 0, a.length);
        bound.evaluate(a, mu0, GradientRequest.COEFFICIENTS, eval);
        System.arraycopy(eval.coefficientGradient(), 0, gradA, 0, gradA.length);
        penalty.addGradient(a, gradA);
        coefficientAdam.step(a, gradA);
        return eval.loss() + a[0];
    }

    /** Location phase: L_NP and dL/dmu, the entropy term's gradient, one Adam step on mu. */
    @Benchmark
    public double locationStep() {
        System.arraycopy(mu0, 0, mu, 0, mu.length);
        bound.evaluate(a0, mu, GradientRequest.LOCATIONS, eval);
        entropy.compute(mu, entropyGrad);
        double[] g = eval.locationGradient();
        for (int k = 0; k < gradMu.length; k++) {
            gradMu[k] = g[k] - 1e-3 * entropyGrad[k];
        }
        locationAdam.step(mu, gradMu);
        return eval.loss() + mu[0];
    }
}
