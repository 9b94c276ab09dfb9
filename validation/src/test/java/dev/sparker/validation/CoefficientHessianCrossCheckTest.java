package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelModel;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The coefficient Hessian request ({@link GradientRequest#COEFFICIENT_HESSIAN}, {@code H_ij = sum_R w e^f k_i k_j}):
 * <ul>
 *   <li>the scalar engine's H against central finite differences of its own {@code dL/da} (step 1e-5 on
 *       a, relative tolerance 1e-6 of max |H|), on problems with d = 1, 3 and 12, M = 1 and odd M;</li>
 *   <li>the vector engine against the scalar engine over sizes that hit every SIMD tail (reference n in
 *       {1, 15, 16, 17, 1000, 20001}, M in {1, 7, 16, 50}, d in {1, 3, 12}), both precisions, three threads:
 *       every entry within {@code tol * max|H|} with tol = 1e-12 (DOUBLE) and 1e-5 (FLOAT); loss and
 *       {@code dL/da} of the same request within the same tolerances; H symmetric.</li>
 * </ul>
 * The scalar engine's H is the oracle (its derivation is on {@link ScalarEngine}).
 */
class CoefficientHessianCrossCheckTest {
    private static final int[] NS = new int[]{1, 15, 16, 17, 1000, 20001};
    private static final int[] DATA_NS = new int[]{17, 1, 16, 15, 20001, 1000};
    private static final int[] MS = {1, 7, 16, 50};
    private static final int[] DS = {1, 3, 12};

    @Test
    void scalarHessianMatchesFiniteDifferencesOfTheGradient() {
        int checked = 0;
        for (int[] c : new int[][]{{500, 60, 1, 1}, {800, 90, 5, 1}, {700, 50, 4, 3}, {600, 40, 3, 12}}) {
            Problem p = problem(c[0], c[1], c[2], c[3], 31L * c[2] + c[3]);
            int m = c[2];
            double[] h;
            try (BoundProblem b = new ScalarEngine().bind(p.ref(), p.data(), p.shape(), EngineSettings.singleThreadDouble())) {
                NpEvaluation at = new NpEvaluation(p.shape());
                b.evaluate(p.a(), p.mu(), GradientRequest.COEFFICIENT_HESSIAN, at);
                h = at.coefficientHessian().clone();
                double scale = maxAbs(h);
                assertTrue(scale > 0, "the Hessian must not vanish on this problem");
                for (int j = 0; j < m; j++) {
                    double step = 1e-5 / p.shape().amplitudeFactor();
                    double[] plus = p.a().clone();
                    double[] minus = p.a().clone();
                    plus[j] += step;
                    minus[j] -= step;
                    NpEvaluation ep = new NpEvaluation(p.shape());
                    NpEvaluation em = new NpEvaluation(p.shape());
                    b.evaluate(plus, p.mu(), GradientRequest.COEFFICIENTS, ep);
                    b.evaluate(minus, p.mu(), GradientRequest.COEFFICIENTS, em);
                    for (int i = 0; i < m; i++) {
                        double fd = (ep.coefficientGradient()[i] - em.coefficientGradient()[i]) / (2 * step);
                        assertEquals(fd, h[i * m + j], 1e-6 * scale, "H[" + i + "][" + j + "] vs finite differences"
                                + " of dL/da at n_R=" + c[0] + " M=" + m + " d=" + c[3]);
                        assertEquals(h[i * m + j], h[j * m + i], 0.0, "H must be symmetric");
                        checked++;
                    }
                }
            }
        }
        assertEquals(1 + 25 + 16 + 9, checked, "every Hessian entry of every problem was checked");
    }

    @Test
    void vectorEngineMatchesScalarOnEveryTail() {
        Engine vector = Engines.byName("vector");
        assertTrue(vector.availability().available(), "vector engine unavailable: " + vector.availability().reason());
        int cases = 0;
        double[] worst = new double[2];
        for (int t = 0; t < NS.length; t++) {
            for (int m : MS) {
                for (int d : DS) {
                    Problem p = problem(NS[t], DATA_NS[t], m, d,
                            7919L * NS[t] + 131L * m + d);
                    NpEvaluation want = evaluate(new ScalarEngine(), p,
                            EngineSettings.singleThreadDouble(), GradientRequest.COEFFICIENT_HESSIAN);
                    double hScale = maxAbs(want.coefficientHessian());
                    double gScale = maxAbs(want.coefficientGradient());
                    double lossScale = Math.max(lossScale(p), Math.abs(want.loss()));
                    for (Precision precision : Precision.values()) {
                        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
                        NpEvaluation got = evaluate(vector, p, new EngineSettings(precision, 3),
                                GradientRequest.COEFFICIENT_HESSIAN);
                        String ctx = "nRef=" + NS[t] + " nData=" + DATA_NS[t] + " M=" + m + " d=" + d + " " + precision;
                        assertTrue(Math.abs(got.loss() - want.loss()) <= tol * lossScale, ctx + ": loss");
                        double gErr = maxError(got.coefficientGradient(), want.coefficientGradient()) / gScale;
                        assertTrue(gErr <= tol, ctx + ": dL/da error " + gErr);
                        double[] h = got.coefficientHessian();
                        double hErr = hScale == 0 ? maxAbsRaw(h) : maxError(h, want.coefficientHessian()) / hScale;
                        assertTrue(hErr <= tol, ctx + ": Hessian relative error " + hErr + " exceeds " + tol);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < i; j++) {
                                assertEquals(h[i * m + j], h[j * m + i], 0.0, ctx + ": H symmetric");
                            }
                        }
                        int pi = precision.ordinal();
                        worst[pi] = Math.max(worst[pi], hErr);
                    }
                    cases++;
                }
            }
        }
        assertEquals(NS.length * MS.length * DS.length, cases, "every grid cell was checked");
    }

    /** A seeded random problem with parameters (a, mu). */
    record Problem(Samples ref, Samples data, KernelShape shape, double[] a, double[] mu) {
    }

    /**
     * Reference events N(0, 1) per coordinate, data N(0.3, 1.2^2), positive random weights (the reference's
     * scaled by nData / nRef); kernels on jittered data events, every seventh far from every event; coefficients
     * U(-1, 1) / sqrt(M); the amplitude convention varies with the case.
     */
    static Problem problem(int nRef, int nData, int m, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] rx = new double[nRef * d];
        double[] dx = new double[nData * d];
        double[] rw = new double[nRef];
        double[] dw = new double[nData];
        for (int i = 0; i < rx.length; i++) {
            rx[i] = r.nextGaussian();
        }
        for (int i = 0; i < dx.length; i++) {
            dx[i] = 0.3 + 1.2 * r.nextGaussian();
        }
        for (int i = 0; i < nRef; i++) {
            rw[i] = (0.5 + r.nextDouble()) * nData / nRef;
        }
        for (int i = 0; i < nData; i++) {
            dw[i] = 0.5 + r.nextDouble();
        }
        double sigma = 0.5 + 0.4 * Math.sqrt(d);
        KernelShape shape = new KernelShape(m, d, sigma, Amplitude.values()[(m + d) % Amplitude.values().length]);
        double[] a = new double[m];
        double[] mu = new double[m * d];
        for (int i = 0; i < m; i++) {
            a[i] = (2 * r.nextDouble() - 1) / Math.sqrt(m);
            int event = r.nextInt(nData);
            for (int j = 0; j < d; j++) {
                mu[i * d + j] = dx[event * d + j] + 0.1 * r.nextGaussian() + (i % 7 == 6 ? 40 * sigma : 0);
            }
        }
        return new Problem(Samples.fromFlat(rx, nRef, d, rw), Samples.fromFlat(dx, nData, d, dw), shape, a, mu);
    }

    /** {@code sum_R w (e^f + 1) + sum_D w |f|}, the scale the loss error is measured against. */
    static double lossScale(Problem p) {
        KernelShape s = p.shape();
        KernelModel model = new KernelModel(s.dimension(), s.sigma(), s.amplitude(), p.a(), p.mu());
        double sum = 0;
        for (int n = 0; n < p.ref().size(); n++) {
            sum += p.ref().weight(n) * (Math.exp(model.evaluate(p.ref().event(n))) + 1);
        }
        for (int n = 0; n < p.data().size(); n++) {
            sum += p.data().weight(n) * Math.abs(model.evaluate(p.data().event(n)));
        }
        return sum;
    }

    static NpEvaluation evaluate(Engine engine, Problem p, EngineSettings settings, GradientRequest request) {
        NpEvaluation out = new NpEvaluation(p.shape());
        try (BoundProblem bound = engine.bind(p.ref(), p.data(), p.shape(), settings)) {
            bound.evaluate(p.a(), p.mu(), request, out);
        }
        return out;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double maxError(double[] got, double[] want) {
        double e = 0;
        for (int k = 0; k < want.length; k++) {
            e = Math.max(e, Math.abs(got[k] - want[k]));
        }
        return e;
    }

    private static double maxAbsRaw(double[] v) {
        double e = 0;
        for (double x : v) {
            e = Math.max(e, Math.abs(x));
        }
        return e;
    }
}
