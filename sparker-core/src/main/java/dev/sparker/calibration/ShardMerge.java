package dev.sparker.calibration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts the shards of sharded ensembles back together: the rows of every shard's file go into the whole
 * ensemble's file, sorted by index, exactly as one process running every toy would have written it (the
 * wall times aside, which are each toy's own).
 *
 * <p>What it checks: every row carries the ensemble's configuration hash (a file of another configuration is
 * refused, naming file and line); every row's seed is the seed of its index under the ensemble's master seed;
 * a row sits in the file of the shard that holds its index; a toy found in two files has the same numbers in
 * both (else it is refused) and is reported as duplicated; toys of the ensemble found in no file are reported
 * as missing. All shards' manifests must describe the same run (command, arguments, shard count, ensembles).
 *
 * <p>Resumable: the merged file is read first, so merging again as more shards arrive adds the new rows and
 * keeps the rest; and a merged file with missing toys is an ordinary ensemble file, which a run of the whole
 * ensemble on it completes by running only the missing toys.
 */
public final class ShardMerge {

    private ShardMerge() {
    }

    /**
     * The outcome of merging one ensemble.
     *
     * @param file       the merged file
     * @param toys       the ensemble's size
     * @param present    how many of its toys the merged file holds
     * @param missing    toy indices found in no file, ascending
     * @param duplicated toy indices found (with equal numbers) in more than one shard file, ascending
     * @param sources    the shard files read
     */
    public record EnsembleReport(Path file, int toys, int present, List<Integer> missing, List<Integer> duplicated,
                                 List<Path> sources) {
        /** {@return whether every toy of the ensemble is in the merged file} */
        public boolean complete() {
            return missing.isEmpty();
        }
    }

    /**
     * The outcome of merging a sharded run.
     *
     * @param manifest      one of the shards' manifests (they agree but for the shard number)
     * @param shardsFound   shard numbers whose manifest was found, ascending
     * @param shardsMissing shard numbers of {@code 1..N} with no manifest, ascending
     * @param shardsTwice   shard numbers whose manifest was found in more than one folder
     * @param ensembles     one report per ensemble, in the manifest's order
     */
    public record Report(ShardManifest manifest, List<Integer> shardsFound, List<Integer> shardsMissing,
                         List<Integer> shardsTwice, List<EnsembleReport> ensembles) {
        /** {@return whether every toy of every ensemble is in the merged files} */
        public boolean complete() {
            return ensembles.stream().allMatch(EnsembleReport::complete);
        }
    }

