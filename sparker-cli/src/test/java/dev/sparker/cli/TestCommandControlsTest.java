package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controls of {@code ./sparker test} (--sigma, --width-quantile, --lambda-a, --lambda-h, --expected-events),
 * the training history and curve, the input report and notes, run in-process on small generated files.
 */
class TestCommandControlsTest {
    @TempDir
    Path dir;

    private static final String[] FAST = {"test", "--preset", "gw-12d", "--kernels", "5", "--steps", "10",
            "--engine", "scalar", "--threads", "2", "--seed", "5", "--no-plots"};

    private static CliRun run(String... more) {
        List<String> a = new ArrayList<>(List.of(FAST));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static JsonNode json(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("result.json").toFile());
    }

    /** A one-column CSV of standard normal values (header x), optionally with a weight column w. */
    private Path normalCsv(String name, int n, long seed, double weight) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(Double.isNaN(weight) ? "x\n" : "x,w\n");
        for (int i = 0; i < n; i++) {
            sb.append(String.format(Locale.ROOT, "%.9f", r.nextGaussian()));
            if (!Double.isNaN(weight)) {
                sb.append(',').append(weight);
            }
            sb.append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void statedN0SeesAPureExcessThatTheDefaultCannot() throws IOException {
        Path ref = normalCsv("ref.csv", 2000, 1, Double.NaN);
        Path data = normalCsv("data.csv", 600, 2, Double.NaN);
        String[] wide = {"--sigma", "50", "--lambda-a", "0", "--lambda-h", "0", "--epochs", "40"};
        Path outGiven = dir.resolve("given");
        CliRun given = run(concat(wide, "--reference", ref.toString(), "--data", data.toString(),
                "--expected-events", "400", "--out", outGiven.toString()));
        assertEquals(0, given.code(), given.err());
        JsonNode g = json(outGiven);
        assertEquals(400, g.at("/inputs/expectedDataEvents").asDouble(), 0.0);
        assertEquals("given (--expected-events)", g.at("/inputs/expectedDataEventsSource").asText());
        assertEquals(400, g.at("/inputs/reference/totalWeight").asDouble(), 1e-9 * 400);
        // with kernels far wider than the data, f is a constant c; L_NP = N0 (e^c - 1) - N_D c is least at
        // c = ln(N_D / N0), where t = 2 [N_D ln(N_D / N0) - (N_D - N0)] = 86.56 for N_D = 600, N0 = 400
        double tIdeal = 2 * (600 * Math.log(600.0 / 400) - 200);
        double t = g.get("t").asDouble();
        assertTrue(t > 0.9 * tIdeal && t < 1.02 * tIdeal, "t = " + t + " against " + tIdeal);
        assertEquals(50, g.get("sigma").asDouble(), 0.0);
        assertEquals(0, g.at("/configuration/lambdaA").asDouble(), 0.0);
        assertEquals(0, g.at("/configuration/lambdaH").asDouble(), 0.0);

        Path outDefault = dir.resolve("default");
        CliRun dflt = run(concat(wide, "--reference", ref.toString(), "--data", data.toString(), "--out", outDefault.toString()));
        assertEquals(0, dflt.code(), dflt.err());
        JsonNode d = json(outDefault);
        assertEquals(600, d.at("/inputs/expectedDataEvents").asDouble(), 0.0);
        assertEquals("data total weight", d.at("/inputs/expectedDataEventsSource").asText());
        assertTrue(d.get("t").asDouble() < 2, "the default N0 cannot see a pure excess: t = " + d.get("t"));
    }

    @Test
    void nullToysWithAStatedN0SeeTheExcessAsTheObservedTestDoes() throws IOException {
        // resampling toys draw Poisson(N0) pseudo-data against a reference predicting N0: a data set of 600 events
        // against N0 = 400 lies far above every toy, while one of about 400 would not
        Path ref = normalCsv("ref.csv", 2500, 11, Double.NaN);
        Path data = normalCsv("data.csv", 600, 12, Double.NaN);
        Path out = dir.resolve("toys");
        CliRun r = run("--reference", ref.toString(), "--data", data.toString(), "--sigma", "50", "--lambda-a", "0",
                "--lambda-h", "0", "--epochs", "40", "--expected-events", "400", "--null-toys", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = json(out);
        assertEquals(5, j.at("/null/t").size());
        double t = j.get("t").asDouble();
        for (JsonNode t0 : j.at("/null/t")) {
            // a toy's count is within a few sqrt(400) = 20 of 400, so its t is a few units, never near 86
            assertTrue(t0.asDouble() < 0.3 * t, "toy t " + t0 + " against observed " + t);
        }
        assertTrue(j.get("empiricalSaturated").asBoolean());
    }

    @Test
    void n0FromTheReferenceWeights() throws IOException {
        // 2000 reference events of weight 0.2: a weighted Monte Carlo reference normalised to 400 events
        Path ref = normalCsv("wref.csv", 2000, 3, 0.2);
        Path data = normalCsv("data.csv", 600, 4, Double.NaN);
        Path out = dir.resolve("w");
        CliRun r = run("--reference", ref.toString(), "--data", data.toString(), "--weight-column", "w",
                "--expected-events", "reference-weights", "--epochs", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = json(out);
        assertEquals(400, j.at("/inputs/expectedDataEvents").asDouble(), 1e-9 * 400);
        assertEquals("reference weights", j.at("/inputs/expectedDataEventsSource").asText());
        assertTrue(r.out().contains("N0 = 400.000 expected data events (reference weights)"), r.out());

        Path unweighted = normalCsv("uref.csv", 2000, 3, Double.NaN);
        CliRun bad = run("--reference", unweighted.toString(), "--data", data.toString(),
                "--expected-events", "reference-weights", "--epochs", "1", "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--expected-events reference-weights needs per-event reference weights"), bad.err());
        for (String[] wrong : new String[][] {{"--expected-events", "0"}, {"--expected-events", "lots"},
                {"--sigma", "-1"}, {"--width-quantile", "1"}, {"--lambda-a", "-1"}, {"--lambda-h", "NaN"},
                {"--sigma", "1", "--width-quantile", "0.5"}}) {
            CliRun w = run(concat(wrong, "--epochs", "1", "--reference", unweighted.toString(), "--data", data.toString(), "--out", out.toString()));
            assertEquals(2, w.code(), String.join(" ", wrong) + ": " + w.err());
            assertTrue(w.err().contains(wrong[0]), w.err());
        }
    }

    @Test
    void widthQuantileIsThatQuantileOfTheStandardisedPairwiseDistances() throws IOException {
        int n = 1500; // below the 2000-event subsample, so every pair counts
        Path ref = normalCsv("ref.csv", n, 5, Double.NaN);
        Path data = normalCsv("data.csv", 300, 6, Double.NaN);
        Path out = dir.resolve("q");
        CliRun r = run("--reference", ref.toString(), "--data", data.toString(), "--width-quantile", "0.3",
                "--epochs", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // recomputed here: standardise with the reference's population mean and deviation, all pairs, 30 % quantile
        double[] x = Files.readAllLines(ref).stream().skip(1).mapToDouble(Double::parseDouble).toArray();
        double m = Arrays.stream(x).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / n);
        double[] dist = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                dist[k++] = Math.abs(x[i] - x[j]) / sd;
            }
        }
        Arrays.sort(dist);
        double q30 = dist[(int) Math.round(0.3 * (dist.length - 1))];
        JsonNode j = json(out);
        // quantile conventions differ by at most a neighbouring pair: far inside 0.5 %
        assertEquals(q30, j.get("sigma").asDouble(), 5e-3 * q30);
        assertEquals(0.3, j.at("/settings/widthQuantile").asDouble(), 0.0);
    }

