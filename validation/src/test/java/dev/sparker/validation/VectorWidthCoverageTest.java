package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.vector.VectorEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs after the per-width executions of {@link VectorEngineWidthCheckTest} (its own surefire execution)
 * and fails if any width the hardware runs natively was left unchecked in this build.
 */
class VectorWidthCoverageTest {
    static final String BUILD_ID_PROPERTY = "sparker.build.id";

    static Path markerDir() {
        return Path.of(System.getProperty("sparker.width.markers", "target/vector-width-markers"));
    }

    /** Records that width {@code bits} passed in this build. */
    static void mark(int bits) throws IOException {
        Files.createDirectories(markerDir());
        Files.writeString(markerDir().resolve(bits + ".passed"), System.getProperty(BUILD_ID_PROPERTY, "none"));
    }

    @Test
    void everyHardwareWidthWasChecked() throws IOException {
        var av = new VectorEngine().availability();
        assertTrue(av.available(), "the vector engine must be available in the validation build: " + av.reason());
        String build = System.getProperty(BUILD_ID_PROPERTY, "none");
        List<String> missing = new ArrayList<>();
        for (int bits : new int[] {128, 256, 512}) {
            if (bits > VectorEngine.hardwareBits()) {
                continue;
            }
            Path marker = markerDir().resolve(bits + ".passed");
            if (!Files.exists(marker) || !Files.readString(marker).equals(build)) {
                missing.add(bits + " bits");
            }
        }
        assertTrue(missing.isEmpty(), "vector widths present on this machine (" + VectorEngine.hardwareBits()
                + " bits) but not cross-checked in build " + build + ": " + missing);
    }
}
