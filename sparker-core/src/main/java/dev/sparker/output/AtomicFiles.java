package dev.sparker.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whole-file writes that a reader never sees half done: the content goes to a temporary file of the call's own in
 * the same folder, which then replaces the target in one atomic rename. Results, toy ensembles, shard manifests
 * and figures are written this way, so that a run stopped mid-write, or two processes writing the same file at
 * once (shards sharing a folder), leave either the old file or a whole new one.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes a whole file to the path it is given (a temporary file of {@link #write(Path, Writer)}).
     */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the whole content to {@code file}.
         *
         * @param file the temporary file to write; it exists (empty) and ends with the target's extension, so
         *             writers that pick a format by the name, or add an extension that is missing, write to it
         * @throws IOException when the content cannot be written; the target is then left as it was
         */
        void writeTo(Path file) throws IOException;
    }

    /**
     * Replaces {@code file} with {@code text} (UTF-8) atomically, and removes the temporary file whatever happens.
     *
     * @param file the file to write; its folder must exist
     * @param text the whole new content
     * @throws IOException when the folder cannot take the temporary file, or the file system cannot rename it onto
     *                     {@code file} atomically ({@link java.nio.file.AtomicMoveNotSupportedException}); the old
     *                     file is then unchanged
     */
    public static void writeString(Path file, CharSequence text) throws IOException {
        write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} atomically with what {@code writer} writes to a temporary file beside it (named
     * {@code <name>.<random>.tmp.<extension>}), and removes the temporary file whatever happens. For content that a
     * library writes to a path of its own choosing, such as a PNG figure.
     *
     * @param file   the file to write; its folder must exist
     * @param writer writes the whole content to the temporary path it is given
     * @throws IOException what {@code writer} throws, or when the folder cannot take the temporary file or the file
     *                     system cannot rename it onto {@code file} atomically; the old file is then unchanged
     */
    public static void write(Path file, Writer writer) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path tmp = Files.createTempFile(folder, stem + ".", ".tmp" + extension);
        try {
            writer.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