    /**
     * Merges the sharded run whose shard folders are {@code shardFolders} (each holding one or more
     * {@code shard-K-of-N.json} manifests and their shard files) into {@code output}: one whole file per
     * ensemble, named as in the manifests. Writes what it has even when toys are missing (see the report).
     *
     * @param shardFolders the shards' output folders
     * @param output       the folder of the merged files
     * @return what was found, merged, missing and duplicated
     * @throws IllegalArgumentException a folder holds no manifest, the manifests describe different runs, or
     *                                  a file holds rows of another configuration
     * @throws IllegalStateException    a toy appears twice with different numbers, a row's seed is not its
     *                                  index's seed, or a row sits in another shard's file
     * @throws IOException              a file cannot be read or written
     */
    public static Report merge(List<Path> shardFolders, Path output) throws IOException {
        if (shardFolders == null || shardFolders.isEmpty()) {
            throw new IllegalArgumentException("no shard folders to merge");
        }
        Objects.requireNonNull(output, "output");
        List<ShardManifest> manifests = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        List<Path> manifestFiles = new ArrayList<>();
        for (Path dir : shardFolders) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + ": no such folder");
            }
            List<Path> found = ShardManifest.findIn(dir);
            if (found.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds no shard manifest (shard-K-of-N.json); give the --out"
                        + " folders of runs made with --shard K/N");
            }
            for (Path f : found) {
                if (manifestFiles.stream().anyMatch(m -> sameFile(m, f))) {
                    continue;
                }
                manifests.add(ShardManifest.read(f));
                folders.add(dir);
                manifestFiles.add(f);
            }
        }
        ShardManifest first = manifests.getFirst();
        int count = first.shard().count();
        for (int k = 1; k < manifests.size(); k++) {
            ShardManifest m = manifests.get(k);
            String why = m.shard().count() != count ? "it splits the run into " + m.shard().count() + " shards, not " + count
                    : !m.command().equals(first.command()) ? "its command is " + m.command() + ", not " + first.command()
                    : !m.arguments().equals(first.arguments()) ? "its arguments " + m.arguments() + " differ from " + first.arguments()
                    : !m.ensembles().equals(first.ensembles()) ? "its ensembles (files, configuration hashes, seeds, toys) differ"
                    : null;
            if (why != null) {
                throw new IllegalArgumentException(manifestFiles.get(k) + " belongs to another run than " + manifestFiles.getFirst()
                        + ": " + why);
            }
        }
        TreeSet<Integer> found = new TreeSet<>();
        TreeSet<Integer> twice = new TreeSet<>();
        for (ShardManifest m : manifests) {
            if (!found.add(m.shard().number())) {
                twice.add(m.shard().number());
            }
        }
        List<Integer> missingShards = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            if (!found.contains(k)) {
                missingShards.add(k);
            }
        }
        Files.createDirectories(output);
        List<EnsembleReport> reports = new ArrayList<>();
        for (ShardManifest.Ensemble e : first.ensembles()) {
            List<Path> files = new ArrayList<>();
            for (int k = 0; k < manifests.size(); k++) {
                Path f = manifests.get(k).shard().fileFor(folders.get(k).resolve(e.file()));
                if (Files.exists(f)) {
                    files.add(f);
                }
            }
            reports.add(mergeFiles(files, e.configHash(), e.masterSeed(), e.toys(), output.resolve(e.file())));
        }
        return new Report(first, List.copyOf(found), missingShards, List.copyOf(twice), reports);
    }

    /**
     * Merges row files of one ensemble (shard files, or any files of its rows) into {@code output}, which is
     * read first when it exists (so merging is resumable). Shard files (named {@code ...shard-K-of-N...}) must
     * hold only their shard's toys.
     *
     * @param files      the files to merge (a file that is {@code output} itself is skipped)
     * @param configHash the ensemble's configuration hash; rows of another are refused
     * @param masterSeed the ensemble's master seed; a row whose seed is not its index's seed is refused
     * @param toys       the ensemble's size; rows with index at or above it are refused
     * @param output     the whole ensemble's file
     * @return what was merged, missing and duplicated
     * @throws IOException a file cannot be read or written
     */
    public static EnsembleReport mergeFiles(List<Path> files, String configHash, long masterSeed, int toys, Path output)
            throws IOException {
        if (configHash == null || configHash.isBlank()) {
            throw new IllegalArgumentException("a configuration hash is needed");
        }
        if (toys < 1) {
            throw new IllegalArgumentException("toys = " + toys + "; at least 1");
        }
        TreeMap<Integer, ToyRow> merged = new TreeMap<>(check(ToyEnsemble.readRows(output, configHash), output, null, masterSeed, toys));
        Map<Integer, Path> seenIn = new LinkedHashMap<>();
        TreeSet<Integer> duplicated = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        for (Path f : files) {
            if (Files.exists(output) && sameFile(f, output)) {
                continue;
            }
            Shard shard = shardOfName(f);
            TreeMap<Integer, ToyRow> rows = check(ToyEnsemble.readRows(f, configHash), f, shard, masterSeed, toys);
            sources.add(f);
            for (ToyRow r : rows.values()) {
                Path before = seenIn.putIfAbsent(r.index(), f);
                if (before != null) {
                    duplicated.add(r.index());
                }
                ToyRow had = merged.putIfAbsent(r.index(), r);
                if (had != null && !had.withoutTime().equals(r.withoutTime())) {
                    throw new IllegalStateException("toy " + r.index() + " has different numbers in " + f + " (t = " + r.t()
                            + ") and in " + (before != null ? before : output) + " (t = " + had.t() + "); they are not the same run");
                }
            }
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        ToyEnsemble.writeSorted(output, merged.values());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < toys; i++) {
            if (!merged.containsKey(i)) {
                missing.add(i);
            }
        }
        return new EnsembleReport(output, toys, toys - missing.size(), missing, List.copyOf(duplicated), sources);
    }

    private static TreeMap<Integer, ToyRow> check(TreeMap<Integer, ToyRow> rows, Path file, Shard shard, long masterSeed, int toys) {
        for (ToyRow r : rows.values()) {
            if (r.index() >= toys) {
                throw new IllegalStateException(file + " holds toy " + r.index() + " but the ensemble has toys 0.." + (toys - 1));
            }
            if (r.seed() != ToySeeds.seed(masterSeed, r.index())) {
                throw new IllegalStateException(file + ": toy " + r.index() + " has seed " + r.seed()
                        + ", not the seed of that index under master seed " + masterSeed + "; the file is not of this ensemble");
            }
            if (shard != null && !shard.holds(r.index())) {
                throw new IllegalStateException(file + " is the file of shard " + shard + " but holds toy " + r.index()
                        + ", which belongs to shard " + Shard.of(r.index(), shard.count()));
            }
        }
        return rows;
    }

    private static final java.util.regex.Pattern SHARD_TAG = java.util.regex.Pattern.compile("\\.shard-(\\d+)-of-(\\d+)\\.");

    /** The shard named in a shard file's name ({@code x.shard-3-of-8.jsonl}), or null. */
    static Shard shardOfName(Path file) {
        java.util.regex.Matcher m = SHARD_TAG.matcher(file.getFileName().toString());
        if (!m.find()) {
            return null;
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b) : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@return up to {@code limit} indices as text, then how many more: {@code 3, 7, 11 (and 4 more)}}
     *
     * @param indices the indices
     * @param limit   how many to write out
     */
    public static String describe(List<Integer> indices, int limit) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(limit, indices.size()); k++) {
            b.append(k == 0 ? "" : ", ").append(indices.get(k));
        }
        if (indices.size() > limit) {
            b.append(" (and ").append(indices.size() - limit).append(" more)");
        }
        return b.toString();
    }
}
