package dev.sparker.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes a small HDF5 file byte by byte (format spec: superblock version 0, version-1 object headers, a
 * symbol-table root group, a chunked layout message version 3 indexed by a version-1 B-tree) holding one
 * float64 dataset {@code /data} of rank 1 or 2 with a shuffle + deflate pipeline, where each chunk may be stored
 * with a filter mask (bit 0: shuffle skipped, bit 1: deflate skipped), as h5py's
 * {@code write_direct_chunk(..., filter_mask=m)} does. jHDF cannot write chunked datasets, hence this writer.
 */
final class ChunkedHdf5Writer {
    private static final long UNDEF = -1L;

    private ChunkedHdf5Writer() {
    }

    /**
     * @param dims      dataset shape, rank 1 or 2
     * @param chunkDims chunk shape, same rank
     * @param values    row-major values, product of dims
     * @param maskOf    the filter mask of each chunk, in row-major chunk order (0 = both filters applied)
     */
    static void write(Path file, int[] dims, int[] chunkDims, double[] values, int[] maskOf) throws IOException {
        int rank = dims.length;
        int rows = dims[0];
        int cols = rank == 2 ? dims[1] : 1;
        int cr = chunkDims[0];
        int cc = rank == 2 ? chunkDims[1] : 1;
        int nChunkRows = (rows + cr - 1) / cr;
        int nChunkCols = (cols + cc - 1) / cc;
        int nChunks = nChunkRows * nChunkCols;

        // chunk payloads
        List<byte[]> payloads = new ArrayList<>();
        List<int[]> offsets = new ArrayList<>();
        for (int i = 0; i < nChunkRows; i++) {
            for (int j = 0; j < nChunkCols; j++) {
                ByteBuffer b = ByteBuffer.allocate(cr * cc * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < cr; r++) {
                    for (int c = 0; c < cc; c++) {
                        int gr = i * cr + r;
                        int gc = j * cc + c;
                        b.putDouble(gr < rows && gc < cols ? values[gr * cols + gc] : 0.0);
                    }
                }
                byte[] bytes = b.array();
                int mask = maskOf[payloads.size()];
                if ((mask & 1) == 0) {
                    bytes = shuffle(bytes, 8);
                }
                if ((mask & 2) == 0) {
                    bytes = deflate(bytes);
                }
                payloads.add(bytes);
                offsets.add(rank == 2 ? new int[] {i * cr, j * cc} : new int[] {i * cr});
            }
        }

        // layout: superblock 0..96, root object header, local heap, group B-tree, SNOD, dataset header, chunk B-tree, chunks
        long rootHeader = 96;
        byte[] rootMsgs = message(0x11, le(16).putLong(0).putLong(0).array()); // addresses patched below
        long heap = rootHeader + 16 + rootMsgs.length;
        long heapData = heap + 32;
        long groupTree = heapData + 16;
        long snod = groupTree + 24 + 24;
        long dataHeader = snod + 8 + 40;

        ByteBuffer space = le(8 + 8 * rank).put((byte) 1).put((byte) rank).put((byte) 0).put((byte) 0).putInt(0);
        for (int d : dims) {
            space.putLong(d);
        }
        ByteBuffer type = le(20).put((byte) 0x11).put((byte) 0x20).put((byte) 63).put((byte) 0).putInt(8)
                .putShort((short) 0).putShort((short) 64).put((byte) 52).put((byte) 11).put((byte) 0).put((byte) 52).putInt(1023);
        ByteBuffer pipeline = le(8 + 16 + 16).put((byte) 1).put((byte) 2).put(new byte[6])
                .putShort((short) 2).putShort((short) 0).putShort((short) 0).putShort((short) 1).putInt(8).putInt(0)
                .putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 1).putInt(6).putInt(0);
        int layoutSize = 3 + 8 + 4 * (rank + 1);
        byte[] msgsWithoutLayout = concat(message(0x1, space.array()), message(0x3, type.array()), message(0xB, pipeline.array()));
        int dataHeaderSize = msgsWithoutLayout.length + 8 + pad8(layoutSize);
        long chunkTree = dataHeader + 16 + dataHeaderSize;
        int keySize = 8 + 8 * (rank + 1);
        long firstChunk = chunkTree + 24 + (long) (nChunks + 1) * keySize + 8L * nChunks;
        ByteBuffer layout = le(layoutSize).put((byte) 3).put((byte) 2).put((byte) (rank + 1)).putLong(chunkTree);
        for (int d : chunkDims) {
            layout.putInt(d);
        }
        layout.putInt(8);
        byte[] dataMsgs = concat(msgsWithoutLayout, message(0x8, layout.array()));

