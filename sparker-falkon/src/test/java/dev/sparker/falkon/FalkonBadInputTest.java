package dev.sparker.falkon;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad input gets an {@link IllegalArgumentException} whose message names the bad value. */
class FalkonBadInputTest {
    private static final Samples REF = Samples.fromFlat(new double[] {0.1, 0.5, 0.9, 1.3, 2.0}, 5, 1, 0.4);
    private static final Samples DATA = Samples.fromFlat(new double[] {0.2, 1.1}, 2, 1, 1.0);
    private static final FalkonConfig OK = FalkonConfig.defaults(3, 1e-3);

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void emptySampleIsRejectedWhenBuilt() {
        assertRejected(() -> Samples.fromFlat(new double[0], 0, 1, 1.0), "empty sample", "n = 0");
    }

    @Test
    void nanCoordinateIsRejectedWhenBuilt() {
        assertRejected(() -> Samples.fromFlat(new double[] {0.3, Double.NaN}, 2, 1, 1.0),
                "non-finite coordinate NaN", "event 1");
    }

    @Test
    void dimensionMismatch() {
        Samples data2d = Samples.fromFlat(new double[] {0.2, 0.3, 1.1, 1.2}, 2, 2, 1.0);
        assertRejected(() -> FalkonNplm.test(REF, data2d, OK), "dimension mismatch", "1", "2");
    }

    @Test
    void nullArguments() {
        assertRejected(() -> FalkonNplm.test(null, DATA, OK), "must not be null");
        assertRejected(() -> FalkonNplm.test(REF, null, OK), "must not be null");
        assertRejected(() -> FalkonNplm.test(REF, DATA, null), "configuration must not be null");
    }

    @Test
    void lambdaZeroNegativeOrNaN() {
        assertRejected(() -> FalkonConfig.defaults(3, 0.0), "lambda = 0.0", "> 0");
        assertRejected(() -> FalkonConfig.defaults(3, -1e-6), "lambda = -1.0E-6");
        assertRejected(() -> FalkonConfig.defaults(3, Double.NaN), "lambda = NaN");
        assertRejected(() -> OK.toBuilder().lambda(Double.POSITIVE_INFINITY).build(), "lambda = Infinity");
    }

    @Test
    void fewerThanOneCentre() {
        assertRejected(() -> FalkonConfig.defaults(0, 1e-3), "M = 0", "at least 1");
        assertRejected(() -> OK.toBuilder().centres(-4).build(), "M = -4");
    }

    @Test
    void moreCentresThanPooledEvents() {
        FalkonConfig eight = FalkonConfig.defaults(8, 1e-3);
        assertRejected(() -> FalkonNplm.test(REF, DATA, eight), "M = 8", "exceeds the 7 pooled events",
                "5 reference + 2 data");
    }

    @Test
    void allPooledEventsAsCentresIsAllowed() {
        FalkonResult r = FalkonNplm.test(REF, DATA, FalkonConfig.defaults(7, 1e-3));
        assertTrue(Double.isFinite(r.t()), "t = " + r.t());
    }

    @Test
    void fewerThanOneNewtonStep() {
        assertRejected(() -> OK.toBuilder().newtonSteps(0).build(), "Newton steps = 0", "at least one");
    }

    @Test
    void otherSettings() {
        assertRejected(() -> OK.toBuilder().threads(0).build(), "threads = 0");
        assertRejected(() -> OK.toBuilder().cgTolerance(0).build(), "CG tolerance = 0.0");
        assertRejected(() -> OK.toBuilder().cgMaxIterations(0).build(), "CG max iterations = 0");
        assertRejected(() -> OK.toBuilder().cgSwitchPoint(0).build(), "CG switch point = 0");
        assertRejected(() -> OK.toBuilder().eigenCutoff(1.0).build(), "eigen cutoff = 1.0");
        assertRejected(() -> OK.toBuilder().width(null).build(), "width rule must not be null");
        assertRejected(() -> OK.toBuilder().solver(null).build(), "solver must not be null");
    }

    @Test
    void objectiveRejectsBadCentresAndVectors() {
        assertRejected(() -> new FalkonObjective(REF, DATA, new int[] {0, 7}, 1.0, 1e-3, 1),
                "centre index 7", "outside the 7 pooled events");
        assertRejected(() -> new FalkonObjective(REF, DATA, new int[0], 1.0, 1e-3, 1), "M = 0");
        assertRejected(() -> new FalkonObjective(REF, DATA, new int[] {0}, -1.0, 1e-3, 1), "sigma = -1.0");
        assertRejected(() -> new FalkonObjective(REF, DATA, new int[] {0}, 1.0, 0.0, 1), "lambda = 0.0");
        try (FalkonObjective o = new FalkonObjective(REF, DATA, new int[] {0, 3}, 1.0, 1e-3, 1)) {
            assertRejected(() -> o.evaluate(new double[3], false), "alpha must have length M = 2 but has 3");
            assertRejected(() -> o.evaluate(new double[] {0, Double.NaN}, false), "non-finite entry NaN");
        }
    }
}
