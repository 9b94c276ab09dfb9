package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDF5 chunks stored with some filters skipped (a per-chunk filter mask): read exactly, as h5py reads them, and
 * never from a wrongly decoded chunk. The files are written byte by byte ({@link ChunkedHdf5Writer}).
 */
class Hdf5FilterMaskTest {
    @TempDir
    Path dir;

    private static double[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -Math.log(1 - r.nextDouble()) * (i % 7 == 0 ? 1e6 : 1.0);
        }
        return v;
    }

    private static double[] read(Path file) {
        return SampleReaders.read(file, ReadOptions.defaults()).samples().flatCoordinates();
    }

    @Test
    void theWriterIsRightWhereJhdfAloneCanCheckIt() throws IOException {
        // no masks: jHDF's own path reads the file; the writer is checked against it before it makes masked files
        double[] v = values(100, 1);
        Path f = dir.resolve("plain.h5");
        ChunkedHdf5Writer.write(f, new int[] {100}, new int[] {25}, v, new int[] {0, 0, 0, 0});
        try (HdfFile h = new HdfFile(f)) {
            assertArrayEquals(v, (double[]) h.getDatasetByPath("/data").getData(), 0.0);
        }
        assertArrayEquals(v, read(f), 0.0);
    }

    @Test
    void chunksWithSkippedFiltersAreReadExactly1d() throws IOException {
        double[] v = values(100, 2);
        Path f = dir.resolve("masked.h5");
        // chunk 0: nothing applied; 1: both; 2: shuffle skipped (only deflate); 3: deflate skipped (only shuffle)
        ChunkedHdf5Writer.write(f, new int[] {100}, new int[] {25}, v, new int[] {3, 0, 1, 2});
        assertArrayEquals(v, read(f), 0.0);
    }

    @Test
    void jhdfAloneWouldReturnWrongValuesForAShuffleSkippedChunk() throws IOException {
        // why the reader decodes masked files itself: jHDF unshuffles a chunk that was never shuffled, silently
        double[] v = values(40, 3);
        Path f = dir.resolve("shuffle-skipped.h5");
        ChunkedHdf5Writer.write(f, new int[] {40}, new int[] {20}, v, new int[] {0, 1});
        double[] viaJhdf;
        try (HdfFile h = new HdfFile(f)) {
            viaJhdf = (double[]) h.getDatasetByPath("/data").getData();
        }
        boolean differs = false;
        for (int i = 20; i < 40; i++) {
            differs |= Double.compare(viaJhdf[i], v[i]) != 0;
        }
        assertTrue(differs, "jHDF now honours filter masks; MaskedChunks may be retired");
        assertArrayEquals(v, read(f), 0.0);
    }

    @Test
    void chunksWithSkippedFiltersAreReadExactly2dWithEdgeChunks() throws IOException {
        int rows = 11;
        int cols = 3;
        double[] v = values(rows * cols, 4);
        Path f = dir.resolve("masked2d.h5");
        // chunks of 4 x 2: 3 x 2 = 6 chunks, the last row and column of chunks partly outside the dataset
        ChunkedHdf5Writer.write(f, new int[] {rows, cols}, new int[] {4, 2}, v, new int[] {0, 1, 2, 3, 1, 0});
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults());
        assertEquals(rows, t.size());
        assertEquals(cols, t.dimension());
        assertArrayEquals(v, t.samples().flatCoordinates(), 0.0);
    }

    @Test
    void aChunkThatDoesNotDecodeIsRefusedWithDatasetAndChunkNamed() throws IOException {
        double[] v = values(50, 5);
        Path f = dir.resolve("bad.h5");
        ChunkedHdf5Writer.write(f, new int[] {50}, new int[] {25}, v, new int[] {1, 0});
        // corrupt the second chunk's deflate stream (the last bytes of the file), keep the mask of the first
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        for (int i = bytes.length - 20; i < bytes.length; i++) {
            bytes[i] = (byte) 0x55;
        }
        java.nio.file.Files.write(f, bytes);
        SampleFileException e = assertThrows(SampleFileException.class, () -> read(f));
        assertTrue(e.getMessage().contains("dataset '/data', chunk at [25]"), e.getMessage());
    }
}
