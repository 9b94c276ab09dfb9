package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/paper/run-paper-study.sh} with the command replaced by a stub that prints its arguments: which
 * runs it starts, which it skips because their folder already holds the toys asked for (one file per
 * ensemble, the model's file prefix), and the per-run batch and thread counts of the GPU round.
 */
class PaperStudyScriptTest {
    private static final Path SCRIPT = Path.of("..", "docs", "paper", "run-paper-study.sh").toAbsolutePath().normalize();

    @TempDir
    Path runs;

    @Test
    void skipsRunsWhoseToysAreAllThereAndStartsTheOthers() throws Exception {
        ensemble("falkon-M10", "falkon-null-M10-aaaa", 200);
        for (String s : List.of("bulk", "tail", "extreme-tail", "excess")) {
            ensemble("falkon-M10", "falkon-signal-" + s + "-M10-bbbb", 100);
        }
        ensemble("falkon-M50", "falkon-null-M50-aaaa", 200);   // no signal files: not complete
        ensemble("sparker-M10-converged", "null-M10-cccc", 100);
        ensemble("sparker-M10-converged", "signal-tail-M10-dddd", 50);
        ensemble("sparker-M10-paper", "null-M10-eeee", 30);
        ensemble("sparker-M10-paper", "null-M10-ffff", 30);      // two files of one ensemble: left to expo1d
        ensemble("sparker-M10-paper", "signal-tail-M10-gggg", 30);

        Result r = script("1", "");
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("== falkon-M10: 200 null toys, 100 toys of all already there, skipped"), r.err);
        assertTrue(r.err.contains("== sparker-M10-converged: 100 null toys, 50 toys of tail already there, skipped"), r.err);
        assertFalse(r.out.contains("--out " + runs.resolve("falkon-M10") + " "), r.out);
        assertFalse(r.out.contains("--out " + runs.resolve("sparker-M10-converged") + " "), r.out);
        assertTrue(r.out.contains("--null-toys 200 --toys 100 --ideal-toys 20000 --seed 1 --out " + runs.resolve("falkon-M50")),
                r.out);
        assertTrue(r.out.contains("--out " + runs.resolve("sparker-M10-paper") + " "), r.out);
        assertTrue(r.out.contains("paper-summary --runs " + runs), "round 1 ends with the summary: " + r.out);
    }

    @Test
    void aRunShortOfToysInOneEnsembleIsStarted() throws Exception {
        ensemble("sparker-M10-converged", "null-M10-cccc", 100);
        ensemble("sparker-M10-converged", "signal-tail-M10-dddd", 49);
        Result r = script("1", "");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("--out " + runs.resolve("sparker-M10-converged") + " "), r.out);
    }

    @Test
    void gpuRoundRunsConvergedM1000OneToyPerBatchAndOneBatchPerCore() throws Exception {
        Result r = script("gpu", "opencl");
        assertEquals(0, r.code, r.err);
        Process nproc = new ProcessBuilder("nproc").start();
        String cores = new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(nproc.waitFor(10, TimeUnit.SECONDS) && cores.matches("[0-9]+"), "nproc: " + cores);
        List<String> m1000 = r.out.lines().filter(l -> l.contains("--kernels 1000") && l.contains("--schedule converged"))
                .toList();
        assertEquals(2, m1000.size(), r.out);
        for (String line : m1000) {
            assertTrue(line.contains("--threads " + cores + " ") && line.contains("--batch 1 "), line);
            assertTrue(line.contains("--out " + runs.resolve("sparker-M1000-converged-opencl") + " "), line);
        }
        assertTrue(r.out.lines().anyMatch(l -> l.contains("--kernels 10 ") && l.contains("--batch 100 ")
                && l.contains("--threads 2 ")), "other runs keep BATCH and THREADS: " + r.out);
    }

    private void ensemble(String folder, String name, int toys) throws IOException {
        Path dir = Files.createDirectories(runs.resolve(folder));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < toys; i++) {
            sb.append("{\"index\":").append(i).append(",\"t\":1.0}\n");
        }
        Files.writeString(dir.resolve(name + ".jsonl"), sb.toString());
    }

    private record Result(int code, String out, String err) {
    }

    private Result script(String round, String engine) throws Exception {
        Path stub = runs.resolve("stub.sh");
        Files.writeString(stub, "#!/usr/bin/env bash\necho \"$*\"\n");
        assertTrue(stub.toFile().setExecutable(true));
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), round));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SPARKER", stub.toString());
        pb.environment().put("RUNS", runs.toString());
        pb.environment().put("THREADS", "2");
        pb.environment().put("BATCH", "100");
        if (!engine.isEmpty()) {
            pb.environment().put("ENGINE", engine);
        }
        Path out = runs.resolve("out.txt");
        Path err = runs.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish in 60 s");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
