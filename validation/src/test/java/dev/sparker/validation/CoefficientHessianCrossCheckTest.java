package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.ScalarEngine;
import org.junit.jupiter.api.Test;

/**
 * The coefficient Hessian request ({@link GradientRequest#COEFFICIENT_HESSIAN}, {@code H_ij = sum_R w e^f k_i k_j}):
 * the scalar engine's H against central finite differences of its own {@code dL/da} (step 1e-5 on a, relative
 * tolerance 1e-6 of max |H|), on the engine contract's problems ({@link EngineContract#problem}) with d = 1, 3
 * and 12, M = 1 and odd M; H symmetric. Every engine's H against the direct transcription, on the contract's
 * grid and tolerances, is in {@link EngineContractTest} (derivation on {@link ScalarEngine}).
 */
class CoefficientHessianCrossCheckTest {
    @Test
    void scalarHessianMatchesFiniteDifferencesOfTheGradient() {
        int checked = 0;
        for (int[] c : new int[][]{{500, 60, 1, 1}, {800, 90, 5, 1}, {700, 50, 4, 3}, {600, 40, 3, 12}}) {
            EngineContract.Problem p = EngineContract.problem(c[0], c[1], c[2], c[3], 31L * c[2] + c[3]);
            int m = c[2];
            double[] h;
            try (BoundProblem b = new ScalarEngine().bind(p.reference(), p.data(), p.shape(), EngineSettings.singleThreadDouble())) {
                NpEvaluation at = new NpEvaluation(p.shape());
                b.evaluate(p.a(), p.mu(), GradientRequest.COEFFICIENT_HESSIAN, at);
                h = at.coefficientHessian().clone();
                double scale = EngineContract.maxAbs(h);
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
}
