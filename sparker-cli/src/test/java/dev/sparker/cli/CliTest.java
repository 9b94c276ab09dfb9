package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void badFlagsGiveOneLineAndExitCode2() {
        for (String[] args : new String[][] {
                {"expo1d", "--kernels", "0"}, {"expo1d", "--bogus"}, {"expo1d", "--signal", "nope"},
                {"expo1d", "--widths", "1.5"}, {"expo1d", "--toys", "x"}, {"nosuchcommand"}}) {
            CliRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("sparker: "), r.err());
        }
    }

    @Test
    void enginesListsTheScalarEngineAndTheSelection() {
        CliRun r = run("engines");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("scalar") && r.out().contains("selected: "), r.out());
    }

    @Test
    void tinyExpo1dWritesResultRowsAndPlotsAndResumes() throws IOException {
        String[] args = {"expo1d", "--signal", "bulk", "--kernels", "3", "--reference-size", "1000", "--null-toys", "6",
                "--toys", "3", "--epochs", "4", "--steps", "10", "--ideal-toys", "200", "--engine", "scalar",
                "--threads", "2", "--widths", "0.5,0.9", "--out", dir.toString()};
        CliRun first = run(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("chi-square fit (maximum likelihood)"), first.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertEquals(6, json.at("/null/toys").asInt());
        assertEquals("bulk", json.at("/signals/0/signal").asText());
        assertTrue(json.at("/signals/0/combinedFisher/zEmpirical").isNumber());
        for (String png : new String[] {"null-chi2.png", "null-vs-signal.png", "learned-f-bulk.png"}) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                long lines = Files.readAllLines(p).size();
                assertEquals(p.getFileName().toString().startsWith("null") ? 6 : 3, lines, p.toString());
            }
        }
        // a second run finds every toy done and reports the same numbers
        CliRun again = run(args);
        assertEquals(0, again.code(), again.err());
        JsonNode json2 = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertEquals(json.at("/null/quantiles"), json2.at("/null/quantiles"));
        assertEquals(json.at("/signals/0/sensitivity"), json2.at("/signals/0/sensitivity"));
    }
}
