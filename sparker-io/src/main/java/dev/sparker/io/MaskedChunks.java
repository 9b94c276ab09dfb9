package dev.sparker.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkOffset;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.filter.BitShuffleFilter;
import io.jhdf.filter.ByteShuffleFilter;
import io.jhdf.filter.DeflatePipelineFilter;
import io.jhdf.filter.FletcherChecksumFilter;
import io.jhdf.filter.Filter;
import io.jhdf.filter.Lz4Filter;
import io.jhdf.filter.LzfFilter;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.FloatingPoint;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chunks stored with some of their filters skipped. HDF5 records, per chunk, a filter mask: bit {@code i} set
 * means filter {@code i} of the dataset's pipeline was not applied to that chunk (h5py's
 * {@code write_direct_chunk(..., filter_mask=...)} writes such chunks; HDF5 does when a filter declines a
 * chunk). jHDF 0.9 runs every filter on every chunk, which fails ("Inflating failed") or, worse, silently
 * unshuffles bytes that were never shuffled. So when any chunk of a filtered dataset carries a mask, this class
 * decodes every chunk itself: the chunk's raw bytes from jHDF, then the pipeline's filters in reverse order
 * except the masked ones (jHDF's own filter implementations), then the values placed by the chunk's offset.
 * Anything it cannot do exactly (an unknown filter, a chunk of the wrong decoded size, a chunk not stored) is
 * refused with the dataset and the chunk named; it never returns values from a wrongly decoded chunk.
 */
final class MaskedChunks {

    private MaskedChunks() {
    }

    /** The chunk index of a chunked dataset, from jHDF (its lookup is not public API in 0.9). */
    @SuppressWarnings("unchecked")
    private static Map<ChunkOffset, Chunk> chunkLookup(ChunkedDatasetBase d) throws ReflectiveOperationException {
        Method m = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
        m.setAccessible(true);
        return (Map<ChunkOffset, Chunk>) m.invoke(d);
    }

    /**
     * The dataset's values as doubles (row-major) when some chunk has a filter mask, else null (read it the
     * usual way).
     *
     * @throws SampleFileException when masked chunks exist and cannot be decoded exactly
     */
    static double[] readIfMasked(Path file, Dataset dataset, String path) {
        if (!(dataset instanceof ChunkedDatasetBase chunked)) {
            return null;
        }
        List<PipelineFilterWithData> filters = chunked.getFilters();
        if (filters == null || filters.isEmpty()) {
            return null;
        }
        Map<ChunkOffset, Chunk> lookup;
        try {
            lookup = chunkLookup(chunked);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // cannot see the masks: the usual path still reads unmasked files; a masked chunk then fails there
            return null;
        }
        boolean anyMasked = lookup.values().stream().anyMatch(c -> !c.getFilterMask().isEmpty());
        if (!anyMasked) {
            return null;
        }
        return decode(file, chunked, path, filters, lookup);
    }

    private static double[] decode(Path file, ChunkedDatasetBase d, String path, List<PipelineFilterWithData> pipeline,
                                   Map<ChunkOffset, Chunk> lookup) {
        int[] dims = d.getDimensions();
        int[] chunkDims = ((ChunkedDataset) d).getChunkDimensions();
        if (dims.length == 0 || dims.length > 2) {
            throw new SampleFileException(file, "dataset '" + path + "' has " + dims.length + " dimensions; only 1-D and 2-D datasets are read");
        }
        if (!(d.getDataType() instanceof FloatingPoint fp) || (fp.getSize() != 8 && fp.getSize() != 4)) {
            throw new SampleFileException(file, "dataset '" + path + "' holds " + d.getJavaType().getSimpleName()
                    + " values; only float64 and float32 datasets are read");
        }
        int size = fp.getSize();
        ByteOrder order = fp.getByteOrder();
        Filter[] decoders = new Filter[pipeline.size()];
        Map<Integer, Filter> known = knownFilters();
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = known.get(pipeline.get(i).getId());
        }
        int rows = dims[0];
        int cols = dims.length == 2 ? dims[1] : 1;
        int cRows = chunkDims[0];
        int cCols = dims.length == 2 ? chunkDims[1] : 1;
        double[] out = new double[Math.multiplyExact(rows, cols)];
        boolean[] filled = new boolean[out.length];
        List<Chunk> chunks = new ArrayList<>(lookup.values());
        for (Chunk chunk : chunks) {
            int[] offset = chunk.getChunkOffset();
            String where = "dataset '" + path + "', chunk at " + Arrays.toString(offset);
            BitSet mask = chunk.getFilterMask();
            ByteBuffer raw = d.getRawChunkBuffer(offset);
            byte[] bytes = new byte[raw.remaining()];
            raw.get(bytes);
            for (int i = decoders.length - 1; i >= 0; i--) {
                if (mask.get(i)) {
                    continue;
                }
                if (decoders[i] == null) {
                    throw new SampleFileException(file, where + ": filter " + pipeline.get(i).getId() + " ("
                            + pipeline.get(i).getName() + ") cannot be decoded here, and the chunk's filter mask means"
                            + " the pipeline must be applied chunk by chunk; rewrite the file without that filter");
                }
                try {
                    bytes = decoders[i].decode(bytes, pipeline.get(i).getFilterData());
                } catch (RuntimeException e) {
                    throw new SampleFileException(file, where + ": filter " + pipeline.get(i).getName()
                            + " failed on the chunk (filter mask " + mask + "): " + e.getMessage(), e);
                }
            }
            long expected = (long) cRows * cCols * size;
            if (bytes.length != expected) {
                throw new SampleFileException(file, where + ": decodes to " + bytes.length + " bytes, not the " + expected
                        + " a " + Arrays.toString(chunkDims) + " chunk of " + size + "-byte values holds (filter mask " + mask + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
            int r0 = offset[0];
            int c0 = dims.length == 2 ? offset[1] : 0;
            for (int r = 0; r < cRows && r0 + r < rows; r++) {
                for (int c = 0; c < cCols && c0 + c < cols; c++) {
                    int at = (r * cCols + c) * size;
                    int k = (r0 + r) * cols + c0 + c;
                    out[k] = size == 8 ? b.getDouble(at) : b.getFloat(at);
                    filled[k] = true;
                }
            }
        }
        for (int k = 0; k < filled.length; k++) {
            if (!filled[k]) {
                int r = k / cols;
                int c = k % cols;
                int[] at = dims.length == 2 ? new int[] {r - r % cRows, c - c % cCols} : new int[] {r - r % cRows};
                throw new SampleFileException(file, "dataset '" + path + "', chunk at " + Arrays.toString(at)
                        + ": not stored (its values would be the fill value); such files are not read");
            }
        }
        return out;
    }

    private static Map<Integer, Filter> knownFilters() {
        Map<Integer, Filter> m = new HashMap<>();
        for (Filter f : List.of(new DeflatePipelineFilter(), new ByteShuffleFilter(), new FletcherChecksumFilter(),
                new LzfFilter(), new Lz4Filter(), new BitShuffleFilter())) {
            m.put(f.getId(), f);
        }
        return m;
    }
}
