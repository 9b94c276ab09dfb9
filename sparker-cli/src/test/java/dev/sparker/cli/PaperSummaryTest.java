package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sparker paper-summary} on two small real study runs (SparKer and Falkon-NPLM through {@code expo1d},
 * same seed): what it recomputes from the toy files agrees with what {@code expo1d} computed in memory, its
 * medians are the medians of the files' t, the two models saw the same toys, and it refuses a folder that mixes
 * configurations.
 */
class PaperSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path runs;

    @BeforeAll
    static void runTwoSmallStudies() {
        runs = dir.resolve("runs");
        String[] common = {"--kernels", "3", "--reference-size", "2000", "--signal", "tail,bulk", "--null-toys", "7",
                "--toys", "3", "--ideal-toys", "200", "--seed", "5", "--threads", "2", "--no-plots"};
        CliRun sparker = CliRun.of(concat(new String[] {"expo1d", "--epochs", "2", "--steps", "5", "--out",
                runs.resolve("sparker-M3-paper").toString()}, common));
        assertEquals(0, sparker.code(), sparker.err());
        CliRun falkon = CliRun.of(concat(new String[] {"expo1d", "--model", "falkon", "--out",
                runs.resolve("falkon-M3").toString()}, common));
        assertEquals(0, falkon.code(), falkon.err());
        // a longer paper run on the first toys: the schedules' toy-by-toy comparison
        CliRun longer = CliRun.of("expo1d", "--epochs", "4", "--steps", "5", "--kernels", "3", "--reference-size", "2000",
                "--signal", "tail", "--null-toys", "4", "--toys", "2", "--ideal-toys", "200", "--seed", "5", "--threads", "2",
                "--no-plots", "--out", runs.resolve("sparker-M3-paper4").toString());
        assertEquals(0, longer.code(), longer.err());
        // the converged schedule: its toys' stop counts go into the summary
        CliRun converged = CliRun.of(concat(new String[] {"expo1d", "--schedule", "converged", "--epochs", "6", "--out",
                runs.resolve("sparker-M3-converged").toString()}, common));
        assertEquals(0, converged.code(), converged.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The t column of the one file in {@code folder} whose name matches {@code glob}, read independently. */
    private static double[] tColumn(Path folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(folder, glob)) {
            ds.forEach(files::add);
        }
        assertEquals(1, files.size(), glob + " in " + folder);
        return Files.readAllLines(files.get(0)).stream().filter(l -> !l.isBlank())
                .mapToDouble(l -> readTree(l).get("t").asDouble()).toArray();
    }

    private static long[] seeds(Path folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(folder, glob)) {
            ds.forEach(files::add);
        }
        return Files.readAllLines(files.get(0)).stream().filter(l -> !l.isBlank())
                .mapToLong(l -> readTree(l).get("seed").asLong()).toArray();
    }

    private static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** Z = Phi^-1(1 - p) of t under a chi-square with {@code dof}, p held within [MIN_NORMAL, 1 - 2^-53]. */
    private static double independentZ(double dof, double t) {
        double p = t <= 0 ? 1 : 1 - new ChiSquaredDistribution(dof).cumulativeProbability(t);
        p = Math.min(1 - 0x1p-53, Math.max(Double.MIN_NORMAL, p));
        return -new NormalDistribution(0, 1).inverseCumulativeProbability(p);
    }

    private static JsonNode run(JsonNode summary, String name) {
        for (JsonNode r : summary.get("runs")) {
            if (r.get("run").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no run " + name + " in " + summary);
    }

    private static JsonNode signal(JsonNode run, String name) {
        for (JsonNode s : run.get("signals")) {
            if (s.get("signal").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no signal " + name + " in " + run);
    }

    @Test
    void summaryAgreesWithTheToyFilesAndWithExpo1d() throws IOException {
        Path out = dir.resolve("summary");
        CliRun r = CliRun.of("paper-summary", "--runs", runs.toString(), "--out", out.toString(), "--ideal-toys", "200",
                "--seed", "5");
        assertEquals(0, r.code(), r.err());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(4, summary.get("runs").size());

        Path sparkerFolder = runs.resolve("sparker-M3-paper");
        JsonNode sp = run(summary, "sparker-M3-paper");
        assertEquals("sparker", sp.get("model").asText());
        assertEquals("paper", sp.get("schedule").asText());
        assertEquals(2000, sp.get("referenceSize").asInt());
        assertEquals(3, sp.get("kernels").asInt());
        double[] nullT = tColumn(sparkerFolder, "null-M3-*.jsonl");
        assertEquals(7, nullT.length);
        assertEquals(7, sp.get("nullToys").asInt());
        assertEquals(median(nullT), sp.get("nullMedianT").asDouble(), 1e-12);
        double[] tailT = tColumn(sparkerFolder, "signal-tail-M3-*.jsonl");
        JsonNode tail = signal(sp, "tail");
        assertEquals(3, tail.get("toys").asInt());
        assertEquals(median(tailT), tail.get("medianT").asDouble(), 1e-12);

        // the same statistics as expo1d computed from its trainings in memory (result.json)
        JsonNode result = JSON.readTree(sparkerFolder.resolve("result.json").toFile());
        assertEquals(result.at("/null/chiSquareFit/dof").asDouble(), sp.get("dof").asDouble(), 1e-9);
        assertEquals(result.at("/null/chiSquareFit/ksP").asDouble(), sp.get("ksP").asDouble(), 1e-9);
        assertEquals(result.at("/null/chiSquareFit/used").asInt(), sp.get("fitUsed").asInt());
        assertEquals(result.at("/null/chiSquareFit/dropped").asInt(), sp.get("fitDropped").asInt());
        assertEquals(5, sp.get("seed").asLong());
        assertEquals("vector", sp.get("engine").asText());
        for (JsonNode s : result.get("signals")) {
            JsonNode ours = signal(sp, s.get("signal").asText());
            assertEquals(s.at("/sensitivity/medianT").asDouble(), ours.get("medianT").asDouble(), 1e-12);
            assertEquals(s.at("/sensitivity/zAsymptotic").asDouble(), ours.get("zChiSquare").asDouble(), 1e-9);
            assertEquals(s.at("/sensitivity/zEmpirical").asDouble(), ours.get("zEmpirical").asDouble(), 1e-9);
            assertEquals(s.at("/sensitivity/zAsymptoticLow").asDouble(), ours.get("zChiSquareLow").asDouble(), 1e-9);
            assertEquals(s.at("/sensitivity/zAsymptoticHigh").asDouble(), ours.get("zChiSquareHigh").asDouble(), 1e-9);
        }

        JsonNode fk = run(summary, "falkon-M3");
        assertEquals("falkon", fk.get("model").asText());
        assertEquals(median(tColumn(runs.resolve("falkon-M3"), "falkon-null-M3-*.jsonl")), fk.get("nullMedianT").asDouble(), 1e-12);
        // SparKer and Falkon-NPLM saw the same toys: the same seed per toy index
        assertTrue(Arrays.equals(seeds(sparkerFolder, "null-M3-*.jsonl"), seeds(runs.resolve("falkon-M3"), "falkon-null-M3-*.jsonl")));

        // the ideal test: the same numbers as expo1d printed for the same seed and toys
        for (JsonNode s : result.get("signals")) {
            boolean found = false;
            for (JsonNode id : summary.get("idealTest")) {
                if (id.get("signal").asText().equals(s.get("signal").asText())) {
                    assertEquals(s.at("/idealTest/zId").asDouble(), id.get("zId").asDouble(), 1e-12);
                    found = true;
                }
            }
            assertTrue(found, s.get("signal").asText());
        }

        String table = Files.readString(out.resolve("table1.md"));
        assertTrue(table.contains("| extreme-tail | 5 | 0.0025 | 12.5 |"), table);
        assertTrue(table.contains("| Falkon-NPLM | 3 | - | 2000 | 7"), table);
        assertTrue(table.contains("| SparKer | 3 | paper (2) | 2000 | 7"), table);
        int dropped = result.at("/null/chiSquareFit/dropped").asInt();
        if (dropped > 0) { // null toys with t <= 0 are outside the chi-square's support: the table says how many
            assertTrue(table.contains("| 7 (" + dropped + " with t <= 0 not fitted) |"), table);
        }
        // toy by toy: the 4 null toys both paper runs trained, their medians from the files
        double[] shortNull = Arrays.copyOf(nullT, 4); // indices 0..3 (the file is sorted by index)
        double[] longNull = tColumn(runs.resolve("sparker-M3-paper4"), "null-M3-*.jsonl");
        assertEquals(4, longNull.length);
        String row = String.format(java.util.Locale.ROOT, "| 3 | SparKer (paper schedule, 2 epochs, N_R = 2000) | SparKer (paper"
                + " schedule, 4 epochs, N_R = 2000) | 4 null | %.3f | %.3f |", median(shortNull), median(longNull));
        assertTrue(table.contains(row), row + " in\n" + table);
        // SparKer against Falkon-NPLM toy by toy: each tail toy's Z under its own run's fitted chi-square, recomputed
        // here with Hipparchus' distributions from the files' t and the summary's dof
        double[] falkonTail = tColumn(runs.resolve("falkon-M3"), "falkon-signal-tail-M3-*.jsonl");
        assertEquals(3, falkonTail.length);
        double[] zs = new double[3];
        double[] zf = new double[3];
        double[] zd = new double[3];
        int sparkerHigher = 0;
        int falkonHigher = 0;
        for (int k = 0; k < 3; k++) { // both files are sorted by toy index, and the toys are the same (seeds above)
            zs[k] = independentZ(sp.get("dof").asDouble(), tailT[k]);
            zf[k] = independentZ(fk.get("dof").asDouble(), falkonTail[k]);
            zd[k] = zs[k] - zf[k];
            sparkerHigher += zs[k] > zf[k] ? 1 : 0;
            falkonHigher += zf[k] > zs[k] ? 1 : 0;
        }
        String paired = table.lines().filter(l -> l.startsWith("| 3 | SparKer (paper schedule, 2 epochs, N_R = 2000) | tail |"))
                .findFirst().orElseThrow(() -> new AssertionError("no paired tail row in\n" + table));
        String[] cells = paired.split("\\|");
        assertEquals(3, Integer.parseInt(cells[4].trim()), paired);
        assertEquals(median(zs), Double.parseDouble(cells[5].trim()), 0.006, paired);
        assertEquals(median(zf), Double.parseDouble(cells[6].trim()), 0.006, paired);
        assertEquals(median(zd), Double.parseDouble(cells[7].trim()), 0.006, paired);
        assertEquals(sparkerHigher, Integer.parseInt(cells[8].trim()), paired);
        assertEquals(falkonHigher, Integer.parseInt(cells[9].trim()), paired);
        JsonNode pairedJson = null;
        for (JsonNode p : summary.get("sparkerAgainstFalkon")) {
            if (p.get("sparkerRun").asText().equals("sparker-M3-paper") && p.get("signal").asText().equals("tail")) {
                pairedJson = p;
            }
        }
        assertNotNull(pairedJson, "summary.json's sparkerAgainstFalkon has sparker-M3-paper's tail toys");
        assertEquals("falkon-M3", pairedJson.get("falkonRun").asText());
        assertEquals(3, pairedJson.get("toys").asInt());
        assertEquals(sparkerHigher, pairedJson.get("sparkerHigher").asInt());
        assertEquals(falkonHigher, pairedJson.get("falkonHigher").asInt());
        assertEquals(median(zd), pairedJson.get("medianDifference").asDouble(), 1e-6);
        for (String png : List.of("figure1.png", "figure5.png")) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(image, png);
            assertTrue(image.getWidth() >= 900 && image.getHeight() >= 560, png + " " + image.getWidth() + "x" + image.getHeight());
        }
        assertTrue(r.out().contains("Falkon-NPLM"), r.out());

        // how the converged toys stopped: the sums of expo1d's per-ensemble counts, and none for the other runs
        JsonNode conv = run(summary, "sparker-M3-converged").get("stops");
        JsonNode convResult = JSON.readTree(runs.resolve("sparker-M3-converged").resolve("result.json").toFile());
        int[] sum = new int[4];
        List<JsonNode> parts = new ArrayList<>(List.of(convResult.get("null")));
        convResult.get("signals").forEach(parts::add);
        for (JsonNode part : parts) {
            JsonNode st = part.get("stops");
            sum[0] += st.get("toys").asInt();
            sum[1] += st.get("tolerance").asInt();
            sum[2] += st.get("stalled").asInt();
            sum[3] += st.get("cap").asInt();
        }
        assertEquals(13, sum[0], "7 null + 3 + 3 signal toys");
        assertEquals(sum[0], conv.get("toys").asInt());
        assertEquals(sum[1], conv.get("tolerance").asInt());
        assertEquals(sum[2], conv.get("stalled").asInt());
        assertEquals(sum[3], conv.get("cap").asInt());
        assertTrue(sp.path("stops").isMissingNode() && fk.path("stops").isMissingNode(), "paper schedule and Falkon: none");
        String stopRow = String.format(java.util.Locale.ROOT, "| 3 | DOUBLE | 13 | %d | %d | %d (6) |", sum[1], sum[2], sum[3]);
        assertTrue(table.contains("## How the converged schedule's toys stopped") && table.contains(stopRow),
                stopRow + " in\n" + table);
    }

    @Test
    void oneRunFolderOnItsOwnIsSummarisedIntoItselfAndRunsOfOtherSizesStayApart() throws IOException {
        // a Falkon-NPLM run at another N_R beside the small study: same model and M, another line in the figures
        Path runs2 = dir.resolve("runs2");
        try (Stream<Path> files = Files.list(runs.resolve("falkon-M3"))) {
            Files.createDirectories(runs2.resolve("falkon-M3"));
            for (Path f : files.toList()) {
                Files.copy(f, runs2.resolve("falkon-M3").resolve(f.getFileName()));
            }
        }
        CliRun other = CliRun.of("expo1d", "--model", "falkon", "--kernels", "3", "--reference-size", "3000",
                "--signal", "tail", "--null-toys", "5", "--toys", "3", "--ideal-toys", "200", "--seed", "5",
                "--no-plots", "--out", runs2.resolve("falkon-M3-nr3000").toString());
        assertEquals(0, other.code(), other.err());
        CliRun r = CliRun.of("paper-summary", "--runs", runs2.toString(), "--ideal-toys", "200");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(runs2.resolve("figure1.png")), "without --out the summary goes into --runs");
        JsonNode summary = JSON.readTree(runs2.resolve("summary.json").toFile());
        assertEquals(2, summary.get("runs").size());
        assertTrue(r.out().contains("Falkon-NPLM (N_R = 3000)"), r.out());

        CliRun one = CliRun.of("paper-summary", "--runs", runs2.resolve("falkon-M3-nr3000").toString(), "--ideal-toys",
                "200", "--no-plots");
        assertEquals(0, one.code(), one.err());
        assertEquals(1, JSON.readTree(runs2.resolve("falkon-M3-nr3000/summary.json").toFile()).get("runs").size());
    }

    @Test
    void refusesAFolderThatMixesConfigurations() throws IOException {
        Path mixed = dir.resolve("mixed");
        Path folder = mixed.resolve("sparker-M3-paper");
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(runs.resolve("sparker-M3-paper"))) {
            for (Path f : files.toList()) {
                Files.copy(f, folder.resolve(f.getFileName()));
            }
        }
        Path nullFile;
        try (var ds = Files.newDirectoryStream(folder, "null-M3-*.jsonl")) {
            nullFile = ds.iterator().next();
        }
        Files.copy(nullFile, folder.resolve("null-M3-0123456789abcdef.jsonl"));
        CliRun r = CliRun.of("paper-summary", "--runs", mixed.toString(), "--out", dir.resolve("mixed-out").toString(),
                "--ideal-toys", "200", "--no-plots");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("sparker-M3-paper") && r.err().contains("one configuration"), r.err());
    }

    @Test
    void reportsARunWhoseFirstCallHasNotFinished() throws IOException {
        Path partial = dir.resolve("partial");
        Files.createDirectories(partial.resolve("sparker-M50-paper"));
        Files.writeString(partial.resolve("sparker-M50-paper/null-M50-0123456789abcdef.jsonl"), "");
        try (Stream<Path> files = Files.list(runs.resolve("falkon-M3"))) {
            Files.createDirectories(partial.resolve("falkon-M3"));
            for (Path f : files.toList()) {
                Files.copy(f, partial.resolve("falkon-M3").resolve(f.getFileName()));
            }
        }
        CliRun r = CliRun.of("paper-summary", "--runs", partial.toString(), "--out", dir.resolve("partial-out").toString(),
                "--ideal-toys", "200", "--no-plots");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("skipped sparker-M50-paper"), r.out());
        CliRun only = CliRun.of("paper-summary", "--runs", partial.resolve("sparker-M50-paper").toString(),
                "--ideal-toys", "200", "--no-plots");
        assertEquals(1, only.code(), only.out());
        assertTrue(only.err().contains("no run can be summarised yet"), only.err());
        assertEquals(1, JSON.readTree(dir.resolve("partial-out/summary.json").toFile()).get("runs").size());
    }

    @Test
    void aRunStillGrowingIsSummarisedFromItsSettingsFile() throws IOException {
        // every expo1d call writes its settings before its first toy; they are result.json's head
        for (String[] f : new String[][] {{"sparker-M3-paper", "run-settings.json", "result.json"},
                {"falkon-M3", "falkon-run-settings.json", "result-falkon.json"}}) {
            JsonNode settings = JSON.readTree(runs.resolve(f[0]).resolve(f[1]).toFile());
            JsonNode result = JSON.readTree(runs.resolve(f[0]).resolve(f[2]).toFile());
            for (String field : new String[] {"model", "settings", "trainingConfig", "falkonConfig", "engine"}) {
                assertEquals(result.get(field), settings.get(field), f[1] + " " + field);
            }
            assertTrue(settings.get("null") == null && settings.get("signals") == null, "no results in " + f[1]);
        }
        // a run whose first call was stopped: toys and the settings file, no result.json
        Path growing = dir.resolve("growing/sparker-M3-paper");
        Files.createDirectories(growing);
        try (Stream<Path> files = Files.list(runs.resolve("sparker-M3-paper"))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".jsonl")) {
                    List<String> rows = Files.readAllLines(f);
                    Files.write(growing.resolve(name), rows.subList(0, name.startsWith("null") ? 5 : 2));
                } else if (name.equals("run-settings.json")) {
                    Files.copy(f, growing.resolve(name));
                }
            }
        }
        // a result file left there by another configuration (4 epochs) is not what the settings are read from
        Files.copy(runs.resolve("sparker-M3-paper4/result.json"), growing.resolve("result.json"));
        CliRun r = CliRun.of("paper-summary", "--runs", growing.getParent().toString(), "--out",
                dir.resolve("growing-out").toString(), "--ideal-toys", "200", "--no-plots");
        assertEquals(0, r.code(), r.err());
        JsonNode sp = run(JSON.readTree(dir.resolve("growing-out/summary.json").toFile()), "sparker-M3-paper");
        assertEquals(2000, sp.get("referenceSize").asInt());
        assertEquals(2, sp.get("epochs").asInt(), "the settings of this ensemble, not the stale result file's");
        assertEquals(5, sp.get("nullToys").asInt());
        assertEquals(median(tColumn(growing, "null-M3-*.jsonl")), sp.get("nullMedianT").asDouble(), 1e-12);
        assertEquals(2, signal(sp, "tail").get("toys").asInt());
        assertEquals(median(tColumn(growing, "signal-tail-M3-*.jsonl")), signal(sp, "tail").get("medianT").asDouble(), 1e-12);

        // a run that has just started (settings, fewer than 3 null toys) is reported, and the others summarised
        Path started = dir.resolve("growing/sparker-M3-started");
        Files.createDirectories(started);
        try (Stream<Path> files = Files.list(growing)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("null-")) {
                    Files.write(started.resolve(name), Files.readAllLines(f).subList(0, 2));
                } else if (name.equals("run-settings.json")) {
                    Files.copy(f, started.resolve(name));
                }
            }
        }
        CliRun again = CliRun.of("paper-summary", "--runs", growing.getParent().toString(), "--out",
                dir.resolve("growing-out2").toString(), "--ideal-toys", "200", "--no-plots");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("skipped sparker-M3-started: 2 null toys so far"), again.out());
        assertEquals(1, JSON.readTree(dir.resolve("growing-out2/summary.json").toFile()).get("runs").size());
    }

    @Test
    void refusesAnEmptyFolder() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        CliRun r = CliRun.of("paper-summary", "--runs", dir.resolve("empty").toString(), "--out",
                dir.resolve("empty-out").toString(), "--no-plots");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("holds no run folder"), r.err());
    }
}
