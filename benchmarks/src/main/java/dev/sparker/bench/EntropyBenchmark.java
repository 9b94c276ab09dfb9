package dev.sparker.bench;

import dev.sparker.engine.Precision;
import dev.sparker.engine.vector.VectorEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The location entropy term (value and gradient, O(M^2 d)) on one host thread, as the trainer's host loop
 * computes it once per location step and problem: the double-precision reference ({@code reference}, what
 * the OpenCL engine's host loop used before 2026-12-01), the Vector API in double ({@code openclHost}: what
 * {@link OpenClEngine#locationEntropy} returns now) and in float lanes ({@code vectorFloat}: the vector
 * engine's FLOAT training). Locations drawn from Exp(1), sigma 2.25 (EXPO-1D's width at N_R = 200 000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx256m"})
public class EntropyBenchmark {

    @Param({"50", "1000"})
    public int kernels;

    private double[] mu;
    private double[] grad;
    private EntropyWorkspace reference;
    private EntropyWorkspace openclHost;
    private EntropyWorkspace vectorFloat;

    @Setup(Level.Trial)
    public void setUp() {
        KernelShape shape = new KernelShape(kernels, 1, 2.25, Amplitude.GAUSSIAN);
        SplittableRandom rng = new SplittableRandom(17);
        mu = new double[kernels];
        for (int i = 0; i < kernels; i++) {
            mu[i] = -Math.log(1 - rng.nextDouble());
        }
        grad = new double[kernels];
        reference = new LocationEntropy(shape);
        openclHost = new OpenClEngine().locationEntropy(shape, Precision.FLOAT);
        vectorFloat = new VectorEngine().locationEntropy(shape, Precision.FLOAT);
    }

    @Benchmark
    public double reference() {
        return reference.compute(mu, grad);
    }

    @Benchmark
    public double openclHost() {
        return openclHost.compute(mu, grad);
    }

    @Benchmark
    public double vectorFloat() {
        return vectorFloat.compute(mu, grad);
    }
}