    @Test
    void historyCurveAndInputReport() throws IOException {
        Path ref = normalCsv("ref.csv", 2000, 7, Double.NaN);
        // data: 300 normal events, 30 at the sentinel -999, one at 1e200, every line ending with a delimiter
        SplittableRandom r = new SplittableRandom(8);
        StringBuilder sb = new StringBuilder("x\n");
        for (int i = 0; i < 300; i++) {
            sb.append(String.format(Locale.ROOT, "%.9f,%n", r.nextGaussian()));
        }
        sb.append("-999,\n".repeat(30)).append("1e200,\n");
        Path data = dir.resolve("data.csv");
        Files.writeString(data, sb.toString());
        Path out = dir.resolve("h");
        List<String> a = new ArrayList<>(List.of(FAST));
        a.remove("--no-plots");
        a.addAll(List.of("--reference", ref.toString(), "--data", data.toString(), "--epochs", "12", "--out", out.toString()));
        CliRun run = CliRun.of(a.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        JsonNode j = json(out);
        JsonNode h = j.get("history");
        assertEquals(12, h.get("epochs").asInt());
        for (String f : new String[] {"npLoss", "coefficientPenalty", "locationEntropy"}) {
            assertEquals(12, h.get(f).size(), f);
        }
        assertEquals(j.get("finalLoss").asDouble(), h.get("npLoss").get(11).asDouble(), 0.0);
        assertEquals(j.get("t").asDouble(), -2 * h.get("npLoss").get(11).asDouble(), 1e-12 * Math.abs(j.get("t").asDouble()));
        BufferedImage curve = ImageIO.read(out.resolve("training-curve.png").toFile());
        assertTrue(curve.getWidth() > 100 && curve.getHeight() > 3 * 100);
        assertTrue(j.get("plots").toString().contains("training-curve.png"));

        JsonNode x = j.at("/inputs/dataOutsideReference/0");
        assertEquals("x", x.get("feature").asText());
        assertEquals(30, x.get("below").asInt());
        assertEquals(1, x.get("above").asInt());
        assertEquals(-999, x.at("/repeatedValues/0/value").asDouble(), 0.0);
        assertEquals(30, x.at("/repeatedValues/0/dataCount").asInt());
        assertTrue(run.out().contains("check data, feature x: 30 of 331 events below the reference's lowest value"), run.out());
        assertTrue(run.out().contains("1 of 331 events above"), run.out());
        assertEquals(1, count(run.out(), "ends with a delimiter"), run.out());
        assertEquals(1, j.at("/inputs/notes/data").size());
    }

    @Test
    void decimalCommaFilesThroughTheCommandLine() throws IOException {
        SplittableRandom r = new SplittableRandom(9);
        StringBuilder ref = new StringBuilder();
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            ref.append(String.format(Locale.ROOT, "%.6f%n", -Math.log(1 - r.nextDouble())).replace('.', ','));
        }
        for (int i = 0; i < 200; i++) {
            data.append(String.format(Locale.ROOT, "%.6f%n", -Math.log(1 - r.nextDouble())).replace('.', ','));
        }
        Path rf = dir.resolve("ref.csv");
        Path df = dir.resolve("data.csv");
        Files.writeString(rf, ref.toString());
        Files.writeString(df, data.toString());
        Path out = dir.resolve("dc");
        CliRun refused = run("--reference", rf.toString(), "--data", df.toString(), "--epochs", "1", "--out", out.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("decimal comma") && refused.err().contains("--decimal-comma"), refused.err());
        CliRun read = run("--reference", rf.toString(), "--data", df.toString(), "--decimal-comma", "--epochs", "1",
                "--out", out.toString());
        assertEquals(0, read.code(), read.err());
        assertEquals(1, json(out).at("/kernels/dimension").asInt());
        assertEquals(200, json(out).at("/inputs/data/events").asInt());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
