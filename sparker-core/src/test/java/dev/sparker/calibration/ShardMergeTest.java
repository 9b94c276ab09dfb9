package dev.sparker.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMergeTest {
    private static final int TOYS = 7;
    private static final long MASTER = 99;

    @TempDir
    Path dir;

    /** A tiny real EXPO-1D toy: N_R = 2000, M = 3, 3 epochs of 5 + 5 steps, scalar engine, one thread. */
    private static Expo1dToyTask task() {
        Samples reference = Expo1d.reference(2000, 1);
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, 3).toBuilder()
                .epochs(3).coefficientSteps(5).locationSteps(5).learningRate(0.05)
                .seed(7).build();
        return new Expo1dToyTask(reference, Expo1dSignal.TAIL, config, new double[] {2.3}, new ScalarEngine(),
                EngineSettings.singleThreadDouble());
    }

    private static String hash(Expo1dToyTask task) {
        return ConfigHash.of(task.configs());
    }

    private ToyEnsemble ensemble(Path out, String hash, Shard shard) {
        return ToyEnsemble.builder().masterSeed(MASTER).toys(TOYS).configHash(hash).output(out).threads(1).shard(shard).build();
    }

    /** Runs shards {@code numbers} of {@code count} into folders shard-K, with their manifests. */
    private List<Path> runShards(Expo1dToyTask task, String hash, int count, int... numbers) throws IOException {
        List<Path> folders = new ArrayList<>();
        for (int k : numbers) {
            Path folder = dir.resolve("shard-" + k);
            Shard shard = new Shard(k, count);
            ToyEnsemble e = ensemble(folder.resolve("null-M3.jsonl"), hash, shard);
            List<ToyRow> rows = e.run(task);
            assertEquals(shard.size(TOYS), rows.size(), "shard " + shard + " runs only its own toys");
            rows.forEach(r -> assertTrue(shard.holds(r.index()), "toy " + r.index() + " in shard " + shard));
            new ShardManifest("test", List.of("--toys", "7"), shard,
                    List.of(ShardManifest.Ensemble.of(e, folder.resolve("null-M3.jsonl")))).write(folder);
            folders.add(folder);
        }
        return folders;
    }

    @Test
    void shardsPartitionTheToysRoundRobin() {
        int toys = 23;
        boolean[] seen = new boolean[toys];
        int total = 0;
        for (int k = 1; k <= 5; k++) {
            Shard s = new Shard(k, 5);
            int[] idx = s.indices(toys);
            assertEquals(s.size(toys), idx.length);
            assertTrue(idx.length == 4 || idx.length == 5, "sizes differ by at most one: " + idx.length);
            for (int i : idx) {
                assertFalse(seen[i], "toy " + i + " in two shards");
                seen[i] = true;
                assertTrue(s.holds(i));
                assertEquals(s, Shard.of(i, 5));
            }
            total += idx.length;
        }
        assertEquals(toys, total);
        assertEquals(0, new Shard(9, 9).size(5), "a shard past the last toy is empty");
        assertEquals(new Shard(3, 8), Shard.parse(" 3/8 "));
        for (String bad : new String[] {"3", "0/4", "5/4", "a/4", "3/", "/4", "1/2/3", "-1/4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().contains("shard"), e.getMessage());
        }
        assertEquals("null-M3.shard-2-of-4.jsonl", new Shard(2, 4).fileFor(Path.of("null-M3.jsonl")).getFileName().toString());
        assertEquals(Path.of("x.jsonl"), Shard.ALL.fileFor(Path.of("x.jsonl")));
    }

    @Test
    void mergedShardsAreBitForBitTheSingleProcessFile() throws IOException {
        Expo1dToyTask task = task();
        String hash = hash(task);
        Path single = dir.resolve("single/null-M3.jsonl");
        List<ToyRow> one = ensemble(single, hash, null).run(task);

        List<Path> folders = runShards(task, hash, 3, 1, 2, 3);
        Path merged = dir.resolve("merged");
        ShardMerge.Report report = ShardMerge.merge(folders, merged);
        assertTrue(report.complete(), "report: " + report);
        assertEquals(List.of(1, 2, 3), report.shardsFound());
        assertTrue(report.shardsMissing().isEmpty());
        ShardMerge.EnsembleReport e = report.ensembles().getFirst();
        assertEquals(TOYS, e.present());
        assertTrue(e.duplicated().isEmpty());
        assertEquals(3, e.sources().size());

        List<ToyRow> rows = new ArrayList<>(ToyEnsemble.readRows(merged.resolve("null-M3.jsonl"), hash).values());
        assertEquals(TOYS, rows.size());
        for (int i = 0; i < TOYS; i++) {
            assertEquals(i, rows.get(i).index(), "merged file sorted by index");
            // same seed and the same t, bit for bit (ToyRow compares doubles with Double.compare)
            assertEquals(one.get(i).withoutTime(), rows.get(i).withoutTime(), "toy " + i);
        }
        // the merged file, read back as an ensemble, is complete: a read-only run trains nothing and agrees
        List<ToyRow> again = ToyEnsemble.builder().masterSeed(MASTER).toys(TOYS).configHash(hash)
                .output(merged.resolve("null-M3.jsonl")).readOnly(true).build().run(task);
        assertArrayEquals(one.stream().mapToDouble(ToyRow::t).toArray(), again.stream().mapToDouble(ToyRow::t).toArray());

        // merging again (resumable) changes nothing
        String before = Files.readString(merged.resolve("null-M3.jsonl"));
        assertTrue(ShardMerge.merge(folders, merged).complete());
        assertEquals(before, Files.readString(merged.resolve("null-M3.jsonl")));
    }

    @Test
    void mergeReportsMissingToysAndShardsAndAResumedRunFillsThemIn() throws IOException {
        Expo1dToyTask task = task();
        String hash = hash(task);
        List<Path> folders = runShards(task, hash, 3, 1, 3);
        Path merged = dir.resolve("merged");
        ShardMerge.Report report = ShardMerge.merge(folders, merged);
        assertFalse(report.complete());
        assertEquals(List.of(2), report.shardsMissing());
        // shard 2 of 3 holds toys 1 and 4
        assertEquals(List.of(1, 4), report.ensembles().getFirst().missing());
        assertEquals(TOYS - 2, report.ensembles().getFirst().present());

        IllegalStateException readOnly = assertThrows(IllegalStateException.class, () -> ToyEnsemble.builder().masterSeed(MASTER)
                .toys(TOYS).configHash(hash).output(merged.resolve("null-M3.jsonl")).readOnly(true).build().run(task));
        assertTrue(readOnly.getMessage().contains("missing toy indices 1, 4"), readOnly.getMessage());

        // the late shard arrives: merging again adds it
        folders.addAll(runShards(task, hash, 3, 2));
        assertTrue(ShardMerge.merge(folders, merged).complete());
    }

    @Test
    void mergeRefusesAForeignFileAndReportsDuplicates() throws IOException {
        Expo1dToyTask task = task();
        String hash = hash(task);
        List<Path> folders = runShards(task, hash, 2, 1, 2);

        // the same shard run twice, in two folders: reported as duplicated, numbers equal, merge fine
        Path again = dir.resolve("again");
        Files.createDirectories(again);
        Files.copy(folders.get(0).resolve("null-M3.shard-1-of-2.jsonl"), again.resolve("null-M3.shard-1-of-2.jsonl"));
        Files.copy(folders.get(0).resolve("shard-1-of-2.json"), again.resolve("shard-1-of-2.json"));
        List<Path> withRepeat = new ArrayList<>(folders);
        withRepeat.add(again);
        ShardMerge.Report report = ShardMerge.merge(withRepeat, dir.resolve("merged"));
        assertTrue(report.complete());
        assertEquals(List.of(1), report.shardsTwice());
        assertEquals(List.of(0, 2, 4, 6), report.ensembles().getFirst().duplicated());

        // a shard of another configuration (another learning rate): its manifest is refused
        Expo1dToyTask other = new Expo1dToyTask(Expo1d.reference(2000, 1), Expo1dSignal.TAIL,
                task.configs().getFirst().toBuilder().learningRate(0.04).build(), new double[] {2.3}, new ScalarEngine(),
                EngineSettings.singleThreadDouble());
        Path foreign = dir.resolve("foreign");
        ToyEnsemble fe = ensemble(foreign.resolve("null-M3.jsonl"), hash(other), new Shard(2, 2));
        fe.run(other);
        new ShardManifest("test", List.of("--toys", "7"), new Shard(2, 2),
                List.of(ShardManifest.Ensemble.of(fe, foreign.resolve("null-M3.jsonl")))).write(foreign);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ShardMerge.merge(List.of(folders.get(0), foreign), dir.resolve("merged2")));
        assertTrue(refused.getMessage().contains("belongs to another run"), refused.getMessage());

        // the foreign rows slipped under the right manifest: refused by their configuration hash, naming the line
        Files.copy(foreign.resolve("null-M3.shard-2-of-2.jsonl"), folders.get(1).resolve("null-M3.shard-2-of-2.jsonl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException byHash = assertThrows(IllegalArgumentException.class,
                () -> ShardMerge.merge(folders, dir.resolve("merged3")));
        assertTrue(byHash.getMessage().contains("line 1") && byHash.getMessage().contains(hash(other)), byHash.getMessage());
    }

    @Test
    void aShardFileWithAnotherShardsToyIsRefused() throws IOException {
        Expo1dToyTask task = task();
        String hash = hash(task);
        List<Path> folders = runShards(task, hash, 2, 1);
        // shard 1's rows renamed as shard 2's file: toy 0 does not belong to shard 2
        Path f1 = folders.getFirst().resolve("null-M3.shard-1-of-2.jsonl");
        Path f2 = folders.getFirst().resolve("null-M3.shard-2-of-2.jsonl");
        Files.copy(f1, f2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ensemble(folders.getFirst()
                .resolve("null-M3.jsonl"), hash, new Shard(2, 2)).run(task));
        assertTrue(e.getMessage().contains("belongs to shard 1/2"), e.getMessage());
    }
}
