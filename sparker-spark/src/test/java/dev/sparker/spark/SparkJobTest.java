package dev.sparker.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.calibration.ShardManifest;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The spark-submit job on local[2] writes the files {@code ./sparker expo1d} writes for the same flags, and
 * {@code ./sparker merge} analyses them into the result.json of a single-process run.
 */
class SparkJobTest {
    @TempDir
    Path dir;

    private static final String[] FLAGS = {"--signal", "bulk", "--kernels", "3", "--reference-size", "1500", "--null-toys", "6",
            "--toys", "4", "--epochs", "3", "--steps", "8", "--engine", "scalar", "--seed", "5"};

    private record Run(int code, String out, String err) {
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String[] with(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void sparkJobFilesAreTheCommandLinesAndMergeAnalysesThem() throws IOException {
        Path sparkOut = dir.resolve("spark");
        Run job = run(SparkJob.commandLine(), with(with(new String[] {"expo1d"}, FLAGS), "--master", "local[2]",
                "--ideal-toys", "200", "--no-plots", "--out", sparkOut.toString()));
        assertEquals(0, job.code(), job.out() + job.err());
        assertTrue(job.out().contains("./sparker merge --out"), job.out());
        ShardManifest m = ShardManifest.read(sparkOut.resolve("shard-1-of-1.json"));
        assertEquals("expo1d", m.command());
        assertEquals(2, m.ensembles().size());

        System.setProperty("java.awt.headless", "true");
        Path single = dir.resolve("single");
        Run cli = run(dev.sparker.cli.Main.commandLine(), with(with(new String[] {"expo1d"}, FLAGS), "--threads", "2",
                "--ideal-toys", "200", "--no-plots", "--out", single.toString()));
        assertEquals(0, cli.code(), cli.err());
        for (ShardManifest.Ensemble e : m.ensembles()) {
            Path theirs = single.resolve(e.file());
            assertTrue(Files.exists(theirs), "./sparker expo1d wrote the same file name (same hash): " + e.file());
            TreeMap<Integer, ToyRow> a = ToyEnsemble.readRows(theirs, e.configHash());
            TreeMap<Integer, ToyRow> b = ToyEnsemble.readRows(sparkOut.resolve(e.file()), e.configHash());
            assertEquals(a.size(), b.size());
            for (int i : a.keySet()) {
                assertEquals(a.get(i).withoutTime(), b.get(i).withoutTime(), e.file() + " toy " + i);
            }
        }

        // merge in place: every toy is there, so it analyses without training (read-only) and agrees
        Run merge = run(dev.sparker.cli.Main.commandLine(), "merge", "--out", sparkOut.toString(), sparkOut.toString());
        assertEquals(0, merge.code(), merge.out() + merge.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode x = json.readTree(single.resolve("result.json").toFile());
        JsonNode y = json.readTree(sparkOut.resolve("result.json").toFile());
        for (String p : List.of("/null/quantiles", "/null/chiSquareFit", "/signals/0/sensitivity", "/signals/0/idealTest",
                "/trainingConfig", "/settings/sigmas")) {
            assertEquals(x.at(p), y.at(p), p);
        }
    }

    @Test
    void badFlagsAndNoMasterGiveOneLine() {
        Run noMaster = run(SparkJob.commandLine(), "expo1d", "--out", dir.toString());
        assertEquals(2, noMaster.code());
        assertTrue(noMaster.err().contains("no Spark master"), noMaster.err());
        Run badSignal = run(SparkJob.commandLine(), "expo1d", "--signal", "nope", "--out", dir.toString());
        assertEquals(2, badSignal.code());
        assertEquals(1, badSignal.err().strip().lines().count(), badSignal.err());
    }
}
