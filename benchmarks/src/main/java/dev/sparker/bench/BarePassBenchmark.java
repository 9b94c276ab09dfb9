package dev.sparker.bench;

import dev.sparker.engine.vector.BareExponentialPass;
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
 * The machine's limit: the same (N_R + N_D) x M exponential arguments as a d = 1 step, evaluated and summed
 * in float lanes on one thread, with the Vector API's EXP ({@code library}) and with the engine's own
 * exponential ({@code polynomial}). Step times are reported as ratios to the faster of the two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx256m"})
public class BarePassBenchmark {

    @Param({"200000"})
    public int nRef;

    @Param({"50"})
    public int kernels;

    private BareExponentialPass pass;

    @Setup(Level.Trial)
    public void setUp() {
        Problems p = new Problems(nRef, nRef / 100, kernels, 1, 17);
        double[] x = new double[nRef + nRef / 100];
        for (int n = 0; n < nRef; n++) {
            x[n] = p.reference.coordinate(n, 0);
        }
        for (int n = 0; n < nRef / 100; n++) {
            x[nRef + n] = p.data.coordinate(n, 0);
        }
        pass = new BareExponentialPass(x, p.mu, p.shape.sigma());
    }

    @Benchmark
    public float library() {
        return pass.sum();
    }

    @Benchmark
    public float polynomial() {
        return pass.sumPolynomial();
    }
}
