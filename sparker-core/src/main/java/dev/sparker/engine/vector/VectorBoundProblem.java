package dev.sparker.engine.vector;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.KernelShape;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * A problem bound to the vector engine. With one thread every evaluation runs entirely on the caller's
 * thread (no pool, no hand-off). With T threads the events are split into T fixed parts; the caller runs
 * part 0 and T - 1 worker threads owned by this problem run the others, meeting at two barriers per
 * evaluation; the parts' sums are then added in part order, so the bits depend only on the inputs and T.
 */
final class VectorBoundProblem implements BoundProblem {
    private final KernelShape shape;
    private final EventPass pass;
    private final int m;
    private final int d;
    private final Thread[] workers;
    private final CyclicBarrier start;
    private final CyclicBarrier done;
    private volatile boolean wantCoefficients;
    private volatile boolean wantLocations;
    private volatile boolean wantHessian;
    private volatile boolean closed;
    private volatile Throwable workerFailure;

    VectorBoundProblem(KernelShape shape, EventPass pass) {
        this.shape = shape;
        this.pass = pass;
        this.m = shape.kernels();
        this.d = shape.dimension();
        int parts = pass.parts();
        this.workers = new Thread[parts - 1];
        if (parts > 1) {
            this.start = new CyclicBarrier(parts);
            this.done = new CyclicBarrier(parts);
            for (int p = 1; p < parts; p++) {
                int part = p;
                Thread t = new Thread(() -> work(part), "sparker-vector-part-" + p);
                t.setDaemon(true);
                workers[p - 1] = t;
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
        boolean wantH = request.wantsCoefficientHessian();
        pass.prepare(a, mu);
        if (workers.length == 0) {
            pass.run(0, wantA, wantMu, wantH);
        } else {
            wantCoefficients = wantA;
            wantLocations = wantMu;
            wantHessian = wantH;
            workerFailure = null;
            await(start);
            try {
                pass.run(0, wantA, wantMu, wantH);
            } finally {
                await(done);
            }
            Throwable failure = workerFailure;
            if (failure != null) {
                throw new IllegalStateException("a vector engine worker failed: " + failure, failure);
            }
        }
        pass.reduce(a, wantA, wantMu, wantH, out);
    }

    private void work(int part) {
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
                pass.run(part, wantCoefficients, wantLocations, wantHessian);
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
