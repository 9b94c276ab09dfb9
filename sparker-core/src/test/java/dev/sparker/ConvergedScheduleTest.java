package dev.sparker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparker.calibration.ConfigHash;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.model.Samples;
import dev.sparker.train.Convergence;
import dev.sparker.train.ConvergedSettings;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.Schedule;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The converged schedule end to end on a small EXPO-1D-like problem (scalar engine, double precision). */
class ConvergedScheduleTest {
    private static final Samples REF = TestData.reference(21, 4000, 400);
    private static final Samples DATA = TestData.data(22, 400, 40, 1.6, 0.16);
    private static final TrainingConfig PAPER = TrainingConfig.preset(Preset.EXPO_1D, 5).toBuilder()
            .epochs(4).coefficientSteps(10).locationSteps(10).seed(3).build();
    private static final TrainingConfig CONVERGED = PAPER.toBuilder().schedule(Schedule.CONVERGED).epochs(60).build();

    private static TestResult train(TrainingConfig config) {
        return SparKer.test(REF, DATA, config, new ScalarEngine(), EngineSettings.singleThreadDouble());
    }

    private static double totalLoss(TestResult r, int epoch) {
        return r.history().npLoss()[epoch] + r.history().coefficientPenalty()[epoch]
                - r.config().lambdaH() * r.history().locationEntropy()[epoch];
    }

    @Test
    void convergedScheduleNeverRaisesTheTotalLossAndRecordsHowItStopped() {
        TestResult r = train(CONVERGED);
        Convergence c = r.convergence();
        assertEquals(Schedule.CONVERGED, c.schedule());
        assertEquals("NEWTON", c.coefficientSolver());
        assertEquals(r.history().epochs(), c.epochs(), "the history holds the epochs that ran");
        assertTrue(c.epochs() >= 2, "at least two epochs before the rule can fire");
        for (int e = 1; e < c.epochs(); e++) {
            double before = totalLoss(r, e - 1);
            double after = totalLoss(r, e);
            assertTrue(after <= before + 1e-12 * Math.max(1, Math.abs(before)), "J rose from " + before + " to "
                    + after + " in epoch " + (e + 1));
        }
        if (c.stoppedBy() == Convergence.StoppedBy.TOLERANCE || c.stoppedBy() == Convergence.StoppedBy.STALLED) {
            assertTrue(c.finalRelativeDecrease() < CONVERGED.converged().tolerance(), c.toString());
        } else {
            assertEquals(Convergence.StoppedBy.CAP, c.stoppedBy());
            assertEquals(CONVERGED.epochs(), c.epochs());
        }
        assertTrue(Double.isFinite(c.coefficientGradientNorm()) && Double.isFinite(c.locationGradientNorm()));
        // the converged schedule ends at a lower total loss than a short paper run from the same start
        TestResult paper = train(PAPER);
        assertTrue(totalLoss(r, c.epochs() - 1) < totalLoss(paper, paper.history().epochs() - 1));
        assertEquals(-2 * r.finalLoss(), r.t(), 0.0);
    }

    @Test
    void warmupEpochsArePaperEpochs() {
        // with a warm-up as long as the whole paper run, the first epochs are the paper schedule's, bit for bit
        TestResult paper = train(PAPER);
        TestResult warm = train(CONVERGED.toBuilder().epochs(6)
                .converged(new ConvergedSettings(1e-6, 3, 10, 200, 20, 4)).build());
        for (int e = 0; e < 4; e++) {
            assertEquals(paper.history().npLoss()[e], warm.history().npLoss()[e], 0.0, "warm-up epoch " + (e + 1));
        }
        assertTrue(totalLoss(warm, warm.convergence().epochs() - 1) <= totalLoss(warm, 3) + 1e-12);
    }

    @Test
    void epochCapStopsAMovingTraining() {
        // a tolerance no epoch can meet: the cap stops it
        TestResult r = train(CONVERGED.toBuilder().epochs(3)
                .converged(new ConvergedSettings(1e-300, 3, 2, 300, 20, 0)).build());
        assertEquals(Convergence.StoppedBy.CAP, r.convergence().stoppedBy());
        assertEquals(3, r.convergence().epochs());
    }

    @Test
    void aboveTheNewtonLimitTheCoefficientsTakeLbfgsSteps() {
        TestResult r = train(CONVERGED.toBuilder().epochs(5)
                .converged(new ConvergedSettings(1e-6, 3, 10, 4, 20, 0)).build());
        assertEquals("LBFGS", r.convergence().coefficientSolver());
        // L-BFGS on the coefficients also never raises J, and lowers it well below its first-epoch value
        for (int e = 1; e < r.convergence().epochs(); e++) {
            assertTrue(totalLoss(r, e) <= totalLoss(r, e - 1) + 1e-12 * Math.max(1, Math.abs(totalLoss(r, e - 1))));
        }
        assertTrue(totalLoss(r, r.convergence().epochs() - 1) < totalLoss(r, 0) - 0.1);
    }

    @Test
    void scheduleIsRecordedInResultJsonAndPaperConfigJsonIsUnchanged() throws Exception {
        TestResult paper = train(PAPER);
        TestResult converged = train(CONVERGED.toBuilder().epochs(5).build());
        JsonNode p = ResultJson.mapper().readTree(ResultJson.toJson(paper));
        JsonNode c = ResultJson.mapper().readTree(ResultJson.toJson(converged));
        assertEquals("PAPER", p.at("/convergence/schedule").asText());
        assertEquals("SCHEDULE", p.at("/convergence/stoppedBy").asText());
        assertEquals(4, p.at("/convergence/epochs").asInt());
        assertEquals("ADAM", p.at("/convergence/coefficientSolver").asText());
        assertEquals("CONVERGED", c.at("/convergence/schedule").asText());
        assertTrue(c.at("/config/converged/tolerance").isNumber(), "converged settings are in the config JSON");
        // a paper configuration writes no 'converged' property, so its hash (and resumable files) stay as before
        assertTrue(p.at("/config/converged").isMissingNode(), p.at("/config").toString());
        assertFalse(ConfigHash.of(PAPER).equals(ConfigHash.of(CONVERGED)), "the schedule is part of the hash");
        TrainingConfig back = ResultJson.fromJson(ResultJson.toJson(converged.config()), TrainingConfig.class);
        assertEquals(converged.config(), back, "a converged configuration reads back");
        assertEquals(Schedule.CONVERGED, back.schedule());
    }

    @Test
    void badConvergedSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ConvergedSettings(0, 3, 10, 300, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergedSettings(1e-6, 0, 10, 300, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergedSettings(1e-6, 3, 0, 300, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergedSettings(1e-6, 3, 10, -1, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergedSettings(1e-6, 3, 10, 300, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergedSettings(1e-6, 3, 10, 300, 20, -1));
        assertThrows(IllegalArgumentException.class, () -> PAPER.toBuilder().schedule(null));
    }
}
