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
import java.util.Collections;
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
        return runTogether(List.of(this), List.of(task), threads).get(0).rows();
    }

    /**
     * What one ensemble of {@link #runTogether} gave.
     *
     * @param rows        the rows with index below the toy count (this shard's), sorted by index, each toy once
     * @param resumed     how many of them were already in the file when the run began
     * @param wallSeconds from the start of this ensemble's first toy to the end of its last one, in seconds (0 when
     *                    every toy was already done); ensembles run together overlap where one's last toys and the
     *                    next one's first toys share the workers
     */
    public record Outcome(List<ToyRow> rows, int resumed, double wallSeconds) {
    }

    /**
     * Runs (or finishes) several ensembles on one pool of {@code threads} workers, so that no worker waits for an
     * ensemble's last toys while another ensemble still has toys to run. The toys are handed out in order: the first
     * ensemble's missing toys, then the second's, and so on; each ensemble streams to, resumes from and ends by
     * sorting its own file exactly as {@link #run} does, and each toy's row is the one {@link #run} gives it. The
     * listeners are called one at a time over all the ensembles. A failing toy or listener, or an interrupt of the
     * calling thread, stops every ensemble; the rows already written stay.
     *
     * @param ensembles the ensembles, each once (their own thread counts are not used)
     * @param tasks     the toy of each ensemble, in the same order
     * @param threads   workers, at least 1
     * @return the outcome of each ensemble, in the order given
     * @throws IllegalArgumentException  the lists are empty, null, of different sizes, hold nulls or an ensemble
     *                                   twice (by file), or {@code threads < 1}, or a file holds another
     *                                   configuration's toys
     * @throws IllegalStateException     read-only and some toys are missing (they are named), or a file holds
     *                                   toys of another shard
     * @throws ToyEnsembleException      a toy or a listener failed (its ensemble's file named, cause attached)
     * @throws CancellationException     the calling thread was interrupted
     * @throws UncheckedIOException      an output file could not be read or written
     */
    public static List<Outcome> runTogether(List<ToyEnsemble> ensembles, List<? extends ToyTask> tasks, int threads) {
        if (ensembles == null || tasks == null || ensembles.isEmpty() || ensembles.size() != tasks.size()) {
            throw new IllegalArgumentException("give one task per ensemble and at least one ensemble ("
                    + (ensembles == null ? "no" : ensembles.size()) + " ensembles, " + (tasks == null ? "no" : tasks.size())
                    + " tasks)");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + "; at least one is needed");
        }
        java.util.Set<Path> files = new java.util.HashSet<>();
        for (int k = 0; k < ensembles.size(); k++) {
            if (ensembles.get(k) == null || tasks.get(k) == null) {
                throw new IllegalArgumentException("ensemble or task " + k + " is null");
            }
            if (!files.add(ensembles.get(k).output.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("two ensembles write to " + ensembles.get(k).output
                        + "; each needs its own file");
            }
        }
        List<Plan> plans = new ArrayList<>();
        for (int k = 0; k < ensembles.size(); k++) {
            ToyEnsemble e = ensembles.get(k);
            try {
                plans.add(e.plan(tasks.get(k)));
            } catch (IOException ex) {
                throw new UncheckedIOException("toy ensemble output " + e.output + ": " + ex.getMessage(), ex);
            }
        }
        runPending(plans, threads);
        List<Outcome> outcomes = new ArrayList<>();
        for (Plan p : plans) {
            try {
                outcomes.add(p.ensemble.finish(p));
            } catch (IOException ex) {
                throw new UncheckedIOException("toy ensemble output " + p.ensemble.output + ": " + ex.getMessage(), ex);
            }
        }
        return outcomes;
    }

    /** One ensemble's part of a run: its missing toys, and what its workers have written so far. */
    private static final class Plan {
        final ToyEnsemble ensemble;
        final ToyTask task;
        final TreeMap<Integer, ToyRow> done;
        final List<Integer> pending;
        final int already;
        final int share;
        final AtomicInteger written;
        BufferedWriter out;
        long firstStart = Long.MAX_VALUE;
        long lastEnd = Long.MIN_VALUE;

        Plan(ToyEnsemble ensemble, ToyTask task, TreeMap<Integer, ToyRow> done, List<Integer> pending, int already,
             int share) {
            this.ensemble = ensemble;
            this.task = task;
            this.done = done;
            this.pending = pending;
            this.already = already;
            this.share = share;
            this.written = new AtomicInteger(already);
        }

        String where() {
            return written.get() + " of " + share + " toys are in " + ensemble.output;
        }
    }

    /** A failure of one ensemble's batch, carrying which ensemble it was. */
    private static final class BatchFailure extends Exception {
        final transient Plan plan;

        BatchFailure(Plan plan, Throwable cause) {
            super(cause);
            this.plan = plan;
        }
    }

    private Plan plan(ToyTask task) throws IOException {
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
        return new Plan(this, task, done, pending, already, share);
    }

    private Outcome finish(Plan p) throws IOException {
        // the file was rewritten sorted when planned: only toys that ran since need it read and sorted again
        TreeMap<Integer, ToyRow> done = p.done;
        if (!p.pending.isEmpty()) {
            done = readRows(output, configHash);
            rewriteSorted(done);
        }
        List<ToyRow> rows = new ArrayList<>();
        for (ToyRow r : done.values()) {
            if (r.index() < toys) {
                rows.add(r);
            }
        }
        if (rows.size() != p.share) {
            throw new IllegalStateException("ensemble finished with " + rows.size() + " of " + p.share + " toys in " + output);
        }
        double wall = p.pending.isEmpty() ? 0 : (p.lastEnd - p.firstStart) * 1e-9;
        return new Outcome(Collections.unmodifiableList(rows), p.already, wall);
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

    private static void runPending(List<Plan> plans, int threads) {
        if (plans.stream().allMatch(p -> p.pending.isEmpty())) {
            return;
        }
        Object lock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sparker-toy");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Plan p : plans) {
                if (!p.pending.isEmpty()) {
                    try {
                        p.out = Files.newBufferedWriter(p.ensemble.output, StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException("toy ensemble output " + p.ensemble.output + ": " + e.getMessage(), e);
                    }
                }
            }
            ExecutorCompletionService<Void> completion = new ExecutorCompletionService<>(pool);
            int submitted = 0;
            for (Plan p : plans) {
                int size = p.ensemble.batchSize;
                for (int start = 0; start < p.pending.size(); start += size) {
                    List<Integer> slice = p.pending.subList(start, Math.min(p.pending.size(), start + size));
                    int[] idx = slice.stream().mapToInt(Integer::intValue).toArray();
                    completion.submit(() -> {
                        try {
                            p.ensemble.runBatch(p, idx, lock);
                        } catch (IOException | RuntimeException | Error e) {
                            throw new BatchFailure(p, e);
                        }
                        return null;
                    });
                    submitted++;
                }
            }
            try {
                for (int k = 0; k < submitted; k++) {
                    completion.take().get();
                }
            } catch (InterruptedException e) {
                stop(pool);
                Thread.currentThread().interrupt();
                StringBuilder where = new StringBuilder();
                for (Plan p : plans) {
                    if (!p.pending.isEmpty()) {
                        where.append(where.isEmpty() ? "" : "; ").append(p.where());
                    }
                }
                throw new CancellationException("toy ensemble interrupted; " + where + " and a rerun resumes from there");
            } catch (ExecutionException e) {
                stop(pool);
                Throwable failure = e.getCause();
                Plan p = failure instanceof BatchFailure b ? b.plan : null;
                Throwable cause = failure instanceof BatchFailure ? failure.getCause() : failure;
                String where = p == null ? "" : " after " + p.written.get() + " of " + p.share + " toys (written to "
                        + p.ensemble.output + "; a rerun resumes)";
                throw new ToyEnsembleException("toy ensemble stopped" + where + ": " + cause, cause);
            }
        } finally {
            stop(pool);
            for (Plan p : plans) {
                if (p.out != null) {
                    try {
                        p.out.close();
                    } catch (IOException e) {
                        // every row was flushed when it was written; a failing close loses nothing
                    }
                }
            }
        }
    }

    private void runBatch(Plan p, int[] idx, Object lock) throws IOException {
        long[] seeds = new long[idx.length];
        for (int k = 0; k < idx.length; k++) {
            seeds[k] = seedOf(idx[k]);
        }
        long t0 = System.nanoTime();
        List<ToyOutcome> outcomes = idx.length == 1 ? List.of(p.task.run(idx[0], seeds[0])) : p.task.runBatch(idx, seeds);
        long t1 = System.nanoTime();
        double each = (t1 - t0) * 1e-9 / idx.length;
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
                p.out.write(line);
                p.out.write('\n');
                p.out.flush();
                p.firstStart = Math.min(p.firstStart, t0);
                p.lastEnd = Math.max(p.lastEnd, t1);
                listener.toyDone(row, p.written.incrementAndGet(), p.share);
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
