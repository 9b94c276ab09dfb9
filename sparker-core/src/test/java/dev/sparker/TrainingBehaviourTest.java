package dev.sparker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import dev.sparker.train.Phase;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TrainingBehaviourTest {
    private static final Samples REF = TestData.reference(11, 3000, 300);
    private static final Samples DATA = TestData.data(12, 300, 30, 1.6, 0.16);
    private static final TrainingConfig CONFIG = TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder()
            .epochs(3).coefficientSteps(20).locationSteps(20).learningRate(1e-2).seed(5).build();

    @Test
    void sameSeedSameInputsGiveIdenticalBits() {
        TestResult first = SparKer.test(REF, DATA, CONFIG);
        TestResult second = SparKer.test(REF, DATA, CONFIG);
        assertEquals(Double.doubleToRawLongBits(first.t()), Double.doubleToRawLongBits(second.t()), "t bit for bit");
        assertArrayEquals(first.model().coefficients(), second.model().coefficients(), "coefficients bit for bit");
        assertArrayEquals(first.model().locations(), second.model().locations(), "locations bit for bit");
        assertEquals(first.model(), second.model());
    }

    @Test
    void differentSeedsStartFromDifferentLocations() {
        TestResult a = SparKer.test(REF, DATA, CONFIG);
        TestResult b = SparKer.test(REF, DATA, CONFIG.toBuilder().seed(6).build());
        assertFalse(java.util.Arrays.equals(a.model().locations(), b.model().locations()));
    }

    @Test
    void safeToCallFromManyThreadsAtOnce() throws Exception {
        TestResult sequential = SparKer.test(REF, DATA, CONFIG);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TestResult>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> SparKer.test(REF, DATA, CONFIG)));
            }
            for (Future<TestResult> f : futures) {
                assertEquals(sequential.model(), f.get().model(), "concurrent runs give the sequential result");
                assertEquals(sequential.t(), f.get().t(), 0.0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultRecordsHistoryConfigurationAndEngine() {
        TestResult r = SparKer.test(REF, DATA, CONFIG);
        assertEquals(3, r.history().epochs());
        assertEquals(r.finalLoss(), r.history().npLoss()[2], 0.0, "final loss is the last epoch's L_NP");
        assertEquals(-2 * r.finalLoss(), r.t(), 0.0, "t = -2 L_NP");
        assertTrue(r.lowestLoss() <= r.finalLoss(), "lowest loss seen is at most the final one");
        assertEquals(dev.sparker.engine.Engines.select("auto").engine().name(), r.engine(), "the auto-selected engine is recorded");
        assertEquals(CONFIG, r.config());
        assertTrue(r.wallTimeSeconds() > 0);
        for (int e = 0; e < 3; e++) {
            assertTrue(r.history().coefficientPenalty()[e] >= 0);
            assertTrue(r.history().locationEntropy()[e] > 0);
        }
        // clipped coefficients never exceed the clip
        TestResult clipped = SparKer.test(REF, DATA, CONFIG.toBuilder().clip(1e-3).build());
        for (double a : clipped.model().coefficients()) {
            assertTrue(Math.abs(a) <= 1e-3, "coefficient " + a + " exceeds the clip 1e-3");
        }
    }

    @Test
    void resultSurvivesJsonRoundTrip() {
        TestResult r = SparKer.test(REF, DATA, CONFIG);
        String json = ResultJson.toJson(r);
        TestResult back = ResultJson.fromJson(json, TestResult.class);
        assertEquals(r.t(), back.t(), 0.0);
        assertEquals(r.model(), back.model());
        assertEquals(r.config(), back.config());
        assertArrayEquals(r.history().npLoss(), back.history().npLoss());
    }

    @Test
    void divergingTrainingNamesEpochAndPhase() {
        // an absurd learning rate throws the coefficients to +-1e6 at once; e^f overflows on the next step
        TrainingConfig absurd = TrainingConfig.builder().kernels(3).sigma(1.0).learningRate(1e6)
                .epochs(2).coefficientSteps(5).locationSteps(5).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> SparKer.test(REF, DATA, absurd));
        assertEquals(1, e.epoch());
        assertEquals(Phase.COEFFICIENTS, e.phase());
        assertTrue(e.getMessage().contains("epoch 1") && e.getMessage().contains("coefficients phase"), e.getMessage());
        assertTrue(e.getMessage().contains("L_NP = Infinity") || e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void listenerHearsEveryEpoch() {
        List<Integer> epochs = new ArrayList<>();
        SparKer.test(REF, DATA, CONFIG, new dev.sparker.engine.ScalarEngine(),
                dev.sparker.engine.EngineSettings.singleThreadDouble(), (epoch, total, loss) -> {
            assertEquals(3, total);
            assertTrue(Double.isFinite(loss));
            epochs.add(epoch);
        });
        assertEquals(List.of(1, 2, 3), epochs);
    }

    @Test
    void presetsAreExactlyAsDesigned() {
        for (int m : new int[] {10, 50, 1000}) {
            TrainingConfig c = TrainingConfig.preset(Preset.EXPO_1D, m);
            assertEquals(m <= 50 ? 1e-5 : 1e-6, c.lambdaA());
            assertEquals(m <= 50 ? 1e-3 : 1e-2, c.lambdaH());
            assertEquals(500, c.epochs());
            assertEquals(100, c.coefficientSteps());
            assertEquals(100, c.locationSteps());
            assertEquals(1e-3, c.learningRate());
            assertEquals(dev.sparker.model.Amplitude.GAUSSIAN, c.amplitude());
            assertEquals(0.9, c.width().quantile());
        }
        TrainingConfig gw = TrainingConfig.gw12d();
        assertEquals(20, gw.kernels());
        assertEquals(1e-2, gw.lambdaA());
        assertEquals(1e-1, gw.lambdaH());
        assertEquals(2000, gw.epochs());
        assertEquals(10, gw.coefficientSteps());
        assertEquals(10, gw.locationSteps());
        assertEquals(4e-2, gw.learningRate());
        assertEquals(dev.sparker.model.Amplitude.REFERENCE_CODE, gw.amplitude());
        assertEquals(dev.sparker.model.Amplitude.UNIT, TrainingConfig.builder().build().amplitude(),
                "custom configurations default to UNIT");
    }
}
