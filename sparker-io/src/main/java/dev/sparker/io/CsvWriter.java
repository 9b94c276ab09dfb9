package dev.sparker.io;

import dev.sparker.model.Samples;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a sample as a comma-separated table with a header line; values use Java's shortest round-trip
 * decimal form, so reading the file back gives the same doubles bit for bit.
 */
public final class CsvWriter {

    private CsvWriter() {
    }

    /**
     * Writes a sample as CSV, one event per line, comma-separated (Java's shortest round-trip decimal form).
     *
     * @param file        the file, created or replaced
     * @param samples     the sample
     * @param names       one name per feature, or null to write no header
     * @param weightName  when not null, a last column with this name holds the event weights
     * @throws IllegalArgumentException     when the names do not match the dimension, or a weight column is asked
     *                                      for without names
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, Samples samples, List<String> names, String weightName) {
        int d = samples.dimension();
        if (names != null && names.size() != d) {
            throw new IllegalArgumentException(names.size() + " column names for " + d + " features");
        }
        if (names == null && weightName != null) {
            throw new IllegalArgumentException("a weight column needs a header; give feature names too");
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (names != null) {
                for (String n : names) {
                    if (n.indexOf(',') >= 0 || n.indexOf('"') >= 0) {
                        throw new IllegalArgumentException("column name '" + n + "' holds a comma or a quote");
                    }
                }
                out.write(String.join(",", names));
                if (weightName != null) {
                    out.write("," + weightName);
                }
                out.newLine();
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < samples.size(); i++) {
                line.setLength(0);
                for (int j = 0; j < d; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    line.append(samples.coordinate(i, j));
                }
                if (weightName != null) {
                    line.append(',').append(samples.weight(i));
                }
                out.write(line.toString());
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
