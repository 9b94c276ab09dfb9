package dev.sparker.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dToyTask;
import dev.sparker.train.Convergence;
import dev.sparker.train.Preset;
import dev.sparker.train.Schedule;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ensemble rows carry the converged schedule's convergence record (epochs, why it stopped, final decrease,
 * gradient norms, solver), equal to the training's own, and it survives the JSON-lines round trip used for
 * resuming; paper-schedule rows carry none, so their files stay as they were.
 */
class ToyRowConvergenceTest {

    @TempDir
    Path dir;

    private static Expo1dToyTask task(Schedule schedule) {
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, 3).toBuilder()
                .epochs(6).coefficientSteps(5).locationSteps(5).learningRate(0.05).seed(7).schedule(schedule).build();
        return new Expo1dToyTask(Expo1d.reference(2000, 1), Expo1dSignal.TAIL, config, new double[] {2.3},
                new ScalarEngine(), EngineSettings.singleThreadDouble());
    }

    private List<ToyRow> run(Expo1dToyTask task, Path out) {
        return ToyEnsemble.builder().masterSeed(11).toys(3).configHash(ConfigHash.of(task.configs())).output(out)
                .threads(1).build().run(task);
    }

    @Test
    void convergedRowsCarryTheTrainingsRecordThroughTheFile() throws IOException {
        Expo1dToyTask task = task(Schedule.CONVERGED);
        Path out = dir.resolve("converged.jsonl");
        List<ToyRow> rows = run(task, out);
        for (ToyRow row : rows) {
            Convergence c = row.convergence();
            assertNotNull(c, "toy " + row.index());
            assertEquals(Schedule.CONVERGED, c.schedule());
            assertTrue(c.epochs() >= 1 && c.epochs() <= 6, "epochs within the cap: " + c.epochs());
            // the same record as the toy's training gives when rerun alone
            TestResult alone = task.train(row.seed(), 0);
            assertEquals(alone.convergence(), c);
            assertEquals(alone.t(), row.t());
        }
        TreeMap<Integer, ToyRow> back = ToyEnsemble.readRows(out, ConfigHash.of(task.configs()));
        assertEquals(3, back.size());
        for (ToyRow row : rows) {
            assertEquals(row.withoutTime(), back.get(row.index()).withoutTime(), "round trip of toy " + row.index());
        }
        assertTrue(Files.readString(out).contains("\"stoppedBy\""));
    }

    @Test
    void paperRowsCarryNone() throws IOException {
        Path out = dir.resolve("paper.jsonl");
        for (ToyRow row : run(task(Schedule.PAPER), out)) {
            assertNull(row.convergence());
        }
        assertFalse(Files.readString(out).contains("convergence"), "paper-schedule files are unchanged");
    }
}