        ByteBuffer tree = le(24 + (nChunks + 1) * keySize + 8 * nChunks).put("TREE".getBytes()).put((byte) 1).put((byte) 0)
                .putShort((short) nChunks).putLong(UNDEF).putLong(UNDEF);
        long addr = firstChunk;
        for (int k = 0; k < nChunks; k++) {
            tree.putInt(payloads.get(k).length).putInt(maskOf[k]);
            for (int o : offsets.get(k)) {
                tree.putLong(o);
            }
            tree.putLong(0);
            tree.putLong(addr);
            addr += payloads.get(k).length;
        }
        tree.putInt(0).putInt(0);
        for (int r = 0; r < rank; r++) {
            tree.putLong(dims[r]);
        }
        tree.putLong(0);
        long eof = addr;

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer sb = le(96).put(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'})
                .put(new byte[] {0, 0, 0, 0, 0, 8, 8, 0}).putShort((short) 4).putShort((short) 16).putInt(0)
                .putLong(0).putLong(UNDEF).putLong(eof).putLong(UNDEF)
                .putLong(0).putLong(rootHeader).putInt(1).putInt(0).putLong(groupTree).putLong(heap);
        out.write(sb.array());
        ByteBuffer.wrap(rootMsgs).order(ByteOrder.LITTLE_ENDIAN).putLong(8, groupTree).putLong(16, heap);
        out.write(objectHeader(rootMsgs, 1));
        out.write(le(32).put("HEAP".getBytes()).put(new byte[4]).putLong(16).putLong(UNDEF).putLong(heapData).array());
        out.write(le(16).put(new byte[8]).put("data".getBytes()).put(new byte[4]).array());
        out.write(le(48).put("TREE".getBytes()).put((byte) 0).put((byte) 0).putShort((short) 1).putLong(UNDEF).putLong(UNDEF)
                .putLong(0).putLong(snod).putLong(8).array());
        out.write(le(48).put("SNOD".getBytes()).put((byte) 1).put((byte) 0).putShort((short) 1)
                .putLong(8).putLong(dataHeader).putInt(0).putInt(0).put(new byte[16]).array());
        out.write(objectHeader(dataMsgs, 4));
        out.write(tree.array());
        for (byte[] p : payloads) {
            out.write(p);
        }
        if (out.size() != eof) {
            throw new IllegalStateException("layout error: wrote " + out.size() + " bytes, expected " + eof);
        }
        Files.write(file, out.toByteArray());
    }

    private static byte[] objectHeader(byte[] messages, int count) {
        return le(16 + messages.length).put((byte) 1).put((byte) 0).putShort((short) count).putInt(1)
                .putInt(messages.length).putInt(0).put(messages).array();
    }

    private static byte[] message(int type, byte[] data) {
        return le(8 + pad8(data.length)).putShort((short) type).putShort((short) pad8(data.length)).put((byte) 0)
                .put(new byte[3]).put(data).array();
    }

    private static int pad8(int n) {
        return (n + 7) / 8 * 8;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** HDF5's shuffle filter: byte j of every element together, for j = 0..size-1. */
    static byte[] shuffle(byte[] in, int size) {
        int n = in.length / size;
        byte[] out = new byte[in.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                out[j * n + i] = in[i * size + j];
            }
        }
        return out;
    }

    private static byte[] deflate(byte[] in) {
        Deflater d = new Deflater(6);
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            o.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return o.toByteArray();
    }
}
