package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --schedule} on the command line: recorded in result.json; bad values are usage errors. */
class ScheduleCliTest {
    @TempDir
    Path dir;

    @Test
    void expo1dRecordsTheConvergedSchedule() throws Exception {
        CliRun r = CliRun.of("expo1d", "--signal", "tail", "--kernels", "3", "--reference-size", "1000", "--null-toys", "4",
                "--toys", "2", "--epochs", "6", "--ideal-toys", "100", "--engine", "scalar", "--threads", "2",
                "--schedule", "converged", "--tolerance", "1e-5", "--no-plots", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("schedule converged"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertEquals("CONVERGED", json.at("/settings/schedule").asText());
        assertEquals(1e-5, json.at("/trainingConfig/converged/tolerance").asDouble(), 0.0);
    }

    @Test
    void expo1dRecordsThePaperScheduleByDefault() throws Exception {
        CliRun r = CliRun.of("expo1d", "--signal", "tail", "--kernels", "3", "--reference-size", "1000", "--null-toys", "4",
                "--toys", "2", "--epochs", "2", "--steps", "5", "--ideal-toys", "100", "--engine", "scalar", "--threads", "2",
                "--no-plots", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertEquals("PAPER", json.at("/settings/schedule").asText());
        assertTrue(json.at("/trainingConfig/converged").isMissingNode(), "paper configurations hash as before");
    }

    @Test
    void badScheduleFlagsAreUsageErrors() {
        for (String[][] c : new String[][][] {
                {{"expo1d", "--schedule", "fast"}, {"--schedule fast: use paper or converged"}},
                {{"expo1d", "--tolerance", "1e-3"}, {"--tolerance applies to --schedule converged only"}},
                {{"compare", "--schedule", "converged", "--tolerance", "0"}, {"--tolerance 0.0: it must be finite and > 0"}}}) {
            CliRun r = CliRun.of(c[0]);
            assertEquals(2, r.code(), String.join(" ", c[0]) + ": " + r.err());
            assertTrue(r.err().contains(c[1][0]), r.err());
        }
    }
}
