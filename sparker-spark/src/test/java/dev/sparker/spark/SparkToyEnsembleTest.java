package dev.sparker.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.calibration.ConfigHash;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyEnsembleException;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.calibration.ToyTask;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.model.Samples;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Toy ensembles and window tests on a local[2] Spark give the single-process numbers, bit for bit. */
class SparkToyEnsembleTest {
    private static final int TOYS = 9;
    private static final long MASTER = 2024;
    private static JavaSparkContext spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** A small real EXPO-1D toy: N_R = 3000, M = 4, 4 epochs of 8 + 8 steps, the engine picked on an executor. */
    private static Expo1dToys factory(String engine) {
        TrainingConfig config = SparkJob.expo1dConfig(4, 4, 8, 0.05, 3);
        return new Expo1dToys(3000, 1, Expo1dSignal.TAIL, config, new double[] {2.3}, new EngineChoice(engine, Precision.DOUBLE, 1));
    }

    private static String hash(Expo1dToys f) {
        return ConfigHash.of(f.trainingKey());
    }

    private List<ToyRow> singleProcess(Expo1dToys f, Path out) {
        return ToyEnsemble.builder().masterSeed(MASTER).toys(TOYS).configHash(hash(f)).output(out).threads(2).build()
                .run(f.create());
    }

    @Test
    void localSparkGivesTheSingleProcessTPerToy() throws IOException {
        Engines.Selection onExecutor = SparkEngines.resolveOnExecutor(spark, "auto");
        assertEquals(Engines.select("auto").engine().name(), onExecutor.engine().name(), "local executors are this JVM");
        Expo1dToys f = factory(onExecutor.engine().name());
        List<ToyRow> one = singleProcess(f, dir.resolve("single.jsonl"));

        Path out = dir.resolve("spark/null.jsonl");
        List<ToyRow> viaSpark = SparkToyEnsemble.builder().masterSeed(MASTER).toys(TOYS).configHash(hash(f)).output(out)
                .tasks(4).taskFactory(f).build().run(spark);
        assertEquals(TOYS, viaSpark.size());
        for (int i = 0; i < TOYS; i++) {
            // same index, seed, hash, and t and lowest loss compared with Double.compare: the same bits
            assertEquals(one.get(i).withoutTime(), viaSpark.get(i).withoutTime(), "toy " + i);
        }
        List<ToyRow> inFile = new ArrayList<>(ToyEnsemble.readRows(out, hash(f)).values());
        assertEquals(viaSpark, inFile, "the file holds the rows returned, sorted, each once");
        assertEquals(TOYS, Files.readAllLines(out).size());
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count(), "the per-task shard files are merged and removed");
        }
    }

    @Test
    void aResumedRunInWavesRunsOnlyTheMissingToys() throws IOException {
        Expo1dToys f = factory("scalar");
        List<ToyRow> one = singleProcess(f, dir.resolve("single.jsonl"));
        Path out = dir.resolve("resumed.jsonl");
        // four toys done before (say by an earlier, killed job), with wall times no rerun would give
        List<ToyRow> before = new ArrayList<>();
        for (int i : new int[] {0, 2, 5, 8}) {
            ToyRow r = one.get(i);
            before.add(new ToyRow(r.index(), r.seed(), r.t(), r.lowestLoss(), 1234.5, r.configHash(), r.tByWidth()));
        }
        ToyEnsemble.writeSorted(out, before);
        List<ToyRow> rows = SparkToyEnsemble.builder().masterSeed(MASTER).toys(TOYS).configHash(hash(f)).output(out)
                .tasks(3).toysPerJob(2).taskFactory(f).build().run(spark);
        for (int i = 0; i < TOYS; i++) {
            assertEquals(one.get(i).withoutTime(), rows.get(i).withoutTime(), "toy " + i);
            boolean kept = i == 0 || i == 2 || i == 5 || i == 8;
            assertEquals(kept, rows.get(i).wallSeconds() == 1234.5, "toy " + i + (kept ? " kept" : " run"));
        }
    }

    @Test
    void aFailingToyIsNamedAndTheFileKeepsWhatWasMerged() throws IOException {
        Expo1dToys good = factory("scalar");
        String hash = hash(good);
        ToyTaskFactory failsAtFour = () -> {
            ToyTask t = good.create();
            return (index, seed) -> {
                if (index == 4) {
                    throw new IllegalStateException("diverged on purpose");
                }
                return t.run(index, seed);
            };
        };
        Path out = dir.resolve("failing.jsonl");
        ToyEnsembleException e = assertThrows(ToyEnsembleException.class, () -> SparkToyEnsemble.builder().masterSeed(MASTER)
                .toys(TOYS).configHash(hash).output(out).tasks(2).toysPerJob(4).taskFactory(failsAtFour).build().run(spark));
        assertTrue(e.getMessage().contains("toy 4") && e.getMessage().contains("diverged on purpose"), e.getMessage());
        // the first wave (toys 0..3) was merged before the second failed
        assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(ToyEnsemble.readRows(out, hash).keySet()));
    }

    @Test
    void windowTestsGiveTheSingleProcessTPerWindow() {
        Samples reference = Expo1d.reference(3000, 1);
        TrainingConfig config = SparkJob.expo1dConfig(4, 4, 8, 0.05, 11).toBuilder().sigma(2.3).build();
        EngineChoice scalar = new EngineChoice("scalar", Precision.DOUBLE, 1);
        int windows = 6;
        List<SparkWindowTests.Window> stream = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            Samples data = Expo1d.dataToy(i % 2 == 0 ? Expo1dSignal.NONE : Expo1dSignal.BULK, 500 + i);
            stream.add(new SparkWindowTests.Window(i, data.flatCoordinates(), 1));
        }
        String hash = ConfigHash.of(ConfigHash.trainingKey(config, scalar.name(), scalar.settings()));
        Path out = dir.resolve("windows.jsonl");
        List<ToyRow> rows = SparkWindowTests.run(spark, spark.parallelize(stream, 3), windows, reference, config, scalar, hash, out);
        assertEquals(windows, rows.size());
        for (int i = 0; i < windows; i++) {
            long seed = ToySeeds.seed(config.seed(), i);
            double t = Trainer.train(reference, stream.get(i).samples(), config.toBuilder().seed(seed).build(),
                    new ScalarEngine(), EngineSettings.singleThreadDouble(), TrainingListener.NONE).t();
            assertEquals(i, rows.get(i).index());
            assertEquals(seed, rows.get(i).seed());
            assertEquals(Double.doubleToLongBits(t), Double.doubleToLongBits(rows.get(i).t()), "window " + i);
        }
        // a stream that lacks window 6 of 7 is reported
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> SparkWindowTests.run(spark,
                spark.parallelize(stream, 2), windows + 1, reference, config, scalar, hash, out));
        assertTrue(missing.getMessage().contains("windows 6 of 0..6"), missing.getMessage());
    }
}
