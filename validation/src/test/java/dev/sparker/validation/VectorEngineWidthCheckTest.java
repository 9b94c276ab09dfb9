package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.vector.VectorEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The engine contract's agreement check ({@link EngineContract}: its grid, reference, error measure and
 * tolerance table) for the vector engine at the vector width this JVM was started with. The validation build
 * runs this class once per width (128, 256, 512 bits: one surefire execution each, with
 * {@value VectorEngine#WIDTH_PROPERTY}); each passing run leaves a marker that {@link VectorWidthCoverageTest}
 * requires for every width the hardware has. {@link EngineContractTest} covers the machine's own width.
 */
class VectorEngineWidthCheckTest {

    @Test
    void matchesTheContractOnEveryTailAtThisWidth() throws java.io.IOException {
        String forced = System.getProperty(VectorEngine.WIDTH_PROPERTY);
        Assumptions.assumeTrue(forced != null, "runs only in the per-width surefire executions");
        VectorEngine engine = new VectorEngine();
        int bits = Integer.parseInt(forced);
        var av = engine.availability();
        if (!av.available()) {
            Assumptions.assumeTrue(false, "width " + bits + " not checkable here: " + av.reason());
        }
        assertEquals(bits, VectorEngine.vectorBits(), "the engine must run at the forced width");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (EngineContract.Problem p : EngineContract.grid()) {
            EngineContract.Reference ref = EngineContract.reference(p, false);
            for (Precision precision : Precision.values()) {
                // one and three threads alternate over the grid; the bits do not depend on it
                int threads = checked % 2 == 0 ? 1 : 3;
                double tol = EngineContract.tolerance(precision);
                try (BoundProblem bound = engine.bind(p.reference(), p.data(), p.shape(),
                        new EngineSettings(precision, threads))) {
                    for (GradientRequest request : List.of(GradientRequest.BOTH, GradientRequest.LOCATIONS)) {
                        NpEvaluation got = new NpEvaluation(p.shape());
                        bound.evaluate(p.a(), p.mu(), request, got);
                        double[] err = EngineContract.errors(got, ref, request);
                        if (!(err[0] <= tol && err[1] <= tol && err[2] <= tol)) {
                            failures.add(String.format(Locale.ROOT, "%s %s %s threads=%d: loss %.3g, dL/da %.3g,"
                                    + " dL/dmu %.3g (tolerance %.0e)", p, precision, request, threads, err[0], err[1],
                                    err[2], tol));
                        }
                    }
                }
                checked++;
            }
        }
        assertTrue(failures.isEmpty(), "at " + bits + " bits the vector engine is outside the contract:\n"
                + String.join("\n", failures));
        assertEquals(EngineContract.grid().size() * Precision.values().length, checked, "every cell in both precisions");
        VectorWidthCoverageTest.mark(bits);
    }
}
