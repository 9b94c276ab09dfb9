package dev.sparker.cli;

import dev.sparker.calibration.Shard;
import dev.sparker.calibration.ShardMerge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sparker merge}: puts the shards of a {@code --shard K/N} run back together ({@link ShardMerge})
 * and, when every toy is there, runs the sharded command again over the merged ensembles to write its results.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Combines the output folders of runs made with --shard K/N (expo1d, compare, test) into --out: one"
                        + " JSON-lines file per ensemble, exactly as one process would have written it. Refuses files of"
                        + " another configuration, reports missing and duplicated toys (and missing shards).",
                "When every toy is there it runs the command again on --out, training no ensemble toy, to write"
                        + " result.json and the plots. Rerun it as more shards finish: it keeps what it merged before."})
final class MergeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder of the merged ensembles and the results")
    Path out;

    @Option(names = "--no-analysis", description = "only merge the files; do not run the command again")
    boolean noAnalysis;

    @Parameters(arity = "1..*", paramLabel = "SHARD_DIR", description = "--out folders of the shards (a folder may hold several shards)")
    List<Path> shardFolders;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // a foreign file, a toy with two different values, a folder without a manifest: one-line error, exit 1
        ShardMerge.Report report = ShardMerge.merge(shardFolders, out);
        int count = report.manifest().shard().count();
        o.printf(Locale.ROOT, "%s run in %d shards: found %d (%s)%n", report.manifest().command(), count,
                report.shardsFound().size(), report.shardsFound().size() == count ? "all" : "missing " + report.shardsMissing());
        if (!report.shardsTwice().isEmpty()) {
            o.printf(Locale.ROOT, "shards found in more than one folder (equal toys kept once): %s%n", report.shardsTwice());
        }
        for (ShardMerge.EnsembleReport e : report.ensembles()) {
            o.printf(Locale.ROOT, "  %-40s %5d of %5d toys%s%s%n", e.file().getFileName(), e.present(), e.toys(),
                    e.missing().isEmpty() ? "" : "; missing " + ShardMerge.describe(e.missing(), 10)
                            + " (shards " + shardsOf(e.missing(), count) + ")",
                    e.duplicated().isEmpty() ? "" : "; duplicated " + ShardMerge.describe(e.duplicated(), 10));
        }
        o.flush();
        if (!report.complete()) {
            err.printf(Locale.ROOT, "sparker: merge: toys are missing (above); rerun the missing shards and merge again,"
                    + " or finish them here with ./sparker %s ... --out %s%n", report.manifest().command(), out);
            err.flush();
            return 1;
        }
        if (noAnalysis) {
            o.printf(Locale.ROOT, "merged every toy into %s%n", out);
            o.flush();
            return 0;
        }
        List<String> args = new ArrayList<>();
        args.add(report.manifest().command());
        args.addAll(report.manifest().arguments());
        args.add("--out");
        args.add(out.toString());
        args.add("--read-merged");
        o.printf(Locale.ROOT, "every toy is there; analysing: ./sparker %s%n", String.join(" ", args.subList(0, args.size() - 1)));
        o.flush();
        CommandLine again = Main.commandLine();
        again.setOut(spec.commandLine().getOut());
        again.setErr(spec.commandLine().getErr());
        return again.execute(args.toArray(String[]::new));
    }

    private static String shardsOf(List<Integer> indices, int count) {
        return indices.stream().map(i -> Shard.of(i, count).number()).distinct().sorted().map(String::valueOf)
                .reduce((a, b) -> a + ", " + b).orElse("");
    }
}
