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
import org.junit.jupiter.api.Test;

/**
 * At the machine's own vector width: identical bits for the same inputs whatever the thread count (the
 * determinism rule: parts fixed by the event counts), bad parameters and closed problems, and selection.
 * Agreement with the reference, every gradient request and rebinding are in {@link EngineContractTest}.
 */
class VectorEngineDeterminismTest {
    private final VectorEngine engine = new VectorEngine();

    /**
     * The determinism rule: the same inputs give the same bits for every thread count, from a problem too
     * small to split (one part) to one cut into the most parts, in both precisions, for the evaluation and
     * for a whole training.
     */
    @Test
    void everyThreadCountGivesTheSameBits() {
        int[][] sizes = {{40, 7, 3, 1}, {3001, 301, 10, 1}, {30001, 3001, 5, 2}, {200_003, 2001, 4, 1}};
        for (int[] size : sizes) {
            EngineContract.Problem p = EngineContract.problem(size[0], size[1], size[2], size[3], 17);
            for (Precision precision : Precision.values()) {
                NpEvaluation one = EngineContract.evaluate(engine, p, new EngineSettings(precision, 1), GradientRequest.BOTH);
                for (int threads : new int[] {2, 3, 5, 8, 40}) {
                    NpEvaluation many = EngineContract.evaluate(engine, p, new EngineSettings(precision, threads),
                            GradientRequest.BOTH);
                    String where = precision + " N_R = " + size[0] + ", N_D = " + size[1] + ", threads = " + threads;
                    assertEquals(Double.doubleToRawLongBits(one.loss()), Double.doubleToRawLongBits(many.loss()),
                            "loss bits differ from one thread's, " + where);
                    assertArrayEquals(one.coefficientGradient(), many.coefficientGradient(), 0.0, "dL/da, " + where);
                    assertArrayEquals(one.locationGradient(), many.locationGradient(), 0.0, "dL/dmu, " + where);
                }
            }
        }
        dev.sparker.model.Samples reference = dev.sparker.expo.Expo1d.reference(10_000, 1);
        dev.sparker.model.Samples data = dev.sparker.expo.Expo1d.dataToy(dev.sparker.expo.Expo1dSignal.BULK, 77);
        dev.sparker.train.TrainingConfig config = dev.sparker.train.TrainingConfig
                .preset(dev.sparker.train.Preset.EXPO_1D, 10).toBuilder()
                .epochs(3).coefficientSteps(20).locationSteps(20).learningRate(0.05).seed(1).build();
        for (Precision precision : Precision.values()) {
            double t1 = dev.sparker.SparKer.test(reference, data, config, engine, new EngineSettings(precision, 1)).t();
            double t3 = dev.sparker.SparKer.test(reference, data, config, engine, new EngineSettings(precision, 3)).t();
            assertEquals(Double.doubleToRawLongBits(t1), Double.doubleToRawLongBits(t3),
                    precision + ": t = " + t1 + " on one thread but " + t3 + " on three");
        }
    }

    @Test
    void badParametersAndClosedProblemsAreRejected() {
        EngineContract.Problem p = EngineContract.problem(100, 10, 4, 2, 3);
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
