package dev.sparker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each kind of bad input gets a specific exception whose message names the problem and the offending value. */
class BadInputTest {
    private static final Samples REF = Samples.of(new double[][] {{0.1}, {0.5}, {1.2}, {2.0}}, 0.5);
    private static final Samples DATA = Samples.of(new double[][] {{0.3}, {0.9}}, 1.0);
    private static final TrainingConfig SMALL = TrainingConfig.builder().kernels(2).epochs(1)
            .coefficientSteps(1).locationSteps(1).sigma(1.0).build();

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void emptySample() {
        assertMessage(() -> Samples.of(new double[0][], 1.0), "empty sample");
        assertMessage(() -> Samples.fromFlat(new double[0], 0, 1, 1.0), "empty sample", "n = 0");
    }

    @Test
    void nanCoordinateNamesEventAndColumn() {
        assertMessage(() -> Samples.of(new double[][] {{1, 2}, {3, Double.NaN}}, 1.0), "NaN", "event 1", "column 1");
    }

    @Test
    void infiniteCoordinateNamesEventAndColumn() {
        assertMessage(() -> Samples.of(new double[][] {{Double.NEGATIVE_INFINITY, 2}}, 1.0),
                "-Infinity", "event 0", "column 0");
    }

    @Test
    void raggedRows() {
        assertMessage(() -> Samples.of(new double[][] {{1, 2}, {3}}, 1.0), "event 1 has 1 coordinates", "event 0 has 2");
    }

    @Test
    void negativeWeight() {
        assertMessage(() -> Samples.of(new double[][] {{1}, {2}}, new double[] {1, -0.5}), "weight of event 1", "-0.5");
    }

    @Test
    void nonFiniteWeight() {
        assertMessage(() -> Samples.of(new double[][] {{1}, {2}}, new double[] {Double.NaN, 1}), "weight of event 0", "NaN");
    }

    @Test
    void referenceAndDataOfDifferentDimension() {
        Samples data2d = Samples.of(new double[][] {{0.3, 1}, {0.9, 1}}, 1.0);
        assertMessage(() -> SparKer.test(REF, data2d, SMALL), "reference has dimension 1", "data has dimension 2");
    }

    @Test
    void sigmaNotPositiveOrNotFinite() {
        assertMessage(() -> WidthSpec.fixed(0), "sigma = 0.0");
        assertMessage(() -> WidthSpec.fixed(-1), "sigma = -1.0");
        assertMessage(() -> WidthSpec.fixed(Double.NaN), "sigma = NaN");
        assertMessage(() -> WidthSpec.fixed(Double.POSITIVE_INFINITY), "sigma = Infinity");
        assertMessage(() -> new KernelShape(1, 1, -2, Amplitude.UNIT), "sigma = -2.0");
    }

    @Test
    void fewerThanOneKernel() {
        assertMessage(() -> TrainingConfig.builder().kernels(0).build(), "M = 0");
        assertMessage(() -> new KernelShape(0, 1, 1, Amplitude.UNIT), "M = 0");
    }

    @Test
    void learningRateNotPositive() {
        assertMessage(() -> TrainingConfig.builder().learningRate(0).build(), "learning rate = 0.0");
        assertMessage(() -> TrainingConfig.builder().learningRate(-1e-3).build(), "learning rate = -0.001");
        assertMessage(() -> TrainingConfig.builder().learningRate(Double.NaN).build(), "learning rate = NaN");
    }

    @Test
    void zeroEpochsOrSteps() {
        assertMessage(() -> TrainingConfig.builder().epochs(0).build(), "epochs = 0");
        assertMessage(() -> TrainingConfig.builder().coefficientSteps(0).build(), "coefficient steps per epoch = 0");
        assertMessage(() -> TrainingConfig.builder().locationSteps(0).build(), "location steps per epoch = 0");
    }

    @Test
    void moreKernelsThanEventsToPlaceThemOn() {
        TrainingConfig tooMany = SMALL.toBuilder().kernels(7).build();
        assertMessage(() -> SparKer.test(REF, DATA, tooMany), "M = 7", "only 6 events");
    }

    @Test
    void negativePenalties() {
        assertMessage(() -> TrainingConfig.builder().lambdaA(-1).build(), "lambda_a = -1.0");
        assertMessage(() -> TrainingConfig.builder().lambdaH(Double.NaN).build(), "lambda_H = NaN");
    }

    @Test
    void unknownEngineName() {
        assertMessage(() -> dev.sparker.engine.Engines.select("warp-drive"), "no engine named 'warp-drive'");
    }

    @Test
    void scalarEngineRefusesFloat() {
        assertMessage(() -> new ScalarEngine().bind(REF, DATA, new KernelShape(1, 1, 1, Amplitude.UNIT),
                new EngineSettings(dev.sparker.engine.Precision.FLOAT, 1)), "DOUBLE only", "FLOAT");
    }

    @Test
    void missingEngineOrSettings() {
        assertMessage(() -> SparKer.test(REF, DATA, SMALL, null, EngineSettings.singleThreadDouble()),
                "an engine and its settings are needed");
        assertMessage(() -> SparKer.test(REF, DATA, SMALL, new ScalarEngine(), null),
                "an engine and its settings are needed");
        assertMessage(() -> SparKer.test(REF, DATA, SMALL, new ScalarEngine(),
                new EngineSettings(dev.sparker.engine.Precision.FLOAT, 1)), "engine 'scalar' does not support precision FLOAT");
    }

    @Test
    void nullConfiguration() {
        assertMessage(() -> SparKer.test(REF, DATA, null), "configuration");
    }
}
