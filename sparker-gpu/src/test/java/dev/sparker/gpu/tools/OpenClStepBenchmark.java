package dev.sparker.gpu.tools;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;
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
 * JMH: one training step (a LOCATIONS evaluation, the heavier of the two) of the OpenCL engine beside the
 * scalar engine on the same EXPO-1D-shaped problem, so their ratio comes from one run. Written to move into
 * the {@code benchmarks} module as is. Run from the test class path:
 * {@code java -cp <test classpath> org.openjdk.jmh.Main OpenClStepBenchmark -p nr=200000 -p m=50}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class OpenClStepBenchmark {
    @Param({"20000", "200000"})
    public int nr;
    @Param({"50", "1000"})
    public int m;
    @Param({"scalar:DOUBLE", "opencl:FLOAT", "opencl:DOUBLE"})
    public String engine;

    private BoundProblem bound;
    private double[] a;
    private double[] mu;
    private NpEvaluation out;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = engine.split(":");
        Engine e = parts[0].equals("scalar") ? new ScalarEngine() : new OpenClEngine();
        if (!e.availability().available()) {
            throw new IllegalStateException("engine " + parts[0] + " unavailable: " + e.availability().reason());
        }
        SplittableRandom rng = new SplittableRandom(nr * 31L + m);
        Samples ref = exponential(rng, nr, 2000.0 / nr);
        Samples data = exponential(rng, 2000, 1);
        KernelShape shape = new KernelShape(m, 1, 2.3, Amplitude.GAUSSIAN);
        a = new double[m];
        mu = new double[m];
        for (int i = 0; i < m; i++) {
            a[i] = rng.nextDouble(-0.5, 0.5);
            mu[i] = data.coordinate(rng.nextInt(data.size()), 0);
        }
        out = new NpEvaluation(shape);
        bound = e.bind(ref, data, shape, new EngineSettings(Precision.valueOf(parts[1]), 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bound.close();
    }

    @Benchmark
    public double locationStep() {
        bound.evaluate(a, mu, GradientRequest.LOCATIONS, out);
        return out.loss() + out.locationGradient()[0];
    }

    private static Samples exponential(SplittableRandom rng, int n, double weight) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -Math.log1p(-rng.nextDouble());
        }
        return Samples.fromFlat(x, n, 1, weight);
    }
}
