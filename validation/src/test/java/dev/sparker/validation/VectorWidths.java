package dev.sparker.validation;

import dev.sparker.engine.vector.VectorEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the vector engine reports about its SIMD width, and the marker files through which the per-width
 * surefire executions of the validation module prove that every width this machine supports was checked.
 */
final class VectorWidths {
    /** Test-only property of the vector engine that forces its width (bits) at class-init time. */
    static final String FORCE_BITS_PROPERTY = VectorEngine.BITS_PROPERTY;
    /** Directory the per-width executions write their markers to (set by the validation pom). */
    static final String MARKER_DIR_PROPERTY = "sparker.crosscheck.markers";
    /** Identifies one Maven build, so that markers left by an earlier build never count. */
    static final String BUILD_ID_PROPERTY = "sparker.crosscheck.build";
    /** The widths the vector engine can be forced to. */
    static final int[] WIDTHS = {128, 256, 512};

    private VectorWidths() {
    }

    /** The width the vector engine uses in this JVM (0 when it is unavailable). */
    static int vectorBits() {
        return VectorEngine.vectorBits();
    }

    /**
     * The widest vector this machine supports. The engine reports 0 when it is unavailable, which it is when
     * a width above the maximum was forced; the maximum is then read from
     * {@code jdk.incubator.vector.VectorShape.preferredShape()} by reflection (this module does not import
     * the Vector API).
     */
    static int maxVectorBits() {
        int max = VectorEngine.maxVectorBits();
        if (max > 0) {
            return max;
        }
        try {
            Class<?> shapeClass = Class.forName("jdk.incubator.vector.VectorShape");
            Object shape = shapeClass.getMethod("preferredShape").invoke(null);
            return (Integer) shapeClass.getMethod("vectorBitSize").invoke(shape);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot tell the machine's widest vector: the vector engine is "
                    + "unavailable (" + new VectorEngine().availability().reason() + ") and jdk.incubator.vector "
                    + "is not readable (run with --add-modules jdk.incubator.vector)", e);
        }
    }

    /** The forced width of this JVM, or 0 when none was forced. */
    static int forcedBits() {
        String v = System.getProperty(FORCE_BITS_PROPERTY);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(FORCE_BITS_PROPERTY + " = '" + v + "' is not a number of bits", e);
        }
    }

    /** A marker written by one per-width execution. */
    record Marker(int bits, String status, String buildId, int cases, String reason) {
        static final String CHECKED = "checked";
        static final String SKIPPED = "skipped";
    }

    static Path markerDir() {
        String dir = System.getProperty(MARKER_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    static String buildId() {
        return System.getProperty(BUILD_ID_PROPERTY, "");
    }

    static Path markerFile(Path dir, int bits) {
        return dir.resolve("vector-width-" + bits + ".properties");
    }

    static void writeMarker(Path dir, Marker marker) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("bits", Integer.toString(marker.bits()));
        p.setProperty("status", marker.status());
        p.setProperty("build", marker.buildId());
        p.setProperty("cases", Integer.toString(marker.cases()));
        p.setProperty("reason", marker.reason());
        try (var w = Files.newBufferedWriter(markerFile(dir, marker.bits()), StandardCharsets.UTF_8)) {
            p.store(w, "written by VectorEngineCrossCheckTest");
        }
    }

    /** The marker for {@code bits}, or null when there is none. */
    static Marker readMarker(Path dir, int bits) throws IOException {
        Path f = markerFile(dir, bits);
        if (!Files.exists(f)) {
            return null;
        }
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new Marker(Integer.parseInt(p.getProperty("bits", "0")), p.getProperty("status", ""),
                p.getProperty("build", ""), Integer.parseInt(p.getProperty("cases", "0")), p.getProperty("reason", ""));
    }
}
