package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.falkon.FalkonObjective;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Falkon-NPLM objective's analytic gradient and Hessian against central finite differences of the objective
 * and of the gradient, its streamed Hessian-vector product against the formed Hessian, and its NP loss against a
 * plain sum; at zero and at random points, d in {1, 2, 5}, M in {1, 4, 11}.
 */
class FalkonDerivativesTest {
    /** Central differences with step 1e-5 x scale: O(h^2) truncation plus O(eps/h) rounding. */
    static final double FD_TOLERANCE = 1e-6;
    /** Same sums in a different order. */
    static final double EXACT_TOLERANCE = 1e-12;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(1, 4), Arguments.of(2, 11), Arguments.of(5, 4), Arguments.of(2, 1));
    }

    @ParameterizedTest(name = "d={0} M={1}")
    @MethodSource("cases")
    void gradientHessianAndProductsMatch(int d, int m) {
        Samples[] p = FalkonProblems.problem(7L * d + m, d, 97, 31, 6);
        int n = p[0].size() + p[1].size();
        SplittableRandom r = new SplittableRandom(d * 1000L + m);
        int[] centres = new int[m];
        for (int j = 0; j < m; j++) {
            centres[j] = (j * 37 + 5) % n;
        }
        double lambda = 3e-3;
        try (FalkonObjective obj = new FalkonObjective(p[0], p[1], centres, 1.1, lambda, 2)) {
            for (int point = 0; point < 3; point++) {
                double[] alpha = new double[m];
                if (point > 0) {
                    for (int j = 0; j < m; j++) {
                        alpha[j] = point * (r.nextDouble() - 0.5);
                    }
                }
                FalkonObjective.Evaluation at = obj.evaluate(alpha, true);
                double[] g = at.gradient();
                double[] hess = at.hessian();
                double gScale = Math.max(1e-3, FalkonProblems.maxAbs(g));
                double hScale = FalkonProblems.maxAbs(hess);
                for (int j = 0; j < m; j++) {
                    double h = 1e-5;
                    double[] up = alpha.clone();
                    double[] down = alpha.clone();
                    up[j] += h;
                    down[j] -= h;
                    FalkonObjective.Evaluation eu = obj.evaluate(up, false);
                    FalkonObjective.Evaluation ed = obj.evaluate(down, false);
                    double fdGrad = (eu.objective() - ed.objective()) / (2 * h);
                    assertEquals(fdGrad, g[j], FD_TOLERANCE * gScale, "dJ/dalpha_" + j + " at point " + point);
                    double[] gu = eu.gradient();
                    double[] gd = ed.gradient();
                    for (int k = 0; k < m; k++) {
                        double fdHess = (gu[k] - gd[k]) / (2 * h);
                        assertEquals(fdHess, hess[k * m + j], FD_TOLERANCE * hScale, "H[" + k + "][" + j + "]");
                        assertEquals(hess[j * m + k], hess[k * m + j], 0.0, "H symmetric");
                    }
                }
                double[] u = new double[m];
                for (int j = 0; j < m; j++) {
                    u[j] = r.nextDouble() - 0.5;
                }
                double[] hu = obj.hessianTimes(at, u);
                for (int a = 0; a < m; a++) {
                    double s = 0;
                    for (int b = 0; b < m; b++) {
                        s += hess[a * m + b] * u[b];
                    }
                    assertEquals(s, hu[a], EXACT_TOLERANCE * hScale * m, "(H u)_" + a);
                }
                // NP loss and objective, summed plainly
                double[] f = obj.predict(alpha);
                double np = 0;
                double loss = 0;
                int nr = p[0].size();
                for (int i = 0; i < n; i++) {
                    double w = i < nr ? p[0].weight(i) : p[1].weight(i - nr);
                    np += i < nr ? w * (Math.exp(f[i]) - 1) : -w * f[i];
                    loss += w * Math.log(1 + Math.exp(i < nr ? f[i] : -f[i]));
                }
                double[] kmm = obj.kernelMatrix();
                double pen = 0;
                for (int a = 0; a < m; a++) {
                    for (int b = 0; b < m; b++) {
                        pen += alpha[a] * kmm[a * m + b] * alpha[b];
                    }
                }
                assertEquals(np, at.npLoss(), EXACT_TOLERANCE * Math.max(1, Math.abs(np)) * 10, "L_NP");
                assertEquals(loss / n + 0.5 * lambda * pen, at.objective(), EXACT_TOLERANCE * 10, "J");
                assertTrue(point == 0 || at.objective() > 0, "J > 0");
            }
        }
    }
}
