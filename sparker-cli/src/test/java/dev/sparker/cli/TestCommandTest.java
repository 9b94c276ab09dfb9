package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.io.CsvWriter;
import dev.sparker.io.NpyWriter;
import dev.sparker.io.ReadOptions;
import dev.sparker.io.SampleReaders;
import dev.sparker.io.SampleTable;
import dev.sparker.io.gw.Gw12dStandIn;
import dev.sparker.model.Samples;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sparker test} and {@code ./sparker gw12d-standin}, run in-process. */
class TestCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static final int N_R = 4000;
    private static final int N_D = 400;
    private static final int SIGNAL = 40;

    /**
     * Three columns (a, b, c): a and b standard normal with means (1, 5) and deviations (2, 0.5), c a noise
     * column the tests leave out with --features a,b. With {@code signal > 0}, that many events are replaced
     * by a narrow bump at (a, b) = (5, 6), two standard deviations out in both features.
     */
    private static Samples sample(int n, int signal, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            boolean s = i < signal;
            double a = s ? 5 + 0.3 * r.nextGaussian() : 1 + 2 * r.nextGaussian();
            double b = s ? 6 + 0.1 * r.nextGaussian() : 5 + 0.5 * r.nextGaussian();
            x[i] = new double[] {a, b, r.nextGaussian()};
        }
        return Samples.of(x, 1.0);
    }

    private static final String[] FAST = {"--preset", "gw-12d", "--kernels", "5", "--epochs", "20", "--steps", "10",
            "--engine", "scalar", "--threads", "2", "--seed", "3"};

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("test"));
        a.addAll(List.of(FAST));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void csvInputsGiveEveryResultFieldAndThePlots() throws IOException {
        Samples ref = sample(N_R, 0, 11);
        Path refCsv = dir.resolve("reference.csv");
        Path dataCsv = dir.resolve("data.csv");
        CsvWriter.write(refCsv, ref, List.of("a", "b", "c"), null);
        CsvWriter.write(dataCsv, sample(N_D, SIGNAL, 12), List.of("a", "b", "c"), null);
        Path out = dir.resolve("out");
        CliRun r = run(args("--reference", refCsv.toString(), "--data", dataCsv.toString(), "--features", "a,b",
                "--null-toys", "15", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("t = ") && r.out().contains("p empirical = "), r.out());

        JsonNode j = json(out.resolve("result.json"));
        for (String f : new String[] {"t", "pEmpirical", "zEmpirical", "pChiSquare", "zChiSquare", "dof", "sigma",
                "pNormal", "zNormal", "chiSquareFitKsP", "normalFitKsP"}) {
            assertTrue(j.get(f).isNumber(), f + " in " + j);
        }
        // the normal approximation: (t - mean) / sd of the null toys, recomputed here from the stored toys
        double[] toysT = new double[j.at("/null/t").size()];
        for (int i = 0; i < toysT.length; i++) {
            toysT[i] = j.at("/null/t").get(i).asDouble();
        }
        double nullMean = java.util.Arrays.stream(toysT).average().orElseThrow();
        double nullSd = Math.sqrt(java.util.Arrays.stream(toysT).map(x -> (x - nullMean) * (x - nullMean)).sum() / (toysT.length - 1));
        assertEquals((j.get("t").asDouble() - nullMean) / nullSd, j.get("zNormal").asDouble(), 1e-9);
        double p = j.get("pEmpirical").asDouble();
        assertTrue(p > 0 && p <= 1, "p = " + p);
        assertEquals(15, j.at("/null/t").size());
        assertEquals(15, j.at("/null/toys").asInt());
        assertTrue(j.at("/null/chiSquareFit/dof").isNumber());
        assertEquals("gw-12d", j.at("/settings/preset").asText());
        assertEquals(5, j.at("/configuration/kernels").asInt());
        assertEquals(20, j.at("/configuration/epochs").asInt());
        assertEquals(N_R, j.at("/inputs/reference/events").asInt());
        assertEquals(N_D, j.at("/inputs/data/events").asInt());
        // the reference is weighted to predict the data's N_D events
        assertEquals(N_D, j.at("/inputs/reference/totalWeight").asDouble(), 1e-9 * N_D);
        assertTrue(j.at("/wallSeconds/total").asDouble() > 0);
        assertEquals(List.of("a", "b"), List.of(j.at("/standardisation/featureNames/0").asText(),
                j.at("/standardisation/featureNames/1").asText()));
        assertTrue(j.at("/standardisation/applied").asBoolean());

        // standardisation: the reference's own (population) mean and deviation of each selected column
        for (int f = 0; f < 2; f++) {
            double m = 0;
            for (int i = 0; i < N_R; i++) {
                m += ref.coordinate(i, f);
            }
            m /= N_R;
            double v = 0;
            for (int i = 0; i < N_R; i++) {
                v += (ref.coordinate(i, f) - m) * (ref.coordinate(i, f) - m);
            }
            double sd = Math.sqrt(v / N_R);
            // CSV holds the values to the writer's precision; 1e-9 relative is far looser than that
            assertEquals(m, j.at("/standardisation/means/" + f).asDouble(), 1e-9 * Math.max(1, Math.abs(m)));
            assertEquals(sd, j.at("/standardisation/stds/" + f).asDouble(), 1e-9 * sd);
        }
        // kernels in both unit systems: original = mean + sd * standardised, coefficients unchanged
        JsonNode ks = j.at("/kernels/standardised");
        JsonNode ko = j.at("/kernels/original");
        assertEquals(5, ks.get("locations").size());
        assertEquals(5, ko.get("locations").size());
        for (int i = 0; i < 5; i++) {
            assertEquals(ks.get("coefficients").get(i).asDouble(), ko.get("coefficients").get(i).asDouble(), 0.0);
            for (int f = 0; f < 2; f++) {
                double z = ks.get("locations").get(i).get(f).asDouble();
                double x = j.at("/standardisation/means/" + f).asDouble() + j.at("/standardisation/stds/" + f).asDouble() * z;
                assertEquals(x, ko.get("locations").get(i).get(f).asDouble(), 1e-12 * Math.max(1, Math.abs(x)));
            }
        }
        assertEquals(j.get("sigma").asDouble() * j.at("/standardisation/stds/1").asDouble(),
                ko.at("/sigmaPerFeature/1").asDouble(), 1e-12);

        List<String> plots = List.of("feature-00-a.png", "feature-01-b.png", TestPlots.KERNEL_FILE, TestPlots.TRAINING_FILE,
                TestPlots.NULL_FILE);
        assertEquals(plots.size(), j.get("plots").size());
        for (String png : plots) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 100, png);
        }
        Path rows = out.resolve(j.at("/null/rows").asText());
        assertEquals(15, Files.readAllLines(rows).size());

        // a second run into the same folder finds every toy done and gives the same numbers
        CliRun again = run(args("--reference", refCsv.toString(), "--data", dataCsv.toString(), "--features", "a,b",
                "--null-toys", "15", "--no-plots", "--out", out.toString()));
        assertEquals(0, again.code(), again.err());
        JsonNode k = json(out.resolve("result.json"));
        assertEquals(j.get("t").asDouble(), k.get("t").asDouble(), 0.0);
        assertEquals(j.at("/null/t"), k.at("/null/t"));
        assertEquals(15, Files.readAllLines(rows).size());
    }

    /**
     * The same reference and null toys (seeded), data with and without the injected bump, as .npy files.
     * Observed (scalar engine, two threads; the same bits on any machine): 15 null toys with median t = 3.77
     * and fitted dof = 4.16; without the signal t = 4.296, p = 7/16 = 0.4375 (chi-square p = 0.39); with it
     * t = 90.20, p = 1/16 = 0.0625, the smallest 15 toys can give (chi-square p = 1.6e-18, Z = 8.7).
     */
    @Test
    void npyDataWithAnInjectedSignalGetASmallerPValue() throws IOException {
        Path refNpy = dir.resolve("reference.npy");
        NpyWriter.write(refNpy, sample(N_R, 0, 21));
        Path plain = dir.resolve("data.npy");
        Path withSignal = dir.resolve("data_signal.npy");
        NpyWriter.write(plain, sample(N_D, 0, 23));
        NpyWriter.write(withSignal, sample(N_D, SIGNAL, 23));
        double[] p = new double[2];
        double[] t = new double[2];
        Path[] files = {plain, withSignal};
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("out" + k);
            CliRun r = run(args("--reference", refNpy.toString(), "--data", files[k].toString(), "--features", "0,1",
                    "--null-toys", "15", "--no-plots", "--out", out.toString()));
            assertEquals(0, r.code(), r.err());
            JsonNode j = json(out.resolve("result.json"));
            p[k] = j.get("pEmpirical").asDouble();
            t[k] = j.get("t").asDouble();
            assertEquals(0, j.get("plots").size());
            assertEquals(List.of("x0", "x1"), List.of(j.at("/standardisation/featureNames/0").asText(),
                    j.at("/standardisation/featureNames/1").asText()));
        }
        System.out.printf("npy end-to-end: no signal t = %.4f p = %.4f; with signal t = %.4f p = %.4f%n", t[0], p[0], t[1], p[1]);
        assertTrue(t[1] > t[0], "t with signal " + t[1] + " vs without " + t[0]);
        assertTrue(p[1] < p[0], "p with signal " + p[1] + " vs without " + p[0]);
        assertEquals(1.0 / 16, p[1], 1e-12, "the signal's t beats every null toy");
    }

    @Test
    void gw12dStandinWritesTheFilesAndTestReadsTheirNames() throws IOException {
        Path gw = dir.resolve("gw");
        CliRun g = run("gw12d-standin", "--out", gw.toString(), "--reference-size", "600", "--data-size", "120",
                "--signal-events", "10", "--seed", "5");
        assertEquals(0, g.code(), g.err());
        for (String f : new String[] {"reference.npy", "data.npy", "data_signal.npy", "data_signal_truth.npy", "features.txt"}) {
            assertTrue(Files.isRegularFile(gw.resolve(f)), f);
        }
        SampleTable ref = SampleReaders.read(gw.resolve("reference.npy"), ReadOptions.defaults());
        assertEquals(600, ref.size());
        assertEquals(12, ref.dimension());
        SampleTable truth = SampleReaders.read(gw.resolve("data_signal_truth.npy"), ReadOptions.defaults());
        assertEquals(10.0, truth.samples().flatCoordinates().length == 120
                ? java.util.Arrays.stream(truth.samples().flatCoordinates()).sum() : -1, 0.0);
        Path out = dir.resolve("out");
        CliRun r = run("test", "--reference", gw.resolve("reference.npy").toString(), "--data",
                gw.resolve("data_signal.npy").toString(), "--epochs", "2", "--steps", "2", "--engine", "scalar",
                "--threads", "1", "--no-plots", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = json(out.resolve("result.json"));
        assertEquals(20, j.at("/configuration/kernels").asInt(), "gw-12d is the default preset, M = 20");
        assertTrue(j.get("pEmpirical").isNull(), "no null toys, no p");
        for (int f = 0; f < 12; f++) {
            assertEquals(Gw12dStandIn.FEATURE_NAMES.get(f), j.at("/standardisation/featureNames/" + f).asText());
        }
    }

    @Test
    void badFlagsNameTheFlag() throws IOException {
        Path ref = dir.resolve("r.csv");
        Path dat = dir.resolve("d.csv");
        CsvWriter.write(ref, sample(50, 0, 1), List.of("a", "b", "c"), null);
        CsvWriter.write(dat, sample(20, 0, 2), List.of("a", "b", "c"), null);
        Path weighted = dir.resolve("rw.csv");
        Files.writeString(weighted, "a,b,w\n1,2,0.5\n2,3,1.5\n3,1,1\n");
        String r = ref.toString();
        String d = dat.toString();
        String[][] cases = {
                {"--kernels 0", "test", "--reference", r, "--data", d, "--kernels", "0"},
                {"--null-toys 1", "test", "--reference", r, "--data", d, "--null-toys", "1"},
                {"--null-toys 2: 0 (no calibration) or at least 3", "test", "--reference", r, "--data", d, "--null-toys", "2"},
                {"--null-toys -3", "test", "--reference", r, "--data", d, "--null-toys", "-3"},
                {"'--preset': unknown preset 'nope'", "test", "--reference", r, "--data", d, "--preset", "nope"},
                {"--epochs 0", "test", "--reference", r, "--data", d, "--epochs", "0"},
                {"--steps 0", "test", "--reference", r, "--data", d, "--steps", "0"},
                {"--lr -1.0", "test", "--reference", r, "--data", d, "--lr", "-1"},
                {"--threads 0", "test", "--reference", r, "--data", d, "--threads", "0"},
                {"--reference " + dir.resolve("nope.csv") + ": no such file", "test", "--reference", dir.resolve("nope.csv").toString(), "--data", d},
                {"--data " + dir + ": not a regular file", "test", "--reference", r, "--data", dir.toString()},
                {"Missing required option: '--data=FILE'", "test", "--reference", r},
                {"--null-toys needs an unweighted reference", "test", "--reference", weighted.toString(), "--data", d,
                        "--weight-column", "w", "--features", "a,b", "--null-toys", "3"},
                {"--null-toys: the data (50 events) must be smaller", "test", "--reference", d, "--data", r, "--null-toys", "5"},
                {"--signal-events 500: between 0 and --data-size (100)", "gw12d-standin", "--data-size", "100", "--signal-events", "500",
                        "--out", dir.resolve("gw").toString()},
                {"--glitch-rate 2.0", "gw12d-standin", "--glitch-rate", "2", "--out", dir.resolve("gw").toString()},
                {"--reference-size 0", "gw12d-standin", "--reference-size", "0", "--out", dir.resolve("gw").toString()},
        };
        for (String[] c : cases) {
            String[] a = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun run = run(a);
            assertEquals(2, run.code(), String.join(" ", a) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
            assertTrue(run.err().startsWith("sparker: ") && run.err().contains(c[0]), c[0] + " in: " + run.err());
        }
        assertTrue(!Files.exists(dir.resolve("gw")), "bad flags write nothing");
    }

    @Test
    void badFileContentFailsWithTheReadersMessage() throws IOException {
        Path ref = dir.resolve("ragged.csv");
        Files.writeString(ref, "a,b\n1,2\n3\n5,6\n");
        Path dat = dir.resolve("d.csv");
        Files.writeString(dat, "a,b\n1,2\n");
        CliRun r = run("test", "--reference", ref.toString(), "--data", dat.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("sparker: ") && r.err().contains("ragged.csv"), r.err());
        Path threeCols = dir.resolve("three.csv");
        Files.writeString(threeCols, "a,b,c\n1,2,3\n4,5,6\n");
        CliRun m = run("test", "--reference", dat.toString(), "--data", threeCols.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, m.code(), m.err());
        assertTrue(m.err().contains("dimension mismatch"), m.err());
    }
}
