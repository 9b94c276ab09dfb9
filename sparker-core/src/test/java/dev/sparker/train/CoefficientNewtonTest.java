package dev.sparker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.loss.PenaltyMode;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The exact coefficient phase against a dense reference: the n x M kernel matrix K is built explicitly, and
 * F(a) = sum_R w (e^{Ka} - 1) - sum_D w Ka + L_a(a) is minimised by plain Newton with an LU solve (EJML's
 * general solver, not the Cholesky the solver uses) from the same start until the step is below 1e-14.
 * The solver must reach the same a (1e-8 relative to |a|) and F (1e-10 relative), lower F at every iteration,
 * and damp instead of failing when H is singular.
 */
class CoefficientNewtonTest {

    record Problem(Samples ref, Samples data, KernelShape shape, double[] mu) {
    }

    static Problem problem(int nRef, int nData, int m, int d, long seed, boolean oneKernelFarAway) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] rx = new double[nRef * d];
        double[] dx = new double[nData * d];
        double[] rw = new double[nRef];
        double[] dw = new double[nData];
        for (int i = 0; i < rx.length; i++) {
            rx[i] = r.nextGaussian();
        }
        for (int i = 0; i < dx.length; i++) {
            dx[i] = 0.4 + 1.1 * r.nextGaussian();
        }
        for (int i = 0; i < nRef; i++) {
            rw[i] = (0.5 + r.nextDouble()) * nData / nRef;
        }
        for (int i = 0; i < nData; i++) {
            dw[i] = 1;
        }
        double[] mu = new double[m * d];
        for (int i = 0; i < m; i++) {
            int e = r.nextInt(nData);
            for (int j = 0; j < d; j++) {
                mu[i * d + j] = dx[e * d + j] + (oneKernelFarAway && i == m - 1 ? 1e3 : 0);
            }
        }
        KernelShape shape = new KernelShape(m, d, 0.7 + 0.3 * d, Amplitude.UNIT);
        return new Problem(Samples.fromFlat(rx, nRef, d, rw), Samples.fromFlat(dx, nData, d, dw), shape, mu);
    }

    /** K[n][i] = k_i(x_n), rows of one sample. */
    static double[][] kernelMatrix(Samples s, Problem p) {
        int m = p.shape().kernels();
        int d = p.shape().dimension();
        double[][] k = new double[s.size()][m];
        for (int n = 0; n < s.size(); n++) {
            for (int i = 0; i < m; i++) {
                double r2 = 0;
                for (int j = 0; j < d; j++) {
                    double t = s.coordinate(n, j) - p.mu()[i * d + j];
                    r2 += t * t;
                }
                k[n][i] = p.shape().amplitudeFactor() * Math.exp(-r2 / (2 * p.shape().sigma() * p.shape().sigma()));
            }
        }
        return k;
    }

    /** Dense Newton with an LU solve: the reference minimiser of F, and F there. */
    static double[] denseMinimum(Problem p, double lambda, PenaltyMode mode, double[] out) {
        int m = p.shape().kernels();
        double[][] kr = kernelMatrix(p.ref(), p);
        double[][] kd = kernelMatrix(p.data(), p);
        double s = lambda * (mode == PenaltyMode.MEAN ? 1.0 / m : 1.0);
        double[] a = new double[m];
        for (int it = 0; it < 100; it++) {
            DMatrixRMaj h = new DMatrixRMaj(m, m);
            DMatrixRMaj g = new DMatrixRMaj(m, 1);
            for (int i = 0; i < m; i++) {
                h.set(i, i, 2 * s);
                g.set(i, 0, 2 * s * a[i]);
            }
            for (int n = 0; n < kr.length; n++) {
                double ef = p.ref().weight(n) * Math.exp(dot(kr[n], a));
                for (int i = 0; i < m; i++) {
                    g.add(i, 0, ef * kr[n][i]);
                    for (int j = 0; j < m; j++) {
                        h.add(i, j, ef * kr[n][i] * kr[n][j]);
                    }
                }
            }
            for (int n = 0; n < kd.length; n++) {
                for (int i = 0; i < m; i++) {
                    g.add(i, 0, -p.data().weight(n) * kd[n][i]);
                }
            }
            DMatrixRMaj delta = new DMatrixRMaj(m, 1);
            assertTrue(CommonOps_DDRM.solve(h, g, delta), "dense reference solve");
            double norm = 0;
            for (int i = 0; i < m; i++) {
                a[i] -= delta.get(i, 0);
                norm += delta.get(i, 0) * delta.get(i, 0);
            }
            if (Math.sqrt(norm) < 1e-14 * (1 + Math.sqrt(dot(a, a)))) {
                break;
            }
        }
        double f = 0;
        for (int n = 0; n < kr.length; n++) {
            f += p.ref().weight(n) * (Math.exp(dot(kr[n], a)) - 1);
        }
        for (int n = 0; n < kd.length; n++) {
            f -= p.data().weight(n) * dot(kd[n], a);
        }
        out[0] = f + s * dot(a, a);
        return a;
    }

    static double dot(double[] x, double[] y) {
        double t = 0;
        for (int i = 0; i < x.length; i++) {
            t += x[i] * y[i];
        }
        return t;
    }

    static CoefficientNewton.Report run(Problem p, double lambda, PenaltyMode mode, int iterations, double[] a) {
        CoefficientNewton newton = new CoefficientNewton(p.shape().kernels(), lambda, mode, 1e6, iterations, 1e-15);
        try (BoundBatch b = BoundBatch.of(new ScalarEngine().bind(p.ref(), p.data(), p.shape(),
                EngineSettings.singleThreadDouble()))) {
            return newton.solve(b, new double[][]{a}, new double[][]{p.mu()}, new boolean[]{true},
                    new NpEvaluation[]{new NpEvaluation(p.shape())})[0];
        }
    }

    @Test
    void matchesDenseReferenceSolve() {
        int[][] cases = {{400, 50, 1, 1}, {900, 90, 5, 1}, {700, 80, 7, 3}, {500, 60, 4, 12}};
        for (int[] c : cases) {
            for (PenaltyMode mode : PenaltyMode.values()) {
                Problem p = problem(c[0], c[1], c[2], c[3], 1000L * c[2] + c[3], false);
                double lambda = 1e-3;
                double[] fRef = new double[1];
                double[] want = denseMinimum(p, lambda, mode, fRef);
                double[] a = new double[c[2]];
                CoefficientNewton.Report r = run(p, lambda, mode, 50, a);
                String where = "n_R=" + c[0] + " M=" + c[2] + " d=" + c[3] + " " + mode;
                assertTrue(r.status() == CoefficientNewton.Status.CONVERGED
                        || r.status() == CoefficientNewton.Status.STALLED, where + ": " + r);
                assertNull(r.failure());
                double scale = Math.sqrt(dot(want, want));
                for (int i = 0; i < a.length; i++) {
                    assertEquals(want[i], a[i], 1e-8 * scale, where + ": a[" + i + "]");
                }
                assertEquals(fRef[0], r.objective(), 1e-10 * Math.abs(fRef[0]), where + ": F at the minimum");
                assertTrue(r.iterations() <= 20, where + ": Newton should need few iterations, took " + r.iterations());
            }
        }
    }

    @Test
    void everyIterationLowersTheLoss() {
        Problem p = problem(2000, 200, 9, 2, 77, false);
        double previous = Double.POSITIVE_INFINITY;
        double atZero;
        try (var b = new ScalarEngine().bind(p.ref(), p.data(), p.shape(), EngineSettings.singleThreadDouble())) {
            NpEvaluation e = new NpEvaluation(p.shape());
            b.evaluate(new double[9], p.mu(), GradientRequest.LOSS_ONLY, e);
            atZero = e.loss();
        }
        previous = atZero;
        int strictlyLower = 0;
        for (int k = 1; k <= 6; k++) {
            double[] a = new double[9];
            CoefficientNewton.Report r = run(p, 1e-5, PenaltyMode.MEAN, k, a);
            assertTrue(r.objective() <= previous, "iteration " + k + ": F " + r.objective() + " above " + previous);
            if (r.objective() < previous) {
                strictlyLower++;
            }
            previous = r.objective();
        }
        assertTrue(strictlyLower >= 3, "the first Newton iterations must make progress");
        assertTrue(previous < atZero - 1, "Newton must lower F well below its value at a = 0 (" + atZero + ")");
    }

    @Test
    void singularHessianIsDampedNotFailed() {
        // the last kernel sits far from every event: its Hessian row is zero and, with lambda_a = 0, H is singular
        Problem p = problem(800, 80, 4, 1, 5, true);
        double[] a = new double[4];
        CoefficientNewton.Report r = run(p, 0, PenaltyMode.MEAN, 30, a);
        assertNull(r.failure(), "a singular H must be damped, not fail: " + r);
        assertTrue(r.dampedSolves() > 0, "the singular H needed damping: " + r);
        double[] fRef = new double[1];
        Problem near = problem(800, 80, 4, 1, 5, true);
        denseMinimumOfFirst(near, 3, fRef);
        assertEquals(fRef[0], r.objective(), 1e-8 * Math.abs(fRef[0]), "same minimum as without the dead kernel");
        assertEquals(0, a[3], 1e-12, "the dead kernel's coefficient stays where it started");
    }

    /** The dense minimum over the first {@code keep} kernels only (the others are dead). */
    private static void denseMinimumOfFirst(Problem p, int keep, double[] f) {
        int d = p.shape().dimension();
        double[] mu = java.util.Arrays.copyOf(p.mu(), keep * d);
        Problem q = new Problem(p.ref(), p.data(), new KernelShape(keep, d, p.shape().sigma(), p.shape().amplitude()), mu);
        denseMinimum(q, 0, PenaltyMode.MEAN, f);
    }
}
