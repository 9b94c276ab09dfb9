package dev.sparker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResultJson#write}: the file holds {@link ResultJson#toJson} of the value and is replaced on a second write.
 * Whole-file replacement under racing writers and failure clean-up are {@code output.AtomicFilesTest}'s.
 */
class ResultJsonWriteTest {
    @TempDir
    Path dir;

    @Test
    void writesTheValuesJsonAndReplacesIt() throws Exception {
        Path file = dir.resolve("run-settings.json");
        ResultJson.write(file, Map.of("epochs", 2));
        assertEquals(ResultJson.toJson(Map.of("epochs", 2)), Files.readString(file));
        ResultJson.write(file, Map.of("epochs", 4));
        assertEquals(4, ResultJson.mapper().readTree(file.toFile()).get("epochs").asInt());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }
}
