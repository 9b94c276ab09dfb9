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
        assertTrue(r.out().contains("schedule converged (Newton coefficients, L-BFGS locations"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertEquals("CONVERGED", json.at("/settings/schedule").asText());
        assertEquals(1e-5, json.at("/trainingConfig/converged/tolerance").asDouble(), 0.0);
        // how the toys stopped: per ensemble in result.json, counted from the rows' own records, and one line for
        // the whole study on stdout
        int[] all = new int[4];
        for (String part : new String[] {"/null", "/signals/0"}) {
            JsonNode stops = json.at(part + "/stops");
            java.util.List<dev.sparker.train.Convergence> records = new java.util.ArrayList<>();
            Path file = part.equals("/null") ? onlyFile("null-") : onlyFile("signal-tail-");
            String hash = file.getFileName().toString().replaceAll(".*-([0-9a-f]+)\\.jsonl", "$1");
            dev.sparker.calibration.ToyEnsemble.readRows(file, hash).values().forEach(row -> records.add(row.convergence()));
            dev.sparker.train.StopCounts expected = dev.sparker.train.StopCounts.of(records);
            assertEquals(part.equals("/null") ? 4 : 2, stops.path("toys").asInt(), part + ": " + stops);
            assertEquals(expected.tolerance(), stops.path("tolerance").asInt(), part);
            assertEquals(expected.stalled(), stops.path("stalled").asInt(), part);
            assertEquals(expected.cap(), stops.path("cap").asInt(), part);
            assertEquals(stops.path("toys").asInt(), stops.path("tolerance").asInt() + stops.path("stalled").asInt()
                    + stops.path("cap").asInt(), part + ": every toy stopped one way");
            assertTrue(stops.path("epochsMin").asInt() >= 1 && stops.path("epochsMax").asInt() <= 6, part + ": " + stops);
            all[0] += stops.path("toys").asInt();
            all[1] += stops.path("tolerance").asInt();
            all[2] += stops.path("stalled").asInt();
            all[3] += stops.path("cap").asInt();
        }
        String line = String.format(java.util.Locale.ROOT, "how the %d toys stopped: %d by tolerance, %d stalled"
                + " (no step lowered the loss at DOUBLE resolution), %d at the 6-epoch cap", all[0], all[1], all[2], all[3]);
        assertTrue(r.out().contains(line), "expected '" + line + "' in\n" + r.out());
    }

    @Test
    void theLineAndTheRowsNameTheCoefficientSolverOnEitherSideOfTheNewtonLimit() throws Exception {
        int limit = dev.sparker.train.ConvergedSettings.DEFAULT_NEWTON_MAX_KERNELS;
        for (int m : new int[] {limit, limit + 1}) {
            Path out = dir.resolve("M" + m);
            CliRun r = CliRun.of("expo1d", "--kernels", String.valueOf(m), "--reference-size", "1000", "--null-toys", "3",
                    "--toys", "0", "--epochs", "2", "--engine", "scalar", "--threads", "1", "--schedule", "converged",
                    "--no-plots", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            String solver = m <= limit ? "Newton" : "L-BFGS";
            assertTrue(r.out().contains("schedule converged (" + solver + " coefficients, L-BFGS locations"), r.out());
            Path file;
            try (var files = java.nio.file.Files.list(out)) {
                file = files.filter(f -> f.getFileName().toString().startsWith("null-")).findFirst().orElseThrow();
            }
            String hash = file.getFileName().toString().replaceAll(".*-([0-9a-f]+)\\.jsonl", "$1");
            var rows = dev.sparker.calibration.ToyEnsemble.readRows(file, hash).values();
            assertEquals(3, rows.size());
            for (dev.sparker.calibration.ToyRow row : rows) {
                assertEquals(m <= limit ? "NEWTON" : "LBFGS", row.convergence().coefficientSolver(), "M = " + m);
            }
        }
    }

    private Path onlyFile(String prefix) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            java.util.List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".jsonl")).toList();
            assertEquals(1, found.size(), prefix + ": " + found);
            return found.get(0);
        }
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
        assertTrue(json.at("/null/stops").isMissingNode() && json.at("/signals/0/stops").isMissingNode(),
                "no stop counts under the paper schedule: " + json);
        assertTrue(!r.out().contains("toys stopped"), r.out());
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
