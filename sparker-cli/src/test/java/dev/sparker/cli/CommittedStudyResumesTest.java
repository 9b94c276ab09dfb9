package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EXPO-1D study committed under {@code docs/study/M10} was written while {@code TrainingConfig} still
 * held the engine name, precision and threads. Rerunning its command on a copy of the folder must find every
 * ensemble file under the same configuration hash (so no toy trains again: the files stay byte for byte) and
 * write the same numbers into {@code result.json}: every field the committed file has, except wall times, the
 * engine's selection reason and the ideal test (its toys are drawn apart from the ensembles and are few here,
 * to keep the test short). Fields added to the result since the study was committed are not compared.
 */
class CommittedStudyResumesTest {
    private static final Path STUDY = Path.of("..", "docs", "study", "M10");

    @TempDir
    Path dir;

    @Test
    void committedM10StudyResumesWithTheSameHashesAndNumbers() throws IOException {
        List<Path> committed;
        try (Stream<Path> files = Files.list(STUDY)) {
            committed = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertEquals(5, committed.size(), "the committed study has a null and four signal ensembles");
        for (Path p : committed) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        // the study's own command (docs/study/run-study.sh), without plots; the committed run chose "vector"
        CliRun run = CliRun.of("expo1d", "--signal", "all", "--kernels", "10", "--null-toys", "300", "--toys", "100",
                "--reference-size", "10000", "--epochs", "12", "--steps", "20", "--lr", "0.05", "--ideal-toys", "200",
                "--seed", "1", "--engine", "vector", "--threads", "2", "--no-plots", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.filter(p -> p.toString().endsWith(".jsonl")).map(p -> p.getFileName().toString())
                    .sorted().toList();
            assertEquals(committed.stream().map(p -> p.getFileName().toString()).toList(), names,
                    "the rerun must use the committed files' hashes, not start new ensembles");
        }
        for (Path p : committed) {
            assertEquals(Files.readString(p), Files.readString(dir.resolve(p.getFileName())),
                    p.getFileName() + " must be left as it was (every toy resumed, none trained again)");
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode before = withoutRunDetails(mapper.readTree(STUDY.resolve("result.json").toFile()));
        JsonNode after = withoutRunDetails(mapper.readTree(dir.resolve("result.json").toFile()));
        assertContained(before, after, "result.json");
        assertTrue(run.out().contains("bulk            100      23.27  2.48 [2.48, 2.48]      3.35 [3.22, 3.40]"), run.out());
    }

    /** Every field of {@code committed} is in {@code rerun} with the same value (numbers bit for bit). */
    private static void assertContained(JsonNode committed, JsonNode rerun, String path) {
        if (committed instanceof ObjectNode o) {
            assertTrue(rerun != null && rerun.isObject(), path + " is no longer an object: " + rerun);
            o.fieldNames().forEachRemaining(n -> assertContained(o.get(n), rerun.get(n), path + "/" + n));
        } else if (committed.isArray()) {
            assertTrue(rerun != null && rerun.isArray() && rerun.size() == committed.size(), path + ": " + rerun);
            for (int i = 0; i < committed.size(); i++) {
                assertContained(committed.get(i), rerun.get(i), path + "/" + i);
            }
        } else {
            assertEquals(committed, rerun, path);
        }
    }

    /** The tree without wall times (they measure this run), the engine's selection reason and the ideal test. */
    private static JsonNode withoutRunDetails(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<String> names = o.fieldNames();
            List<String> drop = new java.util.ArrayList<>();
            while (names.hasNext()) {
                String n = names.next();
                if (n.toLowerCase(java.util.Locale.ROOT).contains("seconds") || n.equals("engineReason") || n.equals("idealTest")) {
                    drop.add(n);
                }
            }
            o.remove(drop);
            o.forEach(CommittedStudyResumesTest::withoutRunDetails);
        } else if (node != null && node.isArray()) {
            node.forEach(CommittedStudyResumesTest::withoutRunDetails);
        }
        return node;
    }
}
