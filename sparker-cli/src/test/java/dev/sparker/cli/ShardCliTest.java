package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --shard K/N} and {@code ./sparker merge}: shards merged give what one process gives. */
class ShardCliTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fields that hold wall times (or are made of them): the only ones a merge may change. */
    private static final Set<String> TIMES = Set.of("wallSeconds", "wallSecondsTotal", "secondsPerToy",
            "wallSecondsByModel");

    private static String[] expo1d(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("expo1d", "--signal", "tail", "--kernels", "3", "--reference-size", "1000",
                "--null-toys", "5", "--toys", "3", "--epochs", "3", "--steps", "8", "--ideal-toys", "200", "--engine", "scalar",
                "--threads", "2", "--no-plots", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** The JSON without wall-time fields, for comparing two runs' numbers. */
    private static JsonNode withoutTimes(JsonNode n) {
        if (n instanceof ObjectNode o) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!TIMES.contains(e.getKey())) {
                    copy.set(e.getKey(), withoutTimes(e.getValue()));
                }
            }
            return copy;
        }
        if (n instanceof ArrayNode a) {
            ArrayNode copy = JSON.createArrayNode();
            a.forEach(x -> copy.add(withoutTimes(x)));
            return copy;
        }
        return n;
    }

    private static List<Path> jsonl(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /** Every ensemble file of {@code merged} holds, toy by toy, the numbers of the same file of {@code single}. */
    private static void sameRows(Path single, Path merged) throws IOException {
        List<Path> files = jsonl(single);
        assertFalse(files.isEmpty());
        assertEquals(files.stream().map(Path::getFileName).toList(),
                jsonl(merged).stream().map(Path::getFileName).toList(), "the same ensemble files");
        for (Path f : files) {
            TreeMap<Integer, ToyRow> a = ToyEnsemble.readRows(f, null);
            TreeMap<Integer, ToyRow> b = ToyEnsemble.readRows(merged.resolve(f.getFileName()), null);
            assertEquals(a.keySet(), b.keySet(), f.getFileName().toString());
            for (int i : a.keySet()) {
                // ToyRow's equality compares t and the lowest loss with Double.compare: bit for bit
                assertEquals(a.get(i).withoutTime(), b.get(i).withoutTime(), f.getFileName() + " toy " + i);
            }
        }
    }

    @Test
    void expo1dShardsMergedGiveTheSingleProcessResult() throws IOException {
        Path single = dir.resolve("single");
        CliRun one = CliRun.of(expo1d(single));
        assertEquals(0, one.code(), one.err());

        List<String> folders = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            Path s = dir.resolve("shard-" + k);
            CliRun r = CliRun.of(expo1d(s, "--shard", k + "/3"));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("shard " + k + "/3") && r.out().contains("./sparker merge"), r.out());
            assertFalse(Files.exists(s.resolve("result.json")), "a shard does not analyse");
            assertTrue(Files.exists(s.resolve("shard-" + k + "-of-3.json")));
            folders.add(s.toString());
        }
        Path merged = dir.resolve("merged");
        List<String> args = new ArrayList<>(List.of("merge", "--out", merged.toString()));
        args.addAll(folders);
        CliRun m = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, m.code(), m.out() + m.err());
        assertTrue(m.out().contains("found 3 (all)"), m.out());

        sameRows(single, merged);
        JsonNode a = JSON.readTree(single.resolve("result.json").toFile());
        JsonNode b = JSON.readTree(merged.resolve("result.json").toFile());
        assertEquals(withoutTimes(a), withoutTimes(b), "result.json apart from wall times");

        // merging again (resumable) keeps the same rows and result
        CliRun again = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, again.code(), again.err());
        sameRows(single, merged);
    }

    @Test
    void compareShardsOfBothModelsMergedGiveTheSingleProcessResult() throws IOException {
        List<String> base = List.of("compare", "--kernels", "3", "--models", "sparker,falkon", "--signal", "tail", "--toys", "2",
                "--null-toys", "3", "--toys-at", "falkon:3=3/4", "--reference-size", "800", "--epochs", "2", "--steps", "5",
                "--engine", "scalar", "--threads", "2", "--no-plots");
        List<String> one = new ArrayList<>(base);
        one.addAll(List.of("--out", dir.resolve("single").toString()));
        CliRun s = CliRun.of(one.toArray(String[]::new));
        assertEquals(0, s.code(), s.err());
        List<String> merge = new ArrayList<>(List.of("merge", "--out", dir.resolve("merged").toString()));
        for (int k = 1; k <= 2; k++) {
            List<String> a = new ArrayList<>(base);
            a.addAll(List.of("--shard", k + "/2", "--out", dir.resolve("c" + k).toString()));
            CliRun r = CliRun.of(a.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("of 4 ensemble(s)"), "null and tail for each model: " + r.out());
            merge.add(dir.resolve("c" + k).toString());
        }
        CliRun m = CliRun.of(merge.toArray(String[]::new));
        assertEquals(0, m.code(), m.out() + m.err());
        sameRows(dir.resolve("single"), dir.resolve("merged"));
        assertEquals(withoutTimes(JSON.readTree(dir.resolve("single/compare.json").toFile())),
                withoutTimes(JSON.readTree(dir.resolve("merged/compare.json").toFile())));
    }

    @Test
    void mergeReportsMissingShardsAndRefusesAnotherConfiguration() throws IOException {
        Path s1 = dir.resolve("s1");
        Path s2 = dir.resolve("s2");
        assertEquals(0, CliRun.of(expo1d(s1, "--shard", "1/2")).code());
        CliRun lonely = CliRun.of("merge", "--out", dir.resolve("m").toString(), s1.toString());
        assertEquals(1, lonely.code(), lonely.out() + lonely.err());
        // shard 2 of 2 holds the odd toys: 1, 3 of the null toys (5) and toy 1 of the signal toys (3)
        assertTrue(lonely.out().contains("missing [2]"), lonely.out());
        assertTrue(lonely.out().contains("missing 1, 3 (shards 2)"), lonely.out());
        assertTrue(lonely.err().contains("toys are missing"), lonely.err());
        assertFalse(Files.exists(dir.resolve("m/result.json")));

        // shard 2 run with another learning rate: another configuration, refused with one line
        assertEquals(0, CliRun.of(expo1d(s2, "--shard", "2/2", "--lr", "0.04")).code());
        CliRun foreign = CliRun.of("merge", "--out", dir.resolve("m").toString(), s1.toString(), s2.toString());
        assertEquals(1, foreign.code(), foreign.out() + foreign.err());
        assertTrue(foreign.err().startsWith("sparker: ") && foreign.err().contains("belongs to another run"), foreign.err());
        assertEquals(1, foreign.err().strip().lines().count(), foreign.err());

        // a folder that is no shard output
        CliRun none = CliRun.of("merge", "--out", dir.resolve("m").toString(), dir.resolve("m").toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("holds no shard manifest"), none.err());

        CliRun bad = CliRun.of(expo1d(dir.resolve("x"), "--shard", "3/2"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("the shard number runs from 1 to 2"), bad.err());
    }

    @Test
    void testCommandNullToysShardedAndMergedGiveTheSingleProcessResult() throws IOException {
        Random rng = new Random(5);
        StringBuilder ref = new StringBuilder("x,y\n");
        for (int i = 0; i < 1500; i++) {
            ref.append(rng.nextGaussian()).append(',').append(rng.nextGaussian() * 2).append('\n');
        }
        StringBuilder dat = new StringBuilder("x,y\n");
        for (int i = 0; i < 150; i++) {
            dat.append(rng.nextGaussian() + (i < 20 ? 1.5 : 0)).append(',').append(rng.nextGaussian() * 2).append('\n');
        }
        Path r = dir.resolve("ref.csv");
        Path d = dir.resolve("data.csv");
        Files.writeString(r, ref);
        Files.writeString(d, dat);
        List<String> base = List.of("test", "--reference", r.toString(), "--data", d.toString(), "--preset", "expo-1d",
                "--kernels", "3", "--epochs", "3", "--steps", "5", "--lr", "0.05", "--null-toys", "5", "--engine", "scalar",
                "--threads", "2", "--no-plots");
        Path single = dir.resolve("single");
        List<String> one = new ArrayList<>(base);
        one.addAll(List.of("--out", single.toString()));
        CliRun s = CliRun.of(one.toArray(String[]::new));
        assertEquals(0, s.code(), s.err());

        List<String> merge = new ArrayList<>(List.of("merge", "--out", dir.resolve("merged").toString()));
        for (int k = 1; k <= 2; k++) {
            List<String> a = new ArrayList<>(base);
            a.addAll(List.of("--out", dir.resolve("t" + k).toString(), "--shard", k + "/2"));
            CliRun r1 = CliRun.of(a.toArray(String[]::new));
            assertEquals(0, r1.code(), r1.err());
            assertFalse(r1.out().contains("t = "), "a shard trains no observed data: " + r1.out());
            merge.add(dir.resolve("t" + k).toString());
        }
        CliRun m = CliRun.of(merge.toArray(String[]::new));
        assertEquals(0, m.code(), m.out() + m.err());
        sameRows(single, dir.resolve("merged"));
        assertEquals(withoutTimes(JSON.readTree(single.resolve("result.json").toFile())),
                withoutTimes(JSON.readTree(dir.resolve("merged/result.json").toFile())));

        List<String> noToys = new ArrayList<>(base.subList(0, base.indexOf("--null-toys")));
        noToys.addAll(List.of("--shard", "1/2", "--out", dir.resolve("z").toString()));
        CliRun bad = CliRun.of(noToys.toArray(String[]::new));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--shard splits the null toys"), bad.err());
    }
}
