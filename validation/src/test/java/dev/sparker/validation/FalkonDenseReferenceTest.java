package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.falkon.FalkonConfig;
import dev.sparker.falkon.FalkonNplm;
import dev.sparker.falkon.FalkonResult;
import dev.sparker.falkon.FalkonSolver;
import dev.sparker.model.Samples;
import dev.sparker.train.WidthSpec;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Falkon-NPLM against {@link FalkonProblems#denseNewton}, an independent dense double-precision solve (full
 * n x M matrix, Gaussian elimination), on problems small and well-conditioned enough that no eigen-direction of
 * K_MM is dropped (asserted), so both compute the same exact Newton iterates.
 *
 * <p>Tolerances: alpha to {@value #ALPHA_TOLERANCE} of its largest entry and t to {@value #T_TOLERANCE}
 * relative. The two solves factorise different matrices (H in alpha against H_gamma in K_MM's eigenbasis)
 * whose condition numbers here stay below about 1e6, so rounding differences of order 1e-16 x 1e6 are
 * expected in alpha; t, a smooth function of f, agrees more closely.
 */
class FalkonDenseReferenceTest {
    static final double ALPHA_TOLERANCE = 1e-7;
    static final double T_TOLERANCE = 1e-9;

    static Stream<Arguments> cases() {
        // d, M, sigma, lambda, Newton steps, solver
        return Stream.of(
                Arguments.of(1, 1, 0.8, 1e-3, 1, FalkonSolver.DIRECT),
                Arguments.of(1, 6, 0.4, 1e-4, 1, FalkonSolver.DIRECT),
                Arguments.of(1, 6, 0.4, 1e-4, 3, FalkonSolver.DIRECT),
                Arguments.of(2, 13, 0.6, 1e-3, 1, FalkonSolver.DIRECT),
                Arguments.of(2, 13, 0.6, 1e-3, 4, FalkonSolver.DIRECT),
                Arguments.of(3, 17, 0.9, 1e-2, 2, FalkonSolver.DIRECT),
                Arguments.of(2, 13, 0.6, 1e-3, 1, FalkonSolver.CONJUGATE_GRADIENT),
                Arguments.of(3, 17, 0.9, 1e-2, 2, FalkonSolver.CONJUGATE_GRADIENT));
    }

    @ParameterizedTest(name = "d={0} M={1} sigma={2} lambda={3} steps={4} {5}")
    @MethodSource("cases")
    void matchesThePlainDenseNewtonSolve(int d, int m, double sigma, double lambda, int steps, FalkonSolver solver) {
        Samples[] p = FalkonProblems.problem(31L * d + m + steps, d, 211, 47, 9);
        FalkonConfig config = FalkonConfig.defaults(m, lambda).toBuilder().width(WidthSpec.fixed(sigma))
                .newtonSteps(steps).solver(solver).cgTolerance(1e-14).cgMaxIterations(500).threads(2)
                .seed(d + 100L * m).build();
        FalkonResult r = FalkonNplm.test(p[0], p[1], config);
        assertEquals(m, r.rank(), "well-conditioned problem: every eigen-direction of K_MM kept");
        FalkonProblems.Dense dense = FalkonProblems.denseNewton(p[0], p[1], r.centres(), sigma, lambda, steps);
        double scale = FalkonProblems.maxAbs(dense.alpha());
        double err = FalkonProblems.maxAbsDiff(r.alpha(), dense.alpha());
        assertTrue(err <= ALPHA_TOLERANCE * scale, "max |alpha - alpha_dense| = " + err + " vs max |alpha| = " + scale);
        assertEquals(dense.t(), r.t(), T_TOLERANCE * Math.max(1, Math.abs(dense.t())), "t");
        assertTrue(Math.abs(dense.t()) > 1e-3, "the check is not vacuous: t = " + dense.t());
    }
}
