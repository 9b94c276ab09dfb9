package dev.sparker.bench;

import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's limit for our work: the same N x M exponential arguments a training step needs,
 * {@code -|x_n - mu_i|^2 / (2 sigma^2)}, evaluated in float lanes and summed, nothing else (no gradients,
 * no weights). Events are lanes; a chunk of LANES events is held while every kernel goes by, so the hot
 * loop reads only the M locations (L1-resident) per chunk.
 *
 * <p>Written for C2: the species is a static final (a non-constant species leaves the loop to the slow Java
 * fallback), the per-chunk loops are small static methods called N/LANES times per pass (compiled normally,
 * never left to on-stack replacement), and the events are padded to whole vectors with a far-away value
 * whose exponential is 0, so there is no tail loop.
 */
public final class BareExponentialPass implements AutoCloseable {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Padding coordinate: its squared distance to any location is ~1e30, so exp(-r2/(2 sigma^2)) = 0. */
    private static final float FAR = 1e15f;

    private final int d;
    private final int m;
    private final int stride;
    /** Coordinates feature-major: x[j * stride + n], events padded to a multiple of LANES. */
    private final float[] x;
    private final float[] mu;
    private final float negC;
    private final int threads;
    private final ExecutorService pool;
    private final List<Callable<Double>> tasks = new ArrayList<>();

    /** Lays out reference and data events together (the step's N), and the locations, in floats. */
    public BareExponentialPass(Samples reference, Samples data, KernelShape shape, double[] locations,
                               int threads, ExecutorService pool) {
        this.d = shape.dimension();
        this.m = shape.kernels();
        int n = reference.size() + data.size();
        int chunks = (n + LANES - 1) / LANES;
        this.stride = chunks * LANES;
        this.x = new float[stride * d];
        java.util.Arrays.fill(x, FAR);
        for (int e = 0; e < n; e++) {
            Samples s = e < reference.size() ? reference : data;
            int idx = e < reference.size() ? e : e - reference.size();
            for (int j = 0; j < d; j++) {
                x[j * stride + e] = (float) s.coordinate(idx, j);
            }
        }
        this.mu = new float[m * d];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) locations[i];
        }
        this.negC = (float) (-1.0 / (2 * shape.sigma() * shape.sigma()));
        this.threads = threads;
        this.pool = pool;
        // fixed contiguous partition of the chunks, one task per thread
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) chunks * t / threads);
            int to = (int) ((long) chunks * (t + 1) / threads);
            tasks.add(() -> range(from, to));
        }
    }

    /** One pass: sum over every event and kernel of exp(-|x - mu|^2 / (2 sigma^2)). */
    public double run() {
        if (threads == 1) {
            return range(0, stride / LANES);
        }
        try {
            double sum = 0;
            for (Future<Double> f : pool.invokeAll(tasks)) {
                sum += f.get();
            }
            return sum;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bare exponential pass interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bare exponential pass failed", e.getCause());
        }
    }

    private double range(int fromChunk, int toChunk) {
        double sum = 0;
        for (int c = fromChunk; c < toChunk; c++) {
            int n = c * LANES;
            FloatVector acc = d == 1 ? chunk1(x, n, mu, m, negC) : chunkD(x, n, stride, mu, m, d, negC);
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        return sum;
    }

    /** d = 1: LANES events against all M kernels. */
    static FloatVector chunk1(float[] x, int n, float[] mu, int m, float negC) {
        FloatVector xv = FloatVector.fromArray(SPECIES, x, n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < m; i++) {
            FloatVector diff = xv.sub(mu[i]);
            acc = acc.add(diff.mul(diff).mul(negC).lanewise(VectorOperators.EXP));
        }
        return acc;
    }

    /** Any d: LANES events against all M kernels, the squared distance accumulated feature by feature. */
    static FloatVector chunkD(float[] x, int n, int stride, float[] mu, int m, int d, float negC) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < m; i++) {
            FloatVector r2 = FloatVector.zero(SPECIES);
            for (int j = 0; j < d; j++) {
                FloatVector diff = FloatVector.fromArray(SPECIES, x, j * stride + n).sub(mu[i * d + j]);
                r2 = diff.fma(diff, r2);
            }
            acc = acc.add(r2.mul(negC).lanewise(VectorOperators.EXP));
        }
        return acc;
    }

    /** Vector width in bits of the bare pass. */
    public static int vectorBits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public void close() {
        // the pool belongs to the caller
    }
}
