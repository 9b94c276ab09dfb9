package dev.sparker.calibration;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Shard {@code number} of {@code count}: the toys of an ensemble whose index {@code i} satisfies
 * {@code i mod count == number - 1} (round robin, so that every shard gets the same mix of toys and the
 * shards of an ensemble of T toys hold {@code floor(T / count)} or one more each). Shards are numbered from
 * 1, as in {@code --shard 3/8}; a SLURM array {@code --array=1-8} passes the number as
 * {@code $SLURM_ARRAY_TASK_ID}.
 *
 * <p>A toy's seed depends only on (master seed, toy index) ({@link ToySeeds}), so a toy gives the same bits
 * in whichever shard, process or machine it runs; {@link ShardMerge} puts the shards' files back together.
 *
 * @param number 1-based shard number, {@code 1 <= number <= count}
 * @param count  number of shards, at least 1
 */
public record Shard(int number, int count) {

    /** The whole ensemble as one shard. */
    public static final Shard ALL = new Shard(1, 1);

    /**
     * Checks the shard.
     *
     * @throws IllegalArgumentException {@code count < 1} or {@code number} outside {@code 1..count}
     */
    public Shard {
        if (count < 1) {
            throw new IllegalArgumentException("shard count = " + count + "; at least 1 shard is needed");
        }
        if (number < 1 || number > count) {
            throw new IllegalArgumentException("shard " + number + "/" + count + ": the shard number runs from 1 to " + count);
        }
    }

    /**
     * Parses {@code K/N}, e.g. {@code 3/8}.
     *
     * @param text {@code K/N}, blanks around it allowed
     * @return shard K of N
     * @throws IllegalArgumentException naming the text when it is not of that form or K is outside 1..N
     */
    public static Shard parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("shard must not be null; expected K/N, e.g. 3/8");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 1 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("shard '" + text + "': expected K/N, e.g. 3/8 (shard 3 of 8)");
        }
        int k;
        int n;
        try {
            k = Integer.parseInt(s.substring(0, slash).strip());
            n = Integer.parseInt(s.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard '" + text + "': expected K/N with whole numbers, e.g. 3/8");
        }
        return new Shard(k, n);
    }

    /**
     * {@return whether toy {@code index} belongs to this shard}
     *
     * @param index toy index, from 0
     */
    public boolean holds(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("toy index = " + index + "; it must be >= 0");
        }
        return index % count == number - 1;
    }

    /**
     * {@return the shard that holds toy {@code index} among {@code count} shards}
     *
     * @param index toy index, from 0
     * @param count number of shards
     */
    public static Shard of(int index, int count) {
        if (index < 0) {
            throw new IllegalArgumentException("toy index = " + index + "; it must be >= 0");
        }
        return new Shard(index % count + 1, count);
    }

    /**
     * {@return how many of toys {@code 0 .. toys-1} this shard holds}
     *
     * @param toys the ensemble's size
     */
    public int size(int toys) {
        if (toys < 0) {
            throw new IllegalArgumentException("toys = " + toys + "; it must be >= 0");
        }
        int first = number - 1;
        return toys <= first ? 0 : (toys - 1 - first) / count + 1;
    }

    /**
     * {@return the indices of toys {@code 0 .. toys-1} this shard holds, ascending}
     *
     * @param toys the ensemble's size
     */
    public int[] indices(int toys) {
        int[] idx = new int[size(toys)];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = number - 1 + k * count;
        }
        return idx;
    }

    /** {@return whether this is the whole ensemble (1/1)} */
    public boolean whole() {
        return count == 1;
    }

    /** {@return {@code K/N}, as {@link #parse} reads it} */
    @Override
    public String toString() {
        return number + "/" + count;
    }

    /** {@return {@code shard-K-of-N}, the tag in this shard's file names} */
    public String tag() {
        return String.format(Locale.ROOT, "shard-%d-of-%d", number, count);
    }

    /**
     * {@return this shard's file for an ensemble file}: {@code null-M10-ab12.jsonl} becomes
     * {@code null-M10-ab12.shard-3-of-8.jsonl} in the same folder (the whole ensemble keeps its name), so the
     * shards of one ensemble never write the same file, even in a shared folder.
     *
     * @param ensembleFile the whole ensemble's file
     */
    public Path fileFor(Path ensembleFile) {
        if (whole()) {
            return ensembleFile;
        }
        String name = ensembleFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String shardName = dot > 0 ? name.substring(0, dot) + "." + tag() + name.substring(dot) : name + "." + tag();
        return ensembleFile.resolveSibling(shardName);
    }
}
