package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.vector.VectorEngine;
import dev.sparker.model.Amplitude;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The vector engine against the scalar engine on sizes that hit every SIMD tail, at the vector width this
 * JVM was started with. The validation build runs this class once per width (128, 256, 512 bits: one
 * surefire execution each, with {@value VectorEngine#WIDTH_PROPERTY}); each passing run leaves a marker
 * that {@link VectorWidthCoverageTest} requires for every width the hardware has.
 * Tolerances: DOUBLE 1e-12, FLOAT 1e-5, relative (loss: to the size of the summed terms; gradients: to
 * the scalar gradient's Euclidean norm).
 */
class VectorEngineWidthCheckTest {
    static final int[] EVENTS = {1, 15, 16, 17, 1000, 20001};
    static final int[] KERNELS = {1, 7, 16, 50, 1000};
    static final int[] DIMENSIONS = {1, 3, 12};

    @Test
    void matchesScalarEngineOnEveryTailAtThisWidth() throws java.io.IOException {
        String forced = System.getProperty(VectorEngine.WIDTH_PROPERTY);
        Assumptions.assumeTrue(forced != null, "runs only in the per-width surefire executions");
        VectorEngine engine = new VectorEngine();
        int bits = Integer.parseInt(forced);
        var av = engine.availability();
        if (!av.available()) {
            Assumptions.assumeTrue(false, "width " + bits + " not checkable here: " + av.reason());
        }
        assertTrue(VectorEngine.vectorBits() == bits, "engine runs at " + VectorEngine.vectorBits()
                + " bits but " + bits + " were forced");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        long seed = 1;
        for (int n : EVENTS) {
            int nData = n == 20001 ? 2001 : n;
            for (int m : KERNELS) {
                for (int d : DIMENSIONS) {
                    Amplitude amp = (seed % 3 == 0) ? Amplitude.GAUSSIAN : Amplitude.UNIT;
                    EngineProblems.Problem p = EngineProblems.random(n, nData, m, d, amp, seed++);
                    NpEvaluation ref = EngineProblems.scalar(p);
                    double scale = EngineProblems.lossScale(p);
                    for (Precision precision : Precision.values()) {
                        int threads = (seed % 2 == 0) ? 1 : 3;
                        NpEvaluation got = EngineProblems.evaluate(engine, p,
                                new EngineSettings(precision, threads), GradientRequest.BOTH);
                        double tol = EngineProblems.tolerance(precision);
                        double eLoss = Math.abs(got.loss() - ref.loss()) / scale;
                        double eA = EngineProblems.relativeNormError(got.coefficientGradient(), ref.coefficientGradient());
                        double eMu = EngineProblems.relativeNormError(got.locationGradient(), ref.locationGradient());
                        if (!(eLoss <= tol && eA <= tol && eMu <= tol)) {
                            failures.add(p + " " + precision + " threads=" + threads + ": loss error " + eLoss
                                    + ", dL/da error " + eA + ", dL/dmu error " + eMu + " (tolerance " + tol + ")");
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), "at " + bits + " bits, relative tolerance DOUBLE 1e-12 / FLOAT 1e-5 exceeded:\n"
                + String.join("\n", failures));
        int expected = EVENTS.length * KERNELS.length * DIMENSIONS.length * Precision.values().length;
        assertTrue(checked == expected, "checked " + checked + " cases, expected " + expected);
        VectorWidthCoverageTest.mark(bits);
    }
}
