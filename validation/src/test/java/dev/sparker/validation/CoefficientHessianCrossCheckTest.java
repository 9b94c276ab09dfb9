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
    private static final int[] NS = VectorEngineCrossCheckTest.EVENT_COUNTS;
    private static final int[] DATA_NS = VectorEngineCrossCheckTest.DATA_COUNTS;
    private static final int[] MS = {1, 7, 16, 50};
    private static final int[] DS = {1, 3, 12};

    @Test
    void scalarHessianMatchesFiniteDifferencesOfTheGradient() {
        int checked = 0;
        for (int[] c : new int[][]{{500, 60, 1, 1}, {800, 90, 5, 1}, {700, 50, 4, 3}, {600, 40, 3, 12}}) {
            VectorEngineCrossCheckTest.Problem p = VectorEngineCrossCheckTest.problem(c[0], c[1], c[2], c[3], 31L * c[2] + c[3]);
            int m = c[2];
            double[] h;
            try (BoundProblem b = new ScalarEngine().bind(p.ref(), p.data(), p.shape(), EngineSettings.singleThreadDouble())) {
                NpEvaluation at = new NpEvaluation(p.shape());
                b.evaluate(p.a(), p.mu(), GradientRequest.COEFFICIENT_HESSIAN, at);
                h = at.coefficientHessian().clone();
                double scale = VectorEngineCrossCheckTest.maxAbs(h);
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
                    VectorEngineCrossCheckTest.Problem p = VectorEngineCrossCheckTest.problem(NS[t], DATA_NS[t], m, d,
                            7919L * NS[t] + 131L * m + d);
                    NpEvaluation want = VectorEngineCrossCheckTest.evaluate(new ScalarEngine(), p,
                            EngineSettings.singleThreadDouble(), GradientRequest.COEFFICIENT_HESSIAN);
                    double hScale = VectorEngineCrossCheckTest.maxAbs(want.coefficientHessian());
                    double gScale = VectorEngineCrossCheckTest.maxAbs(want.coefficientGradient());
                    double lossScale = Math.max(VectorEngineCrossCheckTest.lossScale(p), Math.abs(want.loss()));
                    for (Precision precision : Precision.values()) {
                        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
                        NpEvaluation got = VectorEngineCrossCheckTest.evaluate(vector, p, new EngineSettings(precision, 3),
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
