package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.falkon.FalkonConfig;
import dev.sparker.falkon.FalkonNplm;
import dev.sparker.train.WidthSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expo1d --model falkon} and {@code compare}, run in-process on tiny problems. */
class CompareCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Every .jsonl file of a folder, by name, with its text. */
    private static Map<String, String> ensembleFiles(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return files;
    }

    /** The rows of the one .jsonl file whose name starts with {@code prefix}. */
    private static List<JsonNode> rows(Path folder, String prefix) throws IOException {
        List<String> names = ensembleFiles(folder).keySet().stream().filter(n -> n.startsWith(prefix)).toList();
        assertEquals(1, names.size(), "one file " + prefix + "*: " + names);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve(names.getFirst()))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void falkonExpo1dRecordsDofAndTimeAndRunsTheSameToysAsSparker() throws IOException {
        String[] common = {"expo1d", "--signal", "tail", "--kernels", "10", "--reference-size", "5000", "--null-toys", "4",
                "--toys", "2", "--ideal-toys", "50", "--threads", "2", "--no-plots", "--seed", "7", "--out", dir.toString()};
        CliRun falkon = run(concat(common, "--model", "falkon", "--lambda", "1e-6"));
        assertEquals(0, falkon.code(), falkon.err());
        assertTrue(falkon.out().contains("Falkon-NPLM"), falkon.out());
        CliRun sparker = run(concat(common, "--epochs", "5", "--steps", "10", "--engine", "scalar"));
        assertEquals(0, sparker.code(), sparker.err());

        // both result files, neither overwriting the other
        JsonNode f = JSON.readTree(dir.resolve("result-falkon.json").toFile());
        JsonNode s = JSON.readTree(dir.resolve("result.json").toFile());
        assertEquals("falkon", f.at("/model").asText());
        assertEquals("sparker", s.at("/model").asText());
        assertEquals(1e-6, f.at("/settings/lambda").asDouble(), 0);
        assertEquals(1, f.at("/settings/newtonSteps").asInt());
        assertEquals(4, f.at("/null/toys").asInt());
        assertTrue(f.at("/null/fittedDof").asDouble() > 0, "fitted dof");
        assertEquals(f.at("/null/chiSquareFit/dof").asDouble(), f.at("/null/fittedDof").asDouble(), 0);
        assertTrue(f.at("/null/secondsPerToy").asDouble() > 0 && f.at("/signals/0/secondsPerToy").asDouble() > 0, f.toString());
        assertEquals(s.at("/settings/sigmas/0").asDouble(), f.at("/settings/sigmas/0").asDouble(), 0, "same sigma rule, same value");

        // the same toys: the same seed at every index, in separate files with different configuration hashes
        for (String part : new String[] {"null-", "signal-tail-"}) {
            List<JsonNode> fr = rows(dir, "falkon-" + part);
            List<JsonNode> sr = rows(dir, part);
            assertEquals(part.equals("null-") ? 4 : 2, fr.size());
            assertEquals(fr.size(), sr.size());
            for (int i = 0; i < fr.size(); i++) {
                assertEquals(i, fr.get(i).get("index").asInt());
                assertEquals(sr.get(i).get("seed").asLong(), fr.get(i).get("seed").asLong(), part + i);
            }
            assertNotEquals(sr.getFirst().get("configHash").asText(), fr.getFirst().get("configHash").asText());
        }

        // a falkon row's t is Falkon-NPLM on Expo1d.dataToy of the row's seed (bit for bit: one thread, same seed)
        JsonNode row = rows(dir, "falkon-signal-tail-").get(1);
        long seed = row.get("seed").asLong();
        double sigma = f.at("/settings/sigmas/0").asDouble();
        FalkonConfig cfg = FalkonConfig.defaults(10, 1e-6).toBuilder().width(WidthSpec.fixed(sigma)).seed(seed).build();
        double t = FalkonNplm.test(Expo1d.reference(5000, 7), Expo1d.dataToy(Expo1dSignal.TAIL, seed), cfg).t();
        assertEquals(t, row.get("t").asDouble(), 0);
    }

    @Test
    void compareWritesBothModelsAtEveryMAndResumesWithoutNewToys() throws IOException {
        String[] args = {"compare", "--kernels", "3,10", "--signal", "bulk", "--toys", "3", "--null-toys", "4",
                "--toys-at", "falkon:10=2/5", "--epochs", "3", "--steps", "5", "--reference-size", "3000",
                "--engine", "scalar", "--threads", "2", "--out", dir.toString()};
        CliRun first = run(args);
        assertEquals(0, first.code(), first.err());
        String md = Files.readString(dir.resolve("compare.md"));
        for (String model : new String[] {"sparker", "falkon"}) {
            for (String m : new String[] {"3", "10"}) {
                for (String sig : new String[] {"null", "bulk"}) {
                    assertTrue(md.contains("| " + model + " | " + m + " | " + sig + " | "), model + " M=" + m + " " + sig + "\n" + md);
                }
            }
        }
        assertTrue(first.out().contains("wall time of each part"), first.out());
        JsonNode json = JSON.readTree(dir.resolve("compare.json").toFile());
        assertEquals(8, json.get("rows").size(), "2 models x 2 M x (null + bulk)");
        for (JsonNode r : json.get("rows")) {
            boolean override = r.get("model").asText().equals("falkon") && r.get("kernels").asInt() == 10;
            boolean isNull = r.get("signal").asText().equals("null");
            assertEquals(override ? (isNull ? 5 : 2) : (isNull ? 4 : 3), r.get("toys").asInt(), r.toString());
            assertTrue(r.get("dof").asDouble() > 0 && r.get("secondsPerToy").asDouble() > 0, r.toString());
            if (!isNull) {
                assertTrue(r.at("/sensitivity/zAsymptotic").isNumber(), r.toString());
            }
        }
        BufferedImage img = ImageIO.read(dir.resolve("median-z-vs-m.png").toFile());
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);

        // the same toys for both models at the same M
        List<JsonNode> sparkerNull = rows(dir, "null-M3-");
        List<JsonNode> falkonNull = rows(dir, "falkon-null-M3-");
        for (int i = 0; i < 4; i++) {
            assertEquals(sparkerNull.get(i).get("seed").asLong(), falkonNull.get(i).get("seed").asLong());
        }

        // a rerun finds every toy done: the files are unchanged and no part ran
        Map<String, String> before = ensembleFiles(dir);
        assertEquals(8, before.size());
        CliRun again = run(args);
        assertEquals(0, again.code(), again.err());
        assertEquals(before, ensembleFiles(dir));
        JsonNode json2 = JSON.readTree(dir.resolve("compare.json").toFile());
        for (JsonNode p : json2.get("parts")) {
            assertEquals(0.0, p.get("wallSeconds").asDouble(), 0, p.toString());
        }
        assertEquals(json.get("rows").toString().replaceAll("\"wallSeconds\":[^,}]*", ""),
                json2.get("rows").toString().replaceAll("\"wallSeconds\":[^,}]*", ""));
    }

    @Test
    void badFlagsNameTheProblem() {
        String[][] cases = {
                {"expo1d", "--model", "foo"}, {"unknown model 'foo'"},
                {"expo1d", "--model", "falkon", "--lambda", "0"}, {"--lambda 0.0: must be finite and > 0"},
                {"expo1d", "--model", "falkon", "--newton-steps", "0"}, {"--newton-steps 0: at least 1"},
                {"expo1d", "--lambda", "1e-3"}, {"--lambda applies to --model falkon only"},
                {"expo1d", "--model", "falkon", "--kernels", "0"}, {"--kernels 0: at least 1"},
                {"compare", "--kernels", "10,0"}, {"--kernels 0: at least 1"},
                {"compare", "--models", "sparker,foo"}, {"unknown model 'foo'"},
                {"compare", "--lambda", "-1"}, {"--lambda -1.0: must be finite and > 0"},
                {"compare", "--toys-at", "falkon=3"}, {"expected MODEL:M=TOYS[/NULL_TOYS]"},
                {"compare", "--toys-at", "falkon:77=3"}, {"falkon at M = 77 is not part of this run"},
                {"compare", "--signal", "none"}, {"the null toys always run"},
        };
        for (int c = 0; c < cases.length; c += 2) {
            CliRun r = run(cases[c]);
            String what = String.join(" ", cases[c]);
            assertEquals(2, r.code(), what);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("sparker: ") && r.err().contains(cases[c + 1][0]), what + " -> " + r.err());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
