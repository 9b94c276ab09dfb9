package dev.sparker.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * The bare exponential pass ({@link BareExponentialPass}) on the same problem and thread count as
 * {@link StepBenchmark}: the floor every step time is compared with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class BareExponentialBenchmark {
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

    private ExecutorService pool;
    private BareExponentialPass pass;

    @Setup(Level.Trial)
    public void setUp() {
        BenchProblem p = BenchProblem.create(d, nRef, nData == 0 ? BenchProblem.defaultDataSize(nRef) : nData, m);
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        pool = Executors.newFixedThreadPool(t, r -> {
            Thread th = new Thread(r, "bare-exp");
            th.setDaemon(true);
            return th;
        });
        pass = new BareExponentialPass(p.reference(), p.data(), p.shape(), p.locations(), t, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public double exponentialPass() {
        return pass.run();
    }
}
