package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparker.expo.Expo1dEnsembles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** expo1d keeps the toy drawn in learned-f-SIGNAL.png, and a resumed run draws it from there. */
class PlottedToyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String[] args() {
        return new String[] {"expo1d", "--signal", "tail", "--kernels", "3", "--reference-size", "1000", "--null-toys", "4",
                "--toys", "2", "--epochs", "3", "--steps", "5", "--ideal-toys", "200", "--engine", "scalar",
                "--threads", "1", "--out", dir.toString()};
    }

    private Path signalFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("signal-tail-")).findFirst().orElseThrow();
        }
    }

    private JsonNode kept() throws IOException {
        return JSON.readTree(dir.resolve("learned-f-tail.json").toFile());
    }

    private void assertKeptIsToyZero() throws IOException {
        Path rows = signalFile();
        JsonNode row0 = JSON.readTree(Files.readAllLines(rows).getFirst());
        JsonNode kept = kept();
        String hash = Expo1dEnsembles.parseFileName(rows.getFileName().toString()).orElseThrow().hash();
        assertEquals(hash, kept.get("ensemble").asText(), "the kept fit names the signal ensemble");
        assertEquals(row0.get("seed").asLong(), kept.get("seed").asLong(), "the kept fit is toy 0");
        // the same seed trains to the same bits alone and inside the ensemble
        assertEquals(row0.get("t").asDouble(), kept.get("t").asDouble(), 0.0, "t of the kept fit = t of toy 0's row");
        assertEquals(3, kept.at("/model/coefficients").size());
    }

    @Test
    void aResumedRunDrawsTheKeptFitAndRefitsWhenItDoesNotMatch() throws IOException {
        CliRun first = CliRun.of(args());
        assertEquals(0, first.code(), first.err());
        assertKeptIsToyZero();
        assertTrue(Files.size(dir.resolve("learned-f-tail.png")) > 1000);

        // a marked kept fit of this ensemble, seed and t is drawn as it is: not trained again, so not rewritten
        ObjectNode marked = (ObjectNode) kept();
        ((com.fasterxml.jackson.databind.node.ArrayNode) marked.at("/model/coefficients")).set(0, 123.0);
        Files.writeString(dir.resolve("learned-f-tail.json"), JSON.writeValueAsString(marked));
        Files.delete(dir.resolve("learned-f-tail.png"));
        CliRun resumed = CliRun.of(args());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(123.0, kept().at("/model/coefficients/0").asDouble(), 0.0, "a kept fit that matches is reused");
        assertTrue(Files.size(dir.resolve("learned-f-tail.png")) > 1000, "the plot is drawn from the kept fit");

        // a kept fit whose t is not the one toy 0's row records (a fit from other code) is replaced
        ObjectNode otherT = marked.deepCopy();
        otherT.put("t", kept().get("t").asDouble() + 1e-9);
        Files.writeString(dir.resolve("learned-f-tail.json"), JSON.writeValueAsString(otherT));
        assertEquals(0, CliRun.of(args()).code());
        assertKeptIsToyZero();
        assertTrue(kept().at("/model/coefficients/0").asDouble() != 123.0, "refitted");

        // so is a kept fit of another ensemble (another configuration in the folder)
        marked.put("ensemble", "0000000000000000");
        Files.writeString(dir.resolve("learned-f-tail.json"), JSON.writeValueAsString(marked));
        assertEquals(0, CliRun.of(args()).code());
        assertKeptIsToyZero();
        assertTrue(kept().at("/model/coefficients/0").asDouble() != 123.0, "refitted");

        // so is an unreadable one, with a note saying so
        Files.writeString(dir.resolve("learned-f-tail.json"), "{\"ensemble\": ");
        CliRun broken = CliRun.of(args());
        assertEquals(0, broken.code(), broken.err());
        assertTrue(broken.out().contains("learned-f-tail.json is not a kept fit"), broken.out());
        assertKeptIsToyZero();
    }
}
