package dev.sparker.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whole-file writes that a reader never sees half done: the text goes to a temporary file of the call's own in
 * the same folder, which then replaces the target in one atomic rename. Results, toy ensembles and shard
 * manifests are written this way, so that a run stopped mid-write, or two processes writing the same file at once
 * (shards sharing a folder), leave either the old file or a whole new one.
 */
public final class AtomicFiles {

    private AtomicFiles() {
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
        Path folder = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
