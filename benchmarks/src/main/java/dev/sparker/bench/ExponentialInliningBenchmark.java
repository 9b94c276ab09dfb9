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
 * Whether calling the engine's exponential (a static method of {@code VectorMath} taking and returning a
 * vector) costs anything against writing it out in the loop: the same loop over N events x M kernels (d = 1,
 * two event vectors at a time as in the engines' one-feature forward pass), with the helper called
 * ({@code helper}) and with the same operations written out ({@code writtenOut}), in FLOAT and DOUBLE lanes.
 * Both give the same bits (ExponentialCopiesTest). If C2 did not inline the call, every vector passed would
 * be boxed: run with {@code -prof gc} to see the bytes allocated per operation (~0 when inlined), and read the
 * ratio helper / writtenOut of one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx256m"})
public class ExponentialInliningBenchmark {

    /** Events N (reference and data together). */
    @Param({"20000", "200000"})
    public int events;

    /** Kernels M. */
    @Param({"10", "50"})
    public int kernels;

    /** Lanes: FLOAT or DOUBLE. */
    @Param({"FLOAT", "DOUBLE"})
    public String precision;

    private BareExponentialPass pass;
    private boolean single;

    @Setup(Level.Trial)
    public void setUp() {
        Problems p = new Problems(events, Math.max(1, events / 100), kernels, 1, 23);
        double[] x = new double[events];
        for (int n = 0; n < events; n++) {
            x[n] = p.reference.coordinate(n, 0);
        }
        pass = new BareExponentialPass(x, p.mu, p.shape.sigma());
        single = switch (precision) {
            case "FLOAT" -> true;
            case "DOUBLE" -> false;
            default -> throw new IllegalArgumentException("precision must be FLOAT or DOUBLE, not " + precision);
        };
    }

    @Benchmark
    public double helper() {
        return single ? pass.sumPolynomial() : pass.sumPolynomialDouble();
    }

    @Benchmark
    public double writtenOut() {
        return single ? pass.sumPolynomialWrittenOut() : pass.sumPolynomialDoubleWrittenOut();
    }
}
