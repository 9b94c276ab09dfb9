package dev.sparker.calibration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.output.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs T toys in parallel, whole toys (or batches of toys) per thread, each seeded from (master seed, toy
 * index) by {@link ToySeeds}, and streams one JSON line per finished toy ({@link ToyRow}) to the output
 * file, flushed as it is written.
 *
 * <p>Resuming: when the output file already exists, its complete rows are kept (a truncated last line,
 * left by a killed process, is dropped), only the missing toys run, and when all are done the file is
 * rewritten sorted by index, so it holds each toy exactly once. Rows of another configuration (a different
 * {@link ConfigHash}) make the run fail instead of mixing two ensembles.
 *
 * <p>Stopping: an exception from a toy or from the listener, or an interrupt of the calling thread, stops
 * the workers (they are interrupted; training checks for it every epoch); rows already written stay.
 *
 * <p>Sharding: with {@link Builder#shard(Shard)} the ensemble runs only the toys of that shard and writes
 * them to the shard's own file ({@link Shard#fileFor(Path)}); the toys keep their index, seed and hash, so
 * {@link ShardMerge} can put the shards back together into exactly the file one process writes. With
 * {@link Builder#readOnly(boolean)} nothing is trained: the run reads the file and fails, naming the missing
 * toys, unless every toy is there (how a merged ensemble is analysed without silently training anew).
 */
public final class ToyEnsemble {
    private static final ObjectMapper LINE = new ObjectMapper();

    private final long masterSeed;
    private final int toys;
    private final String configHash;
    private final Path output;
    private final int threads;
    private final int batchSize;
    private final EnsembleListener listener;
    private final Shard shard;
    private final boolean readOnly;

    private ToyEnsemble(Builder b) {
        if (b.toys < 1) {
            throw new IllegalArgumentException("toys = " + b.toys + "; at least one toy is needed");
        }
        if (b.output == null) {
            throw new IllegalArgumentException("an output path is needed (the rows stream there)");
        }
        if (b.threads < 1) {
            throw new IllegalArgumentException("threads = " + b.threads + "; at least one is needed");
        }
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batch size = " + b.batchSize + "; at least one toy per batch");
        }
        if (b.configHash == null || b.configHash.isBlank()) {
            throw new IllegalArgumentException("a configuration hash is needed (ConfigHash.of(config))");
        }
        this.masterSeed = b.masterSeed;
        this.toys = b.toys;
        this.configHash = b.configHash;
        this.shard = b.shard == null ? Shard.ALL : b.shard;
        this.readOnly = b.readOnly;
        this.output = shard.fileFor(b.output);
        this.threads = b.threads;
        this.batchSize = b.batchSize;
        this.listener = b.listener == null ? EnsembleListener.NONE : b.listener;
    }

    /**
     * {@return a new builder; master seed, toy count, configuration hash and output file are needed}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the master seed the toys' seeds derive from}
     */
    public long masterSeed() {
        return masterSeed;
    }

    /**
     * {@return the configuration hash every row of the output file carries}
     */
    public String configHash() {
        return configHash;
    }

    /** {@return the file the rows stream to: the output given, or its shard's file when sharded} */
    public Path file() {
        return output;
    }

    /** {@return the shard this ensemble runs ({@link Shard#ALL} unless one was set)} */
    public Shard shard() {
        return shard;
    }

    /** {@return how many toys the whole ensemble has (this run's shard holds {@code shard().size(toys())} of them)} */
    public int toys() {
        return toys;
    }

    /**
     * {@return the seed of toy {@code index} of this ensemble ({@link ToySeeds#seed})}
     *
     * @param index toy index, from 0
     */
    public long seedOf(int index) {
        return ToySeeds.seed(masterSeed, index);
    }

    /**
     * Runs (or finishes) the ensemble, or its shard, and returns the rows of its toys (index below
     * {@code toys}, in the shard when one is set), sorted by index.
     *
     * @throws IllegalStateException     read-only and some toys are missing (they are named), or the file
     *                                   holds toys of another shard
     * @throws ToyEnsembleException      a toy or the listener failed (cause attached)
     * @throws CancellationException     the calling thread was interrupted
     * @throws UncheckedIOException      the output file could not be read or written
     * @param task the toy to run for each missing index
     * @return the rows with index below the toy count, sorted by index, each toy once
     * @throws IllegalArgumentException when the task is null or the file holds another configuration's toys
     */
    public List<ToyRow> run(ToyTask task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
        try {
            return runChecked(task);
        } catch (IOException e) {
            throw new UncheckedIOException("toy ensemble output " + output + ": " + e.getMessage(), e);
        }
    }

    private List<ToyRow> runChecked(ToyTask task) throws IOException {
        TreeMap<Integer, ToyRow> done = readRows(output, configHash);
        checkShard(done);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        rewriteSorted(done);
        List<Integer> pending = new ArrayList<>();
        for (int i : shard.indices(toys)) {
            if (!done.containsKey(i)) {
                pending.add(i);
            }
        }
        int share = shard.size(toys);
        if (readOnly && !pending.isEmpty()) {
            throw new IllegalStateException(output + " holds " + (share - pending.size()) + " of " + share
                    + " toys; missing toy indices " + ShardMerge.describe(pending, 12)
                    + " (read-only: nothing is trained; run the missing toys, or their shards, first)");
        }
        int already = share - pending.size();
        listener.started(already, share);
        if (!pending.isEmpty()) {
            runPending(task, pending, already);
            done = readRows(output, configHash);
        }
        rewriteSorted(done);
        List<ToyRow> rows = new ArrayList<>();
        for (ToyRow r : done.values()) {
            if (r.index() < toys) {
                rows.add(r);
            }
        }
        if (rows.size() != share) {
            throw new IllegalStateException("ensemble finished with " + rows.size() + " of " + share + " toys in " + output);
        }
        return rows;
    }

    private void checkShard(TreeMap<Integer, ToyRow> done) {
        if (shard.whole()) {
            return;
        }
        for (int i : done.keySet()) {
            if (!shard.holds(i)) {
                throw new IllegalStateException(output + " holds toy " + i + ", which belongs to shard "
                        + Shard.of(i, shard.count()) + ", not to this run's shard " + shard
                        + "; each shard needs its own file");
            }
        }
    }

    private void runPending(ToyTask task, List<Integer> pending, int already) throws IOException {
        AtomicInteger written = new AtomicInteger(already);
        int share = shard.size(toys);
        Object lock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sparker-toy");
            t.setDaemon(true);
            return t;
        });
        try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ExecutorCompletionService<Void> completion = new ExecutorCompletionService<>(pool);
            int submitted = 0;
            for (int start = 0; start < pending.size(); start += batchSize) {
                List<Integer> slice = pending.subList(start, Math.min(pending.size(), start + batchSize));
                int[] idx = slice.stream().mapToInt(Integer::intValue).toArray();
                completion.submit(() -> {
                    runBatch(task, idx, out, lock, written, share);
                    return null;
                });
                submitted++;
            }
            try {
                for (int k = 0; k < submitted; k++) {
                    completion.take().get();
                }
            } catch (InterruptedException e) {
                stop(pool);
                Thread.currentThread().interrupt();
                throw new CancellationException("toy ensemble interrupted; " + written.get() + " of " + share
                        + " toys are in " + output + " and a rerun resumes from there");
            } catch (ExecutionException e) {
                stop(pool);
                Throwable cause = e.getCause();
                throw new ToyEnsembleException("toy ensemble stopped after " + written.get() + " of " + share
                        + " toys (written to " + output + "; a rerun resumes): " + cause, cause);
            }
        } finally {
            stop(pool);
        }
    }

    private void runBatch(ToyTask task, int[] idx, BufferedWriter out, Object lock, AtomicInteger written, int share)
            throws IOException {
        long[] seeds = new long[idx.length];
        for (int k = 0; k < idx.length; k++) {
            seeds[k] = seedOf(idx[k]);
        }
        long t0 = System.nanoTime();
        List<ToyOutcome> outcomes = idx.length == 1 ? List.of(task.run(idx[0], seeds[0])) : task.runBatch(idx, seeds);
        double each = (System.nanoTime() - t0) * 1e-9 / idx.length;
        if (outcomes.size() != idx.length) {
            throw new IllegalStateException("task returned " + outcomes.size() + " outcomes for a batch of " + idx.length);
        }
        for (int k = 0; k < idx.length; k++) {
            ToyOutcome o = outcomes.get(k);
            ToyRow row = new ToyRow(idx[k], seeds[k], o.t(), o.lowestLoss(), each, configHash, o.tByWidth(),
                    o.convergence());
            String line = toLine(row);
            synchronized (lock) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("ensemble stopping; toy " + idx[k] + " not written");
                }
                out.write(line);
                out.write('\n');
                out.flush();
                listener.toyDone(row, written.incrementAndGet(), share);
            }
        }
    }

    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("toy workers did not stop within 10 minutes of being interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@return the JSON line of {@code row}, as ensemble files hold it (no line break)}
     *
     * @param row the row
     */
    public static String toLine(ToyRow row) {
        try {
            return LINE.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write toy row " + row.index(), e);
        }
    }

    /**
     * The complete rows of an ensemble file, by index. A line that does not parse is dropped when it is the
     * last one (a write cut short by a kill); anywhere else it is an error naming the line.
     *
     * @param file         the JSON-lines file; a missing file gives no rows
     * @param expectedHash the configuration hash every row must carry
     * @return the rows by toy index
     * @throws IOException              the file could not be read
     * @throws IllegalStateException    a line other than the last does not parse, or a toy appears twice with
     *                                  different values
     * @throws IllegalArgumentException a row carries another configuration hash (both hashes named)
     */
    public static TreeMap<Integer, ToyRow> readRows(Path file, String expectedHash) throws IOException {
        TreeMap<Integer, ToyRow> rows = new TreeMap<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            ToyRow row;
            try {
                row = LINE.readValue(line, ToyRow.class);
            } catch (JsonProcessingException e) {
                if (n == lines.size() - 1) {
                    break;
                }
                throw new IllegalStateException(file + " line " + (n + 1) + " is not a toy row: " + line, e);
            }
            if (expectedHash != null && !expectedHash.equals(row.configHash())) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + " holds a toy of configuration "
                        + row.configHash() + " but this run's configuration is " + expectedHash
                        + "; use another output path (or delete the file) to start a new ensemble");
            }
            ToyRow previous = rows.putIfAbsent(row.index(), row);
            if (previous != null && !previous.withoutTime().equals(row.withoutTime())) {
                throw new IllegalStateException(file + " holds toy " + row.index() + " twice with different values");
            }
        }
        return rows;
    }

    private void rewriteSorted(TreeMap<Integer, ToyRow> rows) throws IOException {
        writeSorted(output, rows.values());
    }

    /**
     * Writes {@code rows} to {@code file} sorted by index, one JSON line each, replacing the file atomically
     * ({@link AtomicFiles}), so that a reader never sees half a file.
     *
     * @param file the ensemble file
     * @param rows its rows, in any order
     * @throws IOException the file cannot be written
     */
    public static void writeSorted(Path file, java.util.Collection<ToyRow> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        rows.stream().sorted(Comparator.comparingInt(ToyRow::index))
                .forEach(r -> text.append(toLine(r)).append(System.lineSeparator()));
        AtomicFiles.writeString(file, text);
    }

    /** Settings of an ensemble; every field but the output and the hash has a default. */
    public static final class Builder {
        private long masterSeed;
        private int toys = 100;
        private String configHash;
        private Path output;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int batchSize = 1;
        private EnsembleListener listener;
        private Shard shard;
        private boolean readOnly;

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
         * @param v the configuration hash ({@link ConfigHash}) rows are written and checked with
         */
        public Builder configHash(String v) { configHash = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the JSON-lines file rows stream to (and resume from)
         */
        public Builder output(Path v) { output = v; return this; }
        /**
         * Worker threads; each runs whole toys (or whole batches). Default: available processors.
         *
         * @param v threads, at least 1
         * @return this builder
         */
        public Builder threads(int v) { threads = v; return this; }
        /**
         * Toys handed to {@link ToyTask#runBatch} together (for engines that evaluate a batch in one launch).
         *
         * @param v toys per batch, at least 1 (default 1)
         * @return this builder
         */
        public Builder batchSize(int v) { batchSize = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v told after every finished toy (on a worker thread); null for none
         */
        public Builder listener(EnsembleListener v) { listener = v; return this; }
        /**
         * Run only this shard's toys, into its own file ({@link Shard#fileFor}); default: the whole ensemble.
         *
         * @param v the shard, or null for the whole ensemble
         * @return this builder
         */
        public Builder shard(Shard v) { shard = v; return this; }
        /**
         * Train nothing: read the file and fail, naming the missing toys, unless every toy is there.
         *
         * @param v true for read-only (default false)
         * @return this builder
         */
        public Builder readOnly(boolean v) { readOnly = v; return this; }

        /**
         * {@return the ensemble}
         *
         * @throws IllegalArgumentException naming a missing or out-of-range setting
         */
        public ToyEnsemble build() {
            return new ToyEnsemble(this);
        }
    }
}
