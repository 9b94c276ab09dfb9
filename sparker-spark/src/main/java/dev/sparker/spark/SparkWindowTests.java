package dev.sparker.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.calibration.ShardMerge;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyEnsembleException;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.model.Samples;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingListener;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One SparKer test per window of a stream (the paper's gravitational-wave application tests many short
 * windows of detector data against one reference), as Spark tasks: the windows are an RDD, the reference is
 * broadcast once to every executor, each window trains with the engine of an {@link EngineChoice}, looked up
 * on the executor. Window {@code i} trains with seed {@code ToySeeds.seed(config.seed(), i)}, so its row is a
 * toy row of an ensemble with master seed {@code config.seed()}: the same JSON lines, the same merge, the same
 * resuming (windows already in the output file are skipped) as toy ensembles.
 */
public final class SparkWindowTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One window of data events, weight 1 each.
     *
     * @param index       window number, 0-based, unique in the stream
     * @param coordinates its events, row-major, {@code n x dimension}
     * @param dimension   features per event
     */
    public record Window(int index, double[] coordinates, int dimension) implements Serializable {
        /**
         * Checks the window.
         *
         * @throws IllegalArgumentException a negative index, or coordinates that are not whole events
         */
        public Window {
            if (index < 0) {
                throw new IllegalArgumentException("window index = " + index + "; it must be >= 0");
            }
            if (dimension < 1 || coordinates == null || coordinates.length == 0 || coordinates.length % dimension != 0) {
                throw new IllegalArgumentException("window " + index + ": " + (coordinates == null ? 0 : coordinates.length)
                        + " coordinates do not make whole events of dimension " + dimension);
            }
        }

        /** {@return the window's events as samples, weight 1 each} */
        public Samples samples() {
            return Samples.fromFlat(coordinates, coordinates.length / dimension, dimension, 1.0);
        }
    }

    private SparkWindowTests() {
    }

    /**
     * Tests windows {@code 0 .. windowCount-1} of {@code windows} against {@code reference}; their rows are
     * written (and merged with earlier rows) to {@code output} on the driver.
     *
     * @param spark       the Spark context (the driver's)
     * @param windows     the stream's windows, each index once
     * @param windowCount how many windows the stream has
     * @param reference   the reference sample with its weights (N0 / N_R for the usual normalisation)
     * @param config      the training configuration; a fixed width keeps every window on one sigma
     * @param engine      the engine to look up on the executors, with its settings
     * @param configHash  the hash every row carries ({@code ConfigHash.of} of what defines the windows)
     * @param output      the windows' JSON-lines file, on the driver
     * @return the rows of every window, sorted by index
     * @throws ToyEnsembleException a window's training failed (the window is named)
     * @throws IllegalStateException a window index at or above {@code windowCount}, or missing windows at the end
     */
    public static List<ToyRow> run(JavaSparkContext spark, JavaRDD<Window> windows, int windowCount, Samples reference,
                                   TrainingConfig config, EngineChoice engine, String configHash, Path output) {
        if (windowCount < 1) {
            throw new IllegalArgumentException("windowCount = " + windowCount + "; at least 1");
        }
        try {
            TreeMap<Integer, ToyRow> done = ToyEnsemble.readRows(output, configHash);
            Set<Integer> skip = new HashSet<>(done.keySet());
            Broadcast<double[]> refCoordinates = spark.broadcast(reference.flatCoordinates());
            Broadcast<double[]> refWeights = spark.broadcast(reference.weights());
            int d = reference.dimension();
            String configJson = JSON.writeValueAsString(config);
            long master = config.seed();
            List<String> lines;
            try {
                lines = windows.filter(w -> !skip.contains(w.index()))
                        .mapPartitions((Iterator<Window> it) -> testPartition(it, refCoordinates.value(), refWeights.value(), d,
                                configJson, engine, master, configHash))
                        .collect();
            } catch (Exception e) { // SparkException is checked in Java's eyes, though collect() does not declare it
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                throw new ToyEnsembleException("Spark window tests failed; a rerun resumes from " + output + ": "
                        + m.lines().findFirst().orElse(m), e);
            }
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path part = output.resolveSibling(output.getFileName() + ".new");
            Files.write(part, lines, StandardCharsets.UTF_8);
            ShardMerge.EnsembleReport report = ShardMerge.mergeFiles(List.of(part), configHash, master, windowCount, output);
            Files.deleteIfExists(part);
            if (!report.complete()) {
                throw new IllegalStateException("windows " + ShardMerge.describe(report.missing(), 12) + " of 0.."
                        + (windowCount - 1) + " are not in the stream; " + report.present() + " were tested into " + output);
            }
            return new ArrayList<>(ToyEnsemble.readRows(output, configHash).values());
        } catch (IOException e) {
            throw new UncheckedIOException("window tests output " + output + ": " + e.getMessage(), e);
        } 
    }

    /** Runs on an executor: the reference is rebuilt once per partition, then each window is trained. */
    static Iterator<String> testPartition(Iterator<Window> windows, double[] refCoordinates, double[] refWeights, int d,
                                          String configJson, EngineChoice engine, long masterSeed, String configHash)
            throws JsonProcessingException {
        TrainingConfig config = JSON.readValue(configJson, TrainingConfig.class);
        dev.sparker.engine.Engine trainer = engine.engine();
        Samples reference = Samples.fromFlat(refCoordinates, refCoordinates.length / d, d, Arrays.copyOf(refWeights, refWeights.length));
        List<String> out = new ArrayList<>();
        while (windows.hasNext()) {
            Window w = windows.next();
            if (w.dimension() != d) {
                throw new IllegalArgumentException("window " + w.index() + " has dimension " + w.dimension()
                        + " but the reference has " + d);
            }
            long seed = ToySeeds.seed(masterSeed, w.index());
            long t0 = System.nanoTime();
            TestResult r;
            try {
                r = Trainer.train(reference, w.samples(), config.toBuilder().seed(seed).build(), trainer, engine.settings(),
                        TrainingListener.NONE);
            } catch (RuntimeException e) {
                throw new IllegalStateException("window " + w.index() + " failed: " + e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            out.add(ToyEnsemble.toLine(new ToyRow(w.index(), seed, r.t(), r.lowestLoss(), seconds, configHash, null)));
        }
        return out.iterator();
    }
}
