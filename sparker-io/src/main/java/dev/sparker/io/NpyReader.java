package dev.sparker.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1, 2 and 3): float64 ({@code f8}) and float32 ({@code f4})
 * arrays in either byte order as the header declares, C (row-major) order, 1-D (read as {@code n x 1}) or
 * 2-D ({@code n x d}). Fortran-ordered arrays, other dtypes and other ranks are rejected with a message that
 * says how to convert them.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /**
     * A 1-D or 2-D array read from a {@code .npy} file, row-major; a 1-D array has one column.
     *
     * @param values  rows x columns values, row-major
     * @param rows    number of rows
     * @param columns number of columns (1 for a 1-D array)
     * @param rank    1 or 2, as stored
     */
    public record NpyArray(double[] values, int rows, int columns, int rank) {
    }

    /**
     * {@return a sample read from a {@code .npy} file: features selected by index (or default name {@code x0, x1,
     * ...}), optional weights}
     *
     * @param file    a float64 or float32, C-order, 1-D or 2-D {@code .npy} file
     * @param options features, weights and the drop option
     * @throws SampleFileException naming the file and the problem (dtype, order, rank, truncation, bad values)
     */
    public static SampleTable read(Path file, ReadOptions options) {
        if (options.weightDataset() != null) {
            throw new SampleFileException(file, "a weight dataset is an HDF5 option; for .npy give a weight .npy file"
                    + " or a weight column index");
        }
        NpyArray a = readArray(file);
        RawTable raw = new RawTable(file, a.values(), a.rows(), a.columns(), RawTable.defaultNames(a.columns()), null);
        double[] external = options.weightFile() == null ? null : readVector(options.weightFile());
        return raw.select(options, external, external == null ? null : "weight file " + options.weightFile());
    }

    /**
     * {@return a 1-D array (an {@code n x 1} 2-D array is accepted too), for example per-event weights}
     *
     * @param file a {@code .npy} file
     * @throws SampleFileException naming the file and the problem
     */
    public static double[] readVector(Path file) {
        NpyArray a = readArray(file);
        if (a.columns() != 1) {
            throw new SampleFileException(file, "expected a 1-D array but the shape is (" + a.rows() + ", " + a.columns() + ")");
        }
        return a.values();
    }

    /**
     * {@return the array stored in a {@code .npy} file}
     *
     * @param file a float64 or float32, C-order, 1-D or 2-D {@code .npy} file (format versions 1 to 3)
     * @throws SampleFileException naming the file and the problem, with how to convert an unsupported array
     */
    public static NpyArray readArray(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new SampleFileException(file, "empty file: 0 bytes");
            }
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0);
            pre.flip();
            if (pre.remaining() < 10) {
                throw new SampleFileException(file, "not a NumPy .npy file: only " + size + " bytes");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre.get(i) != MAGIC[i]) {
                    throw new SampleFileException(file, "not a NumPy .npy file: the magic string \\x93NUMPY is missing");
                }
            }
            int major = pre.get(6) & 0xff;
            long headerLen;
            long headerStart;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (pre.remaining() < 12) {
                    throw new SampleFileException(file, "truncated .npy header");
                }
                headerLen = pre.getInt(8) & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new SampleFileException(file, "unsupported .npy format version " + major + "." + (pre.get(7) & 0xff));
            }
            if (headerStart + headerLen > size || headerLen > 1 << 20) {
                throw new SampleFileException(file, "truncated .npy header: it declares " + headerLen + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, headerStart);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            long dataStart = headerStart + headerLen;

            Matcher descr = DESCR.matcher(header);
            if (!descr.find()) {
                throw new SampleFileException(file, "unsupported dtype: the array is not a plain numeric array (header "
                        + header.strip() + "); save a float64 array, for example np.save(f, arr.astype('float64'))");
            }
            String dtype = descr.group(1);
            ByteOrder order;
            int itemSize;
            if (dtype.length() == 3 && (dtype.endsWith("f8") || dtype.endsWith("f4"))
                    && "<>=|".indexOf(dtype.charAt(0)) >= 0) {
                order = switch (dtype.charAt(0)) {
                    case '>' -> ByteOrder.BIG_ENDIAN;
                    case '<' -> ByteOrder.LITTLE_ENDIAN;
                    default -> ByteOrder.nativeOrder();
                };
                itemSize = dtype.charAt(2) - '0';
            } else {
                throw new SampleFileException(file, "unsupported dtype '" + dtype + "': only float64 (f8) and float32 (f4)"
                        + " arrays are read; convert with arr.astype('float64')");
            }
            Matcher fortran = FORTRAN.matcher(header);
            if (!fortran.find()) {
                throw new SampleFileException(file, "malformed .npy header (no fortran_order): " + header.strip());
            }
            if (fortran.group(1).equals("True")) {
                throw new SampleFileException(file, "the array is stored in Fortran (column-major) order; only C order is"
                        + " read: save np.ascontiguousarray(arr) instead");
            }
            Matcher shapeM = SHAPE.matcher(header);
            if (!shapeM.find()) {
                throw new SampleFileException(file, "malformed .npy header (no shape): " + header.strip());
            }
            long[] shape = parseShape(file, shapeM.group(1));
            if (shape.length == 0 || shape.length > 2) {
                throw new SampleFileException(file, "the array has " + shape.length + " dimensions (shape ("
                        + shapeM.group(1).strip() + ")); only 1-D (n events) and 2-D (n events x d features) arrays are read");
            }
            long rows = shape[0];
            long cols = shape.length == 2 ? shape[1] : 1;
            if (rows == 0) {
                throw new SampleFileException(file, "empty file: the array has shape (" + shapeM.group(1).strip() + "), no rows");
            }
            if (cols == 0) {
                throw new SampleFileException(file, "the array has shape (" + shapeM.group(1).strip() + "): no columns");
            }
            long n = rows * cols;
            if (n > Integer.MAX_VALUE - 16) {
                throw new SampleFileException(file, "the array has " + n + " values; at most " + (Integer.MAX_VALUE - 16) + " are read");
            }
            long bytes = n * itemSize;
            if (dataStart + bytes > size) {
                throw new SampleFileException(file, "truncated: the header declares " + rows + " x " + cols + " values of "
                        + itemSize + " bytes (" + bytes + " bytes) but only " + (size - dataStart) + " bytes follow");
            }
            double[] values = new double[(int) n];
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, bytes).order(order);
            if (itemSize == 8) {
                data.asDoubleBuffer().get(values);
            } else {
                java.nio.FloatBuffer fb = data.asFloatBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = fb.get(i);
                }
            }
            return new NpyArray(values, (int) rows, (int) cols, shape.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] parseShape(Path file, String text) {
        String[] parts = text.split(",");
        int count = 0;
        long[] out = new long[parts.length];
        for (String p : parts) {
            String s = p.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1);
            }
            try {
                out[count++] = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new SampleFileException(file, "malformed .npy shape (" + text + ")");
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
    }
}
