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

    /** A stand-in toy whose t is a function of its seed alone (its row is then known whatever the order). */
    private static ToyOutcome fromSeed(long seed) {
        return new ToyOutcome(Math.floorMod(seed, 1000) / 100.0, -Math.floorMod(seed, 77), null);
    }

    @Test
    void ensemblesRunTogetherShareTheWorkersInsteadOfWaitingForTheLastToy() {
        // ensemble A's only toy waits until all three toys of ensemble B are written. Run one after the other (each
        // ensemble alone on its two workers), B could not start before A ends, and A's toy would give up after 60 s.
        java.util.concurrent.CountDownLatch bDone = new java.util.concurrent.CountDownLatch(3);
        boolean[] sawB = {false};
        ToyTask a = (index, seed) -> {
            try {
                sawB[0] = bDone.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fromSeed(seed);
        };
        ToyTask b = (index, seed) -> fromSeed(seed);
        ToyEnsemble ea = ToyEnsemble.builder().masterSeed(1).toys(1).configHash("aaaaaaaaaaaaaaaa")
                .output(dir.resolve("a.jsonl")).build();
        ToyEnsemble eb = ToyEnsemble.builder().masterSeed(2).toys(3).configHash("bbbbbbbbbbbbbbbb")
                .output(dir.resolve("b.jsonl")).listener((row, done, total) -> bDone.countDown()).build();
        List<ToyEnsemble.Outcome> out = ToyEnsemble.runTogether(List.of(ea, eb), List.of(a, b), 2);
        assertTrue(sawB[0], "ensemble B's toys must run while ensemble A's last toy is still training");
        assertEquals(1, out.get(0).rows().size());
        assertEquals(3, out.get(1).rows().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(fromSeed(eb.seedOf(i)).t(), out.get(1).rows().get(i).t(), "toy " + i + " of B");
        }
        assertTrue(out.get(0).wallSeconds() > 0 && out.get(1).wallSeconds() > 0);
    }

    @Test
    void ensemblesRunTogetherGiveTheRowsAndFilesOfSeparateRuns() throws IOException {
        Expo1dToyTask task = task(2.3);
        String hash = ConfigHash.of(task.configs());
        List<ToyRow> first = ensemble(dir.resolve("first.jsonl"), hash).build().run(task);
        List<ToyRow> second = ensemble(dir.resolve("second.jsonl"), hash).masterSeed(MASTER + 1).toys(5).build().run(task);
        int[] inListener = {0};
        boolean[] overlap = {false};
        EnsembleListener oneAtATime = (row, done, total) -> {
            synchronized (inListener) {
                if (++inListener[0] != 1) {
                    overlap[0] = true;
                }
            }
            Thread.onSpinWait();
            synchronized (inListener) {
                inListener[0]--;
            }
        };
        ToyEnsemble a = ensemble(dir.resolve("together-first.jsonl"), hash).listener(oneAtATime).build();
        ToyEnsemble b = ensemble(dir.resolve("together-second.jsonl"), hash).masterSeed(MASTER + 1).toys(5)
                .batchSize(2).listener(oneAtATime).build();
        List<ToyEnsemble.Outcome> together = ToyEnsemble.runTogether(List.of(a, b), List.of(task, task), 2);
        assertTrue(!overlap[0], "the listeners must be called one at a time");
        for (int i = 0; i < TOYS; i++) {
            assertEquals(first.get(i).withoutTime(), together.get(0).rows().get(i).withoutTime(), "first, toy " + i);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(second.get(i).withoutTime(), together.get(1).rows().get(i).withoutTime(), "second, toy " + i);
        }
        assertEquals(0, together.get(0).resumed());
        // the files are sorted by index with each toy once, as a single run leaves them
        List<String> lines = Files.readAllLines(dir.resolve("together-second.jsonl"));
        assertEquals(5, lines.size());
        for (int i = 0; i < 5; i++) {
            assertTrue(lines.get(i).startsWith("{\"index\":" + i + ","), lines.get(i));
        }
    }

    @Test
    void aFailingToyStopsEveryEnsembleNamesItsFileAndTheRerunResumes() throws IOException {
        ToyTask good = (index, seed) -> fromSeed(seed);
        ToyTask failsAtTwo = (index, seed) -> {
            if (index == 2) {
                throw new IllegalStateException("toy 2 diverged");
            }
            return fromSeed(seed);
        };
        Path fa = dir.resolve("good.jsonl");
        Path fb = dir.resolve("failing.jsonl");
        ToyEnsemble.Builder a = ToyEnsemble.builder().masterSeed(1).toys(4).configHash("aaaaaaaaaaaaaaaa").output(fa);
        ToyEnsemble.Builder b = ToyEnsemble.builder().masterSeed(2).toys(4).configHash("bbbbbbbbbbbbbbbb").output(fb);
        // one worker: A's four toys run first, then B's toys 0 and 1, then B's toy 2 fails (the worker may have
        // written toy 3 before the caller hears of it)
        ToyEnsembleException e = assertThrows(ToyEnsembleException.class,
                () -> ToyEnsemble.runTogether(List.of(a.build(), b.build()), List.of(good, failsAtTwo), 1));
        assertTrue(e.getMessage().contains("failing.jsonl") && e.getMessage().contains("toy 2 diverged")
                && e.getMessage().contains(" of 4 toys"), e.getMessage());
        TreeMap<Integer, ToyRow> left = ToyEnsemble.readRows(fb, "bbbbbbbbbbbbbbbb");
        assertTrue(left.containsKey(0) && left.containsKey(1) && !left.containsKey(2), "B's rows: " + left.keySet());
        assertEquals(4, ToyEnsemble.readRows(fa, "aaaaaaaaaaaaaaaa").size(), "A's rows stay");
        int[] resumed = new int[2];
        ToyEnsemble ra = a.listener(listenerStarted(resumed, 0)).build();
        ToyEnsemble rb = b.listener(listenerStarted(resumed, 1)).build();
        List<ToyEnsemble.Outcome> again = ToyEnsemble.runTogether(List.of(ra, rb), List.of(good, good), 2);
        assertEquals(4, resumed[0], "A was complete");
        assertEquals(left.size(), resumed[1], "B resumes from the toys it had");
        assertEquals(0.0, again.get(0).wallSeconds(), "nothing of A ran again");
        assertEquals(4, again.get(1).rows().size());
        assertEquals(left.size(), again.get(1).resumed());
    }

    private static EnsembleListener listenerStarted(int[] into, int slot) {
        return new EnsembleListener() {
            @Override
            public void toyDone(ToyRow row, int done, int total) {
            }

            @Override
            public void started(int alreadyDone, int total) {
                into[slot] = alreadyDone;
            }
        };
    }

    @Test
    void ensemblesRunTogetherRefuseMismatchedListsAndASharedFile() {
        ToyTask t = (index, seed) -> fromSeed(seed);
        ToyEnsemble a = ToyEnsemble.builder().masterSeed(1).toys(2).configHash("aaaaaaaaaaaaaaaa")
                .output(dir.resolve("same.jsonl")).build();
        ToyEnsemble b = ToyEnsemble.builder().masterSeed(2).toys(2).configHash("bbbbbbbbbbbbbbbb")
                .output(dir.resolve("same.jsonl")).build();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ToyEnsemble.runTogether(List.of(a, b), List.of(t, t), 1)).getMessage().contains("same.jsonl"));
        assertThrows(IllegalArgumentException.class, () -> ToyEnsemble.runTogether(List.of(a), List.of(t, t), 1));
        assertThrows(IllegalArgumentException.class, () -> ToyEnsemble.runTogether(List.of(), List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> ToyEnsemble.runTogether(List.of(a), List.of(t), 0));
        assertTrue(!Files.exists(dir.resolve("same.jsonl")), "a refused run writes nothing");
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
