package dev.sparker.spark;

import dev.sparker.calibration.Shard;
import dev.sparker.calibration.ShardMerge;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyEnsembleException;
import dev.sparker.calibration.ToyOutcome;
import dev.sparker.calibration.ToyRow;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.calibration.ToyTask;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A toy ensemble run as Spark tasks: the toys still to run are dealt into shards by index
 * ({@link Shard}: toy i to shard i mod N + 1), each shard is one Spark task that builds its {@link ToyTask} on the executor
 * ({@link ToyTaskFactory}) and trains its toys one after the other, each seeded from (master seed, toy index)
 * as in {@link ToyEnsemble}; the rows come back to the driver as the JSON lines an ensemble file holds, go
 * into one shard file each, and {@link ShardMerge} merges them into the ensemble's file. So a toy gives the
 * same bits here as in a single process, and the file is the one {@code ./sparker} writes and reads.
 *
 * <p>Resuming: the ensemble file is read first and only missing toys run. The toys run in waves of
 * {@link Builder#toysPerJob(int)} (default: all in one Spark job); each finished wave is merged into the
 * file before the next starts, so a killed driver loses at most one wave.
 *
 * <p>The driver writes the files (with java.nio, on its own file system); executors write nothing.
 */
public final class SparkToyEnsemble {
    private final long masterSeed;
    private final int toys;
    private final String configHash;
    private final Path output;
    private final int tasks;
    private final int toysPerJob;
    private final ToyTaskFactory factory;

    private SparkToyEnsemble(Builder b) {
        if (b.toys < 1) {
            throw new IllegalArgumentException("toys = " + b.toys + "; at least one toy is needed");
        }
        if (b.configHash == null || b.configHash.isBlank()) {
            throw new IllegalArgumentException("a configuration hash is needed (ConfigHash.of(config))");
        }
        if (b.output == null) {
            throw new IllegalArgumentException("an output file is needed (the ensemble's JSON-lines file, on the driver)");
        }
        if (b.factory == null) {
            throw new IllegalArgumentException("a toy task factory is needed");
        }
        if (b.tasks < 0) {
            throw new IllegalArgumentException("Spark tasks = " + b.tasks + "; at least 1 (or 0 for the default)");
        }
        if (b.toysPerJob < 0) {
            throw new IllegalArgumentException("toys per job = " + b.toysPerJob + "; at least 1 (or 0 for all at once)");
        }
        this.masterSeed = b.masterSeed;
        this.toys = b.toys;
        this.configHash = b.configHash;
        this.output = b.output;
        this.tasks = b.tasks;
        this.toysPerJob = b.toysPerJob;
        this.factory = b.factory;
    }

    /** {@return a builder with defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the ensemble's JSON-lines file, on the driver} */
    public Path output() {
        return output;
    }

    /**
     * The work of one Spark task: shard {@code number} of {@code count} of the pending toys.
     *
     * @param number  shard number, from 1
     * @param count   number of shards
     * @param indices the toys to run
     */
    record ShardWork(int number, int count, int[] indices) implements Serializable {
    }

    /**
     * What one Spark task sends back: its shard and one JSON line per toy.
     *
     * @param number shard number, from 1
     * @param count  number of shards
     * @param lines  one JSON line per toy
     */
    record ShardLines(int number, int count, List<String> lines) implements Serializable {
    }

    /**
     * Runs (or finishes) the ensemble on {@code spark}.
     *
     * @param spark the Spark context (the driver's)
     * @return the ensemble's rows, sorted by index
     * @throws ToyEnsembleException  a toy failed on an executor (Spark's error, naming the toy, attached)
     * @throws UncheckedIOException  the ensemble file could not be read or written
     */
    public List<ToyRow> run(JavaSparkContext spark) {
        Objects.requireNonNull(spark, "spark");
        try {
            TreeMap<Integer, ToyRow> done = ToyEnsemble.readRows(output, configHash);
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < toys; i++) {
                if (!done.containsKey(i)) {
                    pending.add(i);
                }
            }
            int perJob = toysPerJob == 0 ? Math.max(1, pending.size()) : toysPerJob;
            for (int from = 0; from < pending.size(); from += perJob) {
                runWave(spark, pending.subList(from, Math.min(pending.size(), from + perJob)));
            }
            TreeMap<Integer, ToyRow> all = ToyEnsemble.readRows(output, configHash);
            List<ToyRow> rows = new ArrayList<>(all.headMap(toys).values());
            if (rows.size() != toys) {
                throw new IllegalStateException("Spark ensemble finished with " + rows.size() + " of " + toys + " toys in " + output);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("Spark toy ensemble output " + output + ": " + e.getMessage(), e);
        }
    }

    private void runWave(JavaSparkContext spark, List<Integer> wave) throws IOException {
        int count = tasks > 0 ? tasks : 4 * spark.defaultParallelism();
        count = Math.max(1, Math.min(count, wave.size()));
        // shard k of count takes the pending toys i with i mod count = k - 1 (Shard's rule; empty shards skipped)
        List<ShardWork> work = new ArrayList<>(count);
        for (int k = 1; k <= count; k++) {
            Shard shard = new Shard(k, count);
            int[] mine = wave.stream().filter(shard::holds).mapToInt(Integer::intValue).toArray();
            if (mine.length > 0) {
                work.add(new ShardWork(k, count, mine));
            }
        }
        ToyTaskFactory f = factory;
        long master = masterSeed;
        String hash = configHash;
        List<ShardLines> results;
        try {
            results = spark.parallelize(work, work.size()).map(w -> runShard(f, master, hash, w)).collect();
        } catch (Exception e) { // SparkException is checked in Java's eyes, though collect() does not declare it
            throw new ToyEnsembleException("Spark toy ensemble failed; rows already merged are in " + output
                    + " and a rerun resumes: " + firstLine(e), e);
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        List<Path> shardFiles = new ArrayList<>();
        for (ShardLines r : results) {
            Path file = partFile(new Shard(r.number(), r.count()));
            Files.write(file, r.lines(), StandardCharsets.UTF_8);
            shardFiles.add(file);
        }
        // the shards of a wave hold whole-ensemble toy indices, so they merge as any rows of the ensemble
        ShardMerge.mergeFiles(shardFiles, configHash, masterSeed, toys, output);
        for (Path file : shardFiles) {
            Files.deleteIfExists(file);
        }
    }

    /** A task's rows on the driver: {@code null.jsonl} gives {@code null.shard-K-of-N.jsonl}, even for 1 of 1. */
    private Path partFile(Shard shard) {
        String name = output.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        return output.resolveSibling(stem + "." + shard.tag() + ".jsonl");
    }

    /** Runs on an executor: builds the task, trains the shard's toys, returns their JSON lines. */
    static ShardLines runShard(ToyTaskFactory factory, long masterSeed, String configHash, ShardWork work) {
        ToyTask task = factory.create();
        List<String> lines = new ArrayList<>(work.indices().length);
        for (int index : work.indices()) {
            long seed = ToySeeds.seed(masterSeed, index);
            long t0 = System.nanoTime();
            ToyOutcome o;
            try {
                o = task.run(index, seed);
            } catch (RuntimeException e) {
                throw new IllegalStateException("toy " + index + " (seed " + seed + ") failed: " + e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            lines.add(ToyEnsemble.toLine(new ToyRow(index, seed, o.t(), o.lowestLoss(), seconds, configHash, o.tByWidth(), o.convergence())));
        }
        return new ShardLines(work.number(), work.count(), lines);
    }

    /** The failing toy's own message when the cause chain has it (local mode, most clusters), else Spark's first line. */
    private static String firstLine(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().startsWith("toy ")) {
                return c.getMessage().lines().findFirst().orElse(c.getMessage());
            }
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Settings of a Spark ensemble; the hash, output and factory have no default. */
    public static final class Builder {
        private long masterSeed;
        private int toys = 100;
        private String configHash;
        private Path output;
        private int tasks;
        private int toysPerJob;
        private ToyTaskFactory factory;

        private Builder() {
        }

        /**
         * {@return this builder}
         *
         * @param v the master seed of the toys' seeds
         */
        public Builder masterSeed(long v) { masterSeed = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v number of toys, indices 0 to v - 1
         */
        public Builder toys(int v) { toys = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the configuration hash every row carries
         */
        public Builder configHash(String v) { configHash = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the ensemble's JSON-lines file, on the driver's file system
         */
        public Builder output(Path v) { output = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v Spark tasks per job (shards); 0 (default): four per default parallelism, at most one per toy
         */
        public Builder tasks(int v) { tasks = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v toys per Spark job (a wave merged into the file before the next); 0 (default): all in one job
         */
        public Builder toysPerJob(int v) { toysPerJob = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v builds each task's toy task on its executor
         */
        public Builder taskFactory(ToyTaskFactory v) { factory = v; return this; }

        /**
         * {@return the ensemble}
         *
         * @throws IllegalArgumentException naming a missing or out-of-range setting
         */
        public SparkToyEnsemble build() {
            return new SparkToyEnsemble(this);
        }
    }
}
