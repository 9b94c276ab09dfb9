package dev.sparker.cli;

import dev.sparker.calibration.Shard;
import dev.sparker.calibration.ShardManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --shard K/N} for the commands that run toy ensembles ({@code expo1d}, {@code compare}, {@code test}'s
 * null toys): every ensemble runs only shard K's toys into its own file, and the command writes a
 * {@code shard-K-of-N.json} manifest and says how to merge instead of analysing. The hidden
 * {@code --read-merged} is how {@code ./sparker merge} runs the command again over the merged ensembles:
 * nothing is trained, and a missing toy is an error.
 */
final class ShardOption {

    /** Options that do not define the ensembles, left out of the command that {@code merge} runs again. */
    private static final Set<String> NOT_REPEATED = Set.of("--shard", "--out", "--read-merged", "--help", "--version");

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--shard", paramLabel = "K/N", converter = ShardConverter.class,
            description = "run only shard K of N of each toy ensemble (toy i belongs to shard i mod N + 1), e.g. a batch "
                    + "system's array task; writes shard files and shard-K-of-N.json to --out; ./sparker merge combines them")
    Shard shard;

    @Option(names = "--read-merged", hidden = true,
            description = "(./sparker merge) train no ensemble toy: read the merged files, fail when a toy is missing")
    boolean readMerged;

    private final List<ShardManifest.Ensemble> ensembles = new ArrayList<>();

    /** Turns {@code K/N} into a {@link Shard}; a bad value is a one-line parameter error. */
    static final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    boolean sharded() {
        return shard != null;
    }

    /** How many of an ensemble's {@code toys} this process runs. */
    int share(int toys) {
        return shard == null ? toys : shard.size(toys);
    }

    /**
     * {@return where and how a study's ensembles run: in {@code out}, {@code threads} toys at once, this shard (or
     * read-only over merged files)}
     */
    dev.sparker.expo.Expo1dStudy.Ensembles ensembles(Path out, int threads) {
        return new dev.sparker.expo.Expo1dStudy.Ensembles(out, threads, shard, readMerged);
    }

    /** Lists ensembles a library workflow ran, for this shard's manifest. */
    void ran(List<ShardManifest.Ensemble> ran) {
        synchronized (ensembles) {
            ensembles.addAll(ran);
        }
    }

    /**
     * The command's arguments that define its ensembles (every option given but {@code --shard}, {@code --out}
     * and {@code --read-merged}), as {@code merge} passes them again.
     */
    List<String> definingArguments() {
        List<String> args = new ArrayList<>();
        for (OptionSpec o : mixee.commandLine().getParseResult().matchedOptions()) {
            String name = o.longestName();
            if (NOT_REPEATED.contains(name)) {
                continue;
            }
            if (o.arity().max() == 0) {
                args.add(name);
                continue;
            }
            for (String v : o.originalStringValues()) {
                args.add(name);
                args.add(v);
            }
        }
        return args;
    }

    /** Writes this shard's manifest to {@code out}, says what ran and how to merge; the command's exit code. */
    int finish(Path out) throws IOException {
        ShardManifest m = new ShardManifest(mixee.name(), definingArguments(), shard, ensembles);
        Path file = m.write(out);
        int ran = 0;
        int total = 0;
        for (ShardManifest.Ensemble e : ensembles) {
            ran += shard.size(e.toys());
            total += e.toys();
        }
        PrintWriter o = mixee.commandLine().getOut();
        o.printf(Locale.ROOT, "shard %s: %d of the %d toys of %d ensemble(s) are in %s (manifest %s)%n", shard, ran, total,
                ensembles.size(), out, file.getFileName());
        o.printf(Locale.ROOT, "when all %d shards are done: ./sparker merge --out DIR SHARD_OUT_FOLDER...  (folders of every"
                + " shard, e.g. %s)%n", shard.count(), shardFolderPattern(out));
        o.flush();
        return 0;
    }

    private String shardFolderPattern(Path out) {
        String s = out.toString();
        String k = Integer.toString(shard.number());
        int at = s.lastIndexOf(k);
        return at >= 0 && s.endsWith(k) ? s.substring(0, at) + "*" : s;
    }
}
