package dev.sparker.engine.vector;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.KernelShape;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A problem bound to the vector engine. The events are split into parts whose number depends only on the
 * event counts ({@link Layout#parts(int)}). With one thread every evaluation runs all parts on the caller's
 * thread (no pool, no hand-off). With T threads the caller and T - 1 worker threads owned by this problem
 * take parts from a shared counter until none is left, meeting at two barriers per evaluation. The parts'
 * sums are then added in part order, so the bits depend only on the inputs, never on T.
 */
final class VectorBoundProblem implements BoundProblem {
    private final KernelShape shape;
    private final EventPass pass;
    private final int m;
    private final int d;
    private final Thread[] workers;
    private final CyclicBarrier start;
    private final CyclicBarrier done;
    /** The next part to hand out in the current evaluation. */
    private final AtomicInteger nextPart = new AtomicInteger();
    private volatile boolean wantCoefficients;
    private volatile boolean wantLocations;
    private volatile boolean closed;
    private volatile Throwable workerFailure;

    VectorBoundProblem(KernelShape shape, EventPass pass) {
        this.shape = shape;
        this.pass = pass;
        this.m = shape.kernels();
        this.d = shape.dimension();
        int threads = pass.workers();
        this.workers = new Thread[threads - 1];
        if (threads > 1) {
            this.start = new CyclicBarrier(threads);
            this.done = new CyclicBarrier(threads);
            for (int w = 1; w < threads; w++) {
                int worker = w;
                Thread t = new Thread(() -> work(worker), "sparker-vector-worker-" + worker);
                t.setDaemon(true);
                workers[w - 1] = t;
                t.start();
            }
        } else {
            this.start = null;
            this.done = null;
        }
    }

    @Override
    public KernelShape shape() {
        return shape;
    }

    @Override
    public void evaluate(double[] a, double[] mu, GradientRequest request, NpEvaluation out) {
        if (closed) {
            throw new IllegalStateException("this bound problem is closed");
        }
        if (a.length != m || mu.length != m * d) {
            throw new IllegalArgumentException("parameters have M = " + a.length + ", mu length " + mu.length
                    + " but the problem was bound for M = " + m + ", d = " + d);
        }
        boolean wantA = request.wantsCoefficients();
        boolean wantMu = request.wantsLocations();
        pass.prepare(a, mu);
        if (workers.length == 0) {
            for (int p = 0; p < pass.parts(); p++) {
                pass.run(p, 0, wantA, wantMu);
            }
        } else {
            wantCoefficients = wantA;
            wantLocations = wantMu;
            workerFailure = null;
            nextPart.set(0);
            await(start);
            try {
                runParts(0, wantA, wantMu);
            } finally {
                await(done);
            }
            Throwable failure = workerFailure;
            if (failure != null) {
                throw new IllegalStateException("a vector engine worker failed: " + failure, failure);
            }
        }
        pass.reduce(a, wantA, wantMu, out);
    }

    /** Runs parts taken from the shared counter until none is left. */
    private void runParts(int worker, boolean wantA, boolean wantMu) {
        int parts = pass.parts();
        for (int p = nextPart.getAndIncrement(); p < parts; p = nextPart.getAndIncrement()) {
            pass.run(p, worker, wantA, wantMu);
        }
    }

    private void work(int worker) {
        while (true) {
            try {
                start.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                runParts(worker, wantCoefficients, wantLocations);
            } catch (Throwable t) {
                workerFailure = t;
            }
            try {
                done.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                return;
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the vector engine's workers", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("the vector engine's workers stopped", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread t : workers) {
            t.interrupt();
        }
    }
}
