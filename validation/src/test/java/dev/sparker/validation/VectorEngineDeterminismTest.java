package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.vector.VectorEngine;
import dev.sparker.model.Amplitude;
import org.junit.jupiter.api.Test;

/**
 * At the machine's own vector width: identical bits for the same inputs and thread count, agreement with
 * the scalar engine for every thread count, gradient requests that fill what they promise, and selection.
 */
class VectorEngineDeterminismTest {
    private final VectorEngine engine = new VectorEngine();

    @Test
    void sameInputsAndThreadsGiveIdenticalBits() {
        assertTrue(engine.availability().available(), engine.availability().reason());
        EngineProblems.Problem p = EngineProblems.random(30001, 3001, 50, 3, Amplitude.UNIT, 42);
        for (Precision precision : Precision.values()) {
            for (int threads : new int[] {1, 2, 3}) {
                EngineSettings s = new EngineSettings(precision, threads);
                NpEvaluation first = EngineProblems.evaluate(engine, p, s, GradientRequest.BOTH);
                NpEvaluation again = new NpEvaluation(p.shape());
                try (BoundProblem b = engine.bind(p.reference(), p.data(), p.shape(), s)) {
                    for (int rep = 0; rep < 3; rep++) {
                        b.evaluate(p.a(), p.mu(), GradientRequest.BOTH, again);
                        String where = precision + " threads=" + threads + " repeat " + rep;
                        assertEquals(Double.doubleToRawLongBits(first.loss()), Double.doubleToRawLongBits(again.loss()),
                                "loss bits differ, " + where);
                        assertArrayEquals(first.coefficientGradient(), again.coefficientGradient(), 0.0, "dL/da, " + where);
                        assertArrayEquals(first.locationGradient(), again.locationGradient(), 0.0, "dL/dmu, " + where);
                    }
                }
            }
        }
    }

    @Test
    void everyThreadCountAgreesWithScalar() {
        EngineProblems.Problem p = EngineProblems.random(5003, 501, 16, 2, Amplitude.GAUSSIAN, 7);
        NpEvaluation ref = EngineProblems.scalar(p);
        double scale = EngineProblems.lossScale(p);
        for (Precision precision : Precision.values()) {
            double tol = EngineProblems.tolerance(precision);
            for (int threads = 1; threads <= 5; threads++) {
                NpEvaluation got = EngineProblems.evaluate(engine, p, new EngineSettings(precision, threads), GradientRequest.BOTH);
                String where = precision + " threads=" + threads + " (relative tolerance " + tol + ")";
                assertTrue(Math.abs(got.loss() - ref.loss()) / scale <= tol, "loss " + got.loss() + " vs " + ref.loss() + ", " + where);
                assertTrue(EngineProblems.relativeNormError(got.coefficientGradient(), ref.coefficientGradient()) <= tol, "dL/da, " + where);
                assertTrue(EngineProblems.relativeNormError(got.locationGradient(), ref.locationGradient()) <= tol, "dL/dmu, " + where);
            }
        }
    }

    @Test
    void partialRequestsFillTheRequestedGradients() {
        EngineProblems.Problem p = EngineProblems.random(1000, 100, 7, 3, Amplitude.UNIT, 9);
        NpEvaluation ref = EngineProblems.scalar(p);
        EngineSettings s = new EngineSettings(Precision.DOUBLE, 2);
        NpEvaluation loss = EngineProblems.evaluate(engine, p, s, GradientRequest.LOSS_ONLY);
        NpEvaluation coeff = EngineProblems.evaluate(engine, p, s, GradientRequest.COEFFICIENTS);
        NpEvaluation loc = EngineProblems.evaluate(engine, p, s, GradientRequest.LOCATIONS);
        double tol = 1e-12;
        double scale = EngineProblems.lossScale(p);
        for (NpEvaluation e : new NpEvaluation[] {loss, coeff, loc}) {
            assertTrue(Math.abs(e.loss() - ref.loss()) / scale <= tol, "loss within 1e-12 relative");
        }
        assertTrue(EngineProblems.relativeNormError(coeff.coefficientGradient(), ref.coefficientGradient()) <= tol, "dL/da within 1e-12");
        assertTrue(EngineProblems.relativeNormError(loc.locationGradient(), ref.locationGradient()) <= tol, "dL/dmu within 1e-12");
    }

    @Test
    void badParametersAndClosedProblemsAreRejected() {
        EngineProblems.Problem p = EngineProblems.random(100, 10, 4, 2, Amplitude.UNIT, 3);
        BoundProblem b = engine.bind(p.reference(), p.data(), p.shape(), new EngineSettings(Precision.FLOAT, 2));
        var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> b.evaluate(new double[3], p.mu(), GradientRequest.BOTH, new NpEvaluation(p.shape())));
        assertTrue(ex.getMessage().contains("M = 3"), ex.getMessage());
        b.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> b.evaluate(p.a(), p.mu(), GradientRequest.BOTH, new NpEvaluation(p.shape())));
    }

    @Test
    void automaticSelectionPicksTheVectorEngineAndNamesForceIt() {
        assertEquals(VectorEngine.NAME, Engines.select(Engines.AUTO).engine().name(),
                "with the Vector API module present the vector engine outranks the scalar engine");
        assertEquals("scalar", Engines.select("scalar").engine().name());
        String old = System.getProperty(Engines.ENGINE_PROPERTY);
        try {
            System.setProperty(Engines.ENGINE_PROPERTY, "scalar");
            assertEquals("scalar", Engines.select(Engines.AUTO).engine().name(), "the system property forces the engine");
        } finally {
            if (old == null) {
                System.clearProperty(Engines.ENGINE_PROPERTY);
            } else {
                System.setProperty(Engines.ENGINE_PROPERTY, old);
            }
        }
    }
}
