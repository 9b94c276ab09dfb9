package dev.sparker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ResultJson#write}: whole files only, no temporary file left behind, even with writers racing. */
class ResultJsonWriteTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("run-settings.json");
        ResultJson.write(file, Map.of("epochs", 2));
        ResultJson.write(file, Map.of("epochs", 4));
        assertEquals(4, ResultJson.mapper().readTree(file.toFile()).get("epochs").asInt());
        assertEquals(List.of("run-settings.json"), names());

        // many writers of one file at once: every write succeeds and the file is one of them, whole
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                int value = k;
                writes.add(pool.submit(() -> {
                    ResultJson.write(file, Map.of("epochs", value, "padding", "x".repeat(10_000)));
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            pool.shutdown();
        }
        int epochs = ResultJson.mapper().readTree(file.toFile()).get("epochs").asInt();
        assertEquals(true, epochs >= 0 && epochs < 40, "one writer's whole file");
        assertEquals(List.of("run-settings.json"), names());

        assertThrows(IOException.class, () -> ResultJson.write(dir.resolve("no-such-folder/x.json"), Map.of()));
    }
}
