package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.falkon.FalkonConfig;
import dev.sparker.falkon.FalkonNplm;
import dev.sparker.falkon.FalkonResult;
import dev.sparker.falkon.FalkonSolver;
import dev.sparker.model.Samples;
import org.junit.jupiter.api.Test;

/**
 * The conjugate-gradient path against the direct path on EXPO-like one-dimensional problems where K_MM is
 * numerically singular (the eigen cutoff drops directions), with the 90 % quantile width and a small lambda,
 * the regime the CG path is for.
 */
class FalkonCgVersusDirectTest {
    /** CG to relative residual 1e-10 against Cholesky: t relative. */
    static final double T_TOLERANCE = 1e-7;
    /** Same, for f = sum alpha_j k(x, c_j) at every event, relative to max |f|. */
    static final double F_TOLERANCE = 1e-6;

    @Test
    void cgAgreesWithDirectOnSingularOneDimensionalProblems() {
        for (int steps : new int[] {1, 2}) {
            Samples[] p = FalkonProblems.problem(77 + steps, 1, 6000, 600, 60);
            FalkonConfig base = FalkonConfig.defaults(300, 1e-6).toBuilder().newtonSteps(steps)
                    .cgTolerance(1e-10).threads(2).seed(5).build();
            FalkonResult direct = FalkonNplm.test(p[0], p[1], base.toBuilder().solver(FalkonSolver.DIRECT).build());
            FalkonResult cg = FalkonNplm.test(p[0], p[1], base.toBuilder().solver(FalkonSolver.CONJUGATE_GRADIENT).build());
            assertTrue(direct.rank() < 300, "the problem is numerically singular: rank " + direct.rank());
            assertEquals(FalkonSolver.CONJUGATE_GRADIENT, cg.solver());
            assertTrue(cg.cgIterations()[0] > 0 && cg.cgIterations()[0] < base.cgMaxIterations(),
                    "CG converged before its cap: " + cg.cgIterations()[0]);
            assertEquals(direct.t(), cg.t(), T_TOLERANCE * Math.abs(direct.t()), "steps " + steps);
            double[] fd = predict(p, direct);
            double[] fc = predict(p, cg);
            double scale = FalkonProblems.maxAbs(fd);
            assertTrue(FalkonProblems.maxAbsDiff(fd, fc) <= F_TOLERANCE * scale,
                    "f differs by " + FalkonProblems.maxAbsDiff(fd, fc) + " of " + scale);
        }
    }

    @Test
    void autoSwitchesOnTheRetainedRank() {
        Samples[] p = FalkonProblems.problem(91, 2, 400, 80, 10);
        FalkonConfig c = FalkonConfig.defaults(20, 1e-3).toBuilder().width(dev.sparker.train.WidthSpec.fixed(0.5)).build();
        assertEquals(FalkonSolver.DIRECT, FalkonNplm.test(p[0], p[1], c).solver(), "rank 20 < 1000");
        FalkonResult low = FalkonNplm.test(p[0], p[1], c.toBuilder().cgSwitchPoint(20).build());
        assertEquals(20, low.rank());
        assertEquals(FalkonSolver.CONJUGATE_GRADIENT, low.solver(), "rank 20 >= switch point 20");
    }

    @Test
    void droppedDirectionsDoNotMoveT() {
        Samples[] p = FalkonProblems.problem(123, 1, 6000, 600, 60);
        FalkonConfig base = FalkonConfig.defaults(300, 1e-6).toBuilder().threads(2).build();
        FalkonResult coarse = FalkonNplm.test(p[0], p[1], base.toBuilder().eigenCutoff(1e-8).build());
        FalkonResult fine = FalkonNplm.test(p[0], p[1], base.toBuilder().eigenCutoff(1e-12).build());
        assertTrue(fine.rank() > coarse.rank(), "ranks " + fine.rank() + " > " + coarse.rank());
        // the dropped directions weigh ~ mu hbar / (lambda M) <= 1e-8 * 150 * 3e-3 / 3e-4 ~ 1e-5 of f
        assertEquals(fine.t(), coarse.t(), 1e-4 * Math.abs(fine.t()), "cutoff 1e-8 vs 1e-12");
    }

    private static double[] predict(Samples[] p, FalkonResult r) {
        double[] f = new double[p[0].size() + p[1].size()];
        var model = r.model();
        for (int i = 0; i < f.length; i++) {
            f[i] = model.evaluate(i < p[0].size() ? p[0].event(i) : p[1].event(i - p[0].size()));
        }
        return f;
    }
}
