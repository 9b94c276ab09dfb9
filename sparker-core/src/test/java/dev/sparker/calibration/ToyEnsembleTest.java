package dev.sparker.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dToyTask;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyEnsembleTest {
    private static final int TOYS = 8;
    private static final long MASTER = 42;

    @TempDir
    Path dir;

    /** A tiny real EXPO-1D toy: N_R = 2000, M = 3, 3 epochs of 5 + 5 steps, scalar engine, one thread. */
    private static Expo1dToyTask task(double... sigmas) {
        Samples reference = Expo1d.reference(2000, 1);
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, 3).toBuilder()
                .epochs(3).coefficientSteps(5).locationSteps(5).learningRate(0.05)
                .seed(7).build();
        return new Expo1dToyTask(reference, Expo1dSignal.BULK, config, sigmas, new ScalarEngine(),
                EngineSettings.singleThreadDouble());
    }

    private ToyEnsemble.Builder ensemble(Path out, String hash) {
        return ToyEnsemble.builder().masterSeed(MASTER).toys(TOYS).configHash(hash).output(out).threads(2);
    }

    @Test
    void interruptedRunResumesWithEveryToyOnceAndTheSameNumbers() throws IOException {
        Expo1dToyTask task = task(2.3);
        String hash = ConfigHash.of(task.configs());
        List<ToyRow> reference = ensemble(dir.resolve("straight.jsonl"), hash).build().run(task);
        assertEquals(TOYS, reference.size());

        Path out = dir.resolve("resumed.jsonl");
        int[] heard = {0};
        ToyEnsembleException stop = assertThrows(ToyEnsembleException.class, () -> ensemble(out, hash)
                .listener((row, done, total) -> {
                    if (++heard[0] == 3) {
                        throw new IllegalStateException("killed after 3 toys");
                    }
                }).build().run(task));
        assertTrue(stop.getMessage().contains("killed after 3 toys"), stop.getMessage());
        TreeMap<Integer, ToyRow> partial = ToyEnsemble.readRows(out, hash);
        assertTrue(partial.size() >= 3 && partial.size() < TOYS, "rows after the kill: " + partial.size());
        // a kill in the middle of a write leaves half a line behind
        Files.writeString(out, "{\"index\":7,\"seed\":12", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        int[] started = {-1};
        List<ToyRow> resumed = ensemble(out, hash).listener(new EnsembleListener() {
            @Override
            public void toyDone(ToyRow row, int done, int total) {
            }

            @Override
            public void started(int alreadyDone, int total) {
                started[0] = alreadyDone;
            }
        }).build().run(task);
        assertEquals(partial.size(), started[0], "resumed run must skip the toys already written");
        List<String> lines = Files.readAllLines(out);
        assertEquals(TOYS, lines.size(), "final file holds each toy exactly once");
        for (int i = 0; i < TOYS; i++) {
            assertEquals(reference.get(i).withoutTime(), resumed.get(i).withoutTime(), "toy " + i);
            assertEquals(i, resumed.get(i).index());
        }
    }

    @Test
    void interruptingTheCallerStopsTheWorkersAndTheRerunResumes() throws Exception {
        Expo1dToyTask task = task(2.3);
        String hash = ConfigHash.of(task.configs());
        Path out = dir.resolve("interrupted.jsonl");
        java.util.concurrent.CountDownLatch firstRow = new java.util.concurrent.CountDownLatch(1);
        Throwable[] thrown = {null};
        Thread caller = new Thread(() -> {
            try {
                ensemble(out, hash).threads(1).listener((row, done, total) -> firstRow.countDown()).build().run(task);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        caller.start();
        firstRow.await();
        caller.interrupt();
        caller.join(60_000);
        assertTrue(thrown[0] instanceof java.util.concurrent.CancellationException, String.valueOf(thrown[0]));
        int partial = ToyEnsemble.readRows(out, hash).size();
        assertTrue(partial >= 1 && partial < TOYS, "rows after the interrupt: " + partial);
        List<ToyRow> resumed = ensemble(out, hash).build().run(task);
        List<ToyRow> straight = ensemble(dir.resolve("straight2.jsonl"), hash).build().run(task);
        for (int i = 0; i < TOYS; i++) {
            assertEquals(straight.get(i).withoutTime(), resumed.get(i).withoutTime(), "toy " + i);
        }
        assertEquals(TOYS, Files.readAllLines(out).size());
    }

    @Test
    void aToyRerunAloneReproducesItsRowBitForBit() {
        Expo1dToyTask task = task(2.3);
        String hash = ConfigHash.of(task.configs());
        List<ToyRow> rows = ensemble(dir.resolve("rows.jsonl"), hash).build().run(task);
        ToyEnsemble e = ensemble(dir.resolve("unused.jsonl"), hash).build();
        for (int i : new int[] {0, 5}) {
            ToyOutcome alone = task.run(i, e.seedOf(i));
            assertEquals(Double.doubleToRawLongBits(rows.get(i).t()), Double.doubleToRawLongBits(alone.t()));
            assertEquals(Double.doubleToRawLongBits(rows.get(i).lowestLoss()), Double.doubleToRawLongBits(alone.lowestLoss()));
        }
        assertNotEquals(rows.get(0).t(), rows.get(1).t(), "different toys must differ");
    }

    @Test
    void batchedToysAndSeveralWidthsGiveTheSameRowsAsSingleToys() {
        Expo1dToyTask task = task(1.0, 2.3);
        String hash = ConfigHash.of(task.configs());
        List<ToyRow> single = ensemble(dir.resolve("single.jsonl"), hash).build().run(task);
        List<ToyRow> batched = ensemble(dir.resolve("batched.jsonl"), hash).batchSize(3).build().run(task);
        for (int i = 0; i < TOYS; i++) {
            assertEquals(single.get(i).withoutTime(), batched.get(i).withoutTime(), "toy " + i);
            assertEquals(2, single.get(i).tByWidth().length);
            assertEquals(single.get(i).t(), single.get(i).tByWidth()[0]);
        }
    }

    @Test
    void anotherConfigurationsFileIsRefused() {
        Expo1dToyTask task = task(2.3);
        Path out = dir.resolve("a.jsonl");
        ToyEnsemble.builder().masterSeed(MASTER).toys(2).configHash(ConfigHash.of(task.configs())).output(out)
                .threads(1).build().run(task);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToyEnsemble.builder()
                .masterSeed(MASTER).toys(2).configHash("0123456789abcdef").output(out).build().run(task));
        assertTrue(e.getMessage().contains("0123456789abcdef"), e.getMessage());
    }

    @Test
    void configHashIgnoresPropertyOrderAndSeesEveryValue() {
        TrainingConfig a = TrainingConfig.preset(Preset.EXPO_1D, 10);
        assertEquals(ConfigHash.of(a), ConfigHash.of(a.toBuilder().build()));
        assertEquals(ConfigHash.of(java.util.Map.of("x", 1, "y", 2)), ConfigHash.of(new TreeMap<>(java.util.Map.of("y", 2, "x", 1))));
        assertNotEquals(ConfigHash.of(a), ConfigHash.of(a.toBuilder().epochs(499).build()));
        assertEquals(16, ConfigHash.of(a).length());
    }

    @Test
    void toySeedsAreDistinctAndStable() {
        assertEquals(ToySeeds.seed(1, 0), ToySeeds.seed(1, 0));
        assertNotEquals(ToySeeds.seed(1, 0), ToySeeds.seed(1, 1));
        assertNotEquals(ToySeeds.seed(1, 0), ToySeeds.seed(2, 0));
        assertThrows(IllegalArgumentException.class, () -> ToySeeds.seed(1, -1));
    }
}
