package dev.sparker.engine.vector;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A problem bound to the vector engine. Events are split into {@code T} fixed, lane-aligned chunks (chunk
 * t of the reference and chunk t of the data go to worker t); each worker keeps its own partial sums and
 * scratch buffers, and the partial sums are added in the order t = 0, 1, ..., T-1. So the same inputs and
 * the same thread count give the same bits. With one thread everything runs on the caller's thread, which
 * is how a calibration runs whole problems per thread.
 */
final class VectorBoundProblem implements BoundProblem {
    private static final AtomicInteger POOL_ID = new AtomicInteger();

    private final KernelShape shape;
    private final PaddedSample reference;
    private final PaddedSample data;
    private final Worker[] workers;
    private final Parameters params;
    private final ExecutorService pool;
    private final List<Chunk> chunks = new ArrayList<>();
    private final int lanes;

    VectorBoundProblem(Samples ref, Samples dat, KernelShape shape, Precision precision, int threads) {
        this.shape = shape;
        this.lanes = VectorConstants.FLOAT.length();
        boolean isFloat = precision == Precision.FLOAT;
        this.reference = new PaddedSample(ref, lanes, isFloat);
        this.data = new PaddedSample(dat, lanes, isFloat);
        int m = shape.kernels();
        int d = shape.dimension();
        this.params = new Parameters(m, d);
        this.workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = isFloat ? new FloatWorker(m, d) : new DoubleWorker(m, d);
            chunks.add(new Chunk(t, threads));
        }
        if (threads > 1) {
            int id = POOL_ID.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread th = new Thread(r, "sparker-vector-" + id + "-" + n.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
        } else {
            pool = null;
        }
    }

    @Override
    public KernelShape shape() {
        return shape;
    }

    @Override
    public void evaluate(double[] a, double[] mu, GradientRequest request, NpEvaluation out) {
        int m = shape.kernels();
        int d = shape.dimension();
        if (a.length != m || mu.length != m * d) {
            throw new IllegalArgumentException("parameters have M = " + a.length + ", mu length " + mu.length
                    + " but the problem was bound for M = " + m + ", d = " + d);
        }
        params.set(a, mu, shape.amplitudeFactor(), shape.sigma());
        boolean wantA = request.wantsCoefficients();
        boolean wantMu = request.wantsLocations();
        for (Chunk c : chunks) {
            c.wantA = wantA;
            c.wantMu = wantMu;
        }
        if (pool == null) {
            chunks.getFirst().run();
        } else {
            runParallel();
        }
        // fixed reduction order: worker 0, 1, ..., T-1
        double loss = 0;
        double[] gA = out.coefficientGradient();
        double[] gMu = out.locationGradient();
        if (wantA) {
            java.util.Arrays.fill(gA, 0);
        }
        if (wantMu) {
            java.util.Arrays.fill(gMu, 0);
        }
        for (Worker w : workers) {
            loss += w.loss;
            if (wantA) {
                for (int i = 0; i < m; i++) {
                    gA[i] += w.gradA[i];
                }
            }
            if (wantMu) {
                for (int k = 0; k < m * d; k++) {
                    gMu[k] += w.moment[k];
                }
            }
        }
        out.setLoss(loss);
        if (wantMu) {
            double invS2 = 1.0 / (shape.sigma() * shape.sigma());
            for (int i = 0; i < m; i++) {
                double scale = a[i] * invS2;
                for (int j = 0; j < d; j++) {
                    gMu[i * d + j] *= scale;
                }
            }
        }
    }

    private void runParallel() {
        List<Future<?>> futures = new ArrayList<>(chunks.size() - 1);
        for (int t = 1; t < chunks.size(); t++) {
            futures.add(pool.submit(chunks.get(t)));
        }
        RuntimeException failure = null;
        try {
            chunks.getFirst().run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new CancellationException("vector engine evaluation interrupted");
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("vector engine worker failed", e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Worker t's fixed share: chunk t of the reference and chunk t of the data. */
    private final class Chunk implements Runnable {
        private final Worker worker;
        private final int refFrom;
        private final int refTo;
        private final int dataFrom;
        private final int dataTo;
        boolean wantA;
        boolean wantMu;

        Chunk(int t, int threads) {
            this.worker = workers[t];
            this.refFrom = reference.chunkStart(t, threads, lanes);
            this.refTo = reference.chunkStart(t + 1, threads, lanes);
            this.dataFrom = data.chunkStart(t, threads, lanes);
            this.dataTo = data.chunkStart(t + 1, threads, lanes);
        }

        @Override
        public void run() {
            worker.reset();
            if (refTo > refFrom) {
                worker.accumulate(reference, refFrom, refTo, true, params, wantA, wantMu);
            }
            if (dataTo > dataFrom) {
                worker.accumulate(data, dataFrom, dataTo, false, params, wantA, wantMu);
            }
        }
    }
}
