package dev.sparker.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
        Path f = dir.resolve("result.json");
        AtomicFiles.writeString(f, "first, é\n");
        assertEquals("first, é\n", Files.readString(f, StandardCharsets.UTF_8));
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        assertEquals(List.of("result.json"), names());
    }

    @Test
    void aFailedRenameKeepsTheOldTargetAndRemovesTheTemporaryFile() throws IOException {
        // a non-empty folder where the file should go: the rename fails, nothing else changes
        Path f = dir.resolve("busy");
        Files.createDirectories(f);
        Files.writeString(f.resolve("inside.txt"), "kept");
        assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "new"));
        assertEquals(List.of("busy"), names());
        assertEquals("kept", Files.readString(f.resolve("inside.txt")));
    }

    @Test
    void concurrentWritersLeaveOneWholeFile() throws Exception {
        Path f = dir.resolve("shared.json");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String text = String.valueOf((char) ('a' + w)).repeat(200_000);
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 5; k++) {
                        AtomicFiles.writeString(f, text);
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdown();
        }
        String got = Files.readString(f);
        assertEquals(200_000, got.length());
        assertEquals(String.valueOf(got.charAt(0)).repeat(200_000), got, "one writer's whole text");
        assertEquals(List.of("shared.json"), names());
    }

    @Test
    void aWriterGetsATemporaryPathBesideTheTargetWithItsExtension() throws IOException {
        Path f = dir.resolve("figure1.png");
        List<Path> seen = new ArrayList<>();
        AtomicFiles.write(f, tmp -> {
            seen.add(tmp);
            Files.write(tmp, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        });
        assertEquals(1, seen.size());
        assertEquals(dir.toAbsolutePath(), seen.get(0).getParent());
        assertTrue(seen.get(0).getFileName().toString().endsWith(".tmp.png"), seen.get(0).toString());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Files.readAllBytes(f));
        assertEquals(List.of("figure1.png"), names());
    }

    @Test
    void aWriterThatFailsHalfWayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("figure5.png");
        AtomicFiles.writeString(f, "old figure");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> {
            Files.writeString(tmp, "half a fig");
            throw new IOException("no fonts");
        }));
        assertEquals("no fonts", e.getMessage());
        assertEquals("old figure", Files.readString(f));
        assertEquals(List.of("figure5.png"), names());
    }

    @Test
    void aMissingFolderIsAnError() {
        assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("no/such/folder/x.json"), "x"));
    }
}
