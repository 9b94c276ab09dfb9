package dev.sparker.io;

import dev.sparker.model.Samples;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, C order, little endian) that {@code numpy.load}
 * reads: 2-D float64 or float32 arrays and 1-D float64 vectors.
 */
public final class NpyWriter {

    private NpyWriter() {
    }

    /**
     * Writes the sample's coordinates as an {@code n x d} float64 array (weights are not written).
     *
     * @param file    the file, created or replaced
     * @param samples the sample
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, Samples samples) {
        writeFloat64(file, samples.flatCoordinates(), samples.size(), samples.dimension());
    }

    /**
     * Writes a row-major {@code rows x columns} float64 array.
     *
     * @param file    the file, created or replaced
     * @param values  rows x columns values
     * @param rows    number of rows
     * @param columns number of columns
     * @throws IllegalArgumentException     when the shape does not match the values
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void writeFloat64(Path file, double[] values, int rows, int columns) {
        checkShape(values, rows, columns);
        write(file, "<f8", "(" + rows + ", " + columns + ")", values, 8);
    }

    /**
     * Writes a row-major {@code rows x columns} float32 array (values are rounded to float).
     *
     * @param file    the file, created or replaced
     * @param values  rows x columns values
     * @param rows    number of rows
     * @param columns number of columns
     * @throws IllegalArgumentException     when the shape does not match the values
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void writeFloat32(Path file, double[] values, int rows, int columns) {
        checkShape(values, rows, columns);
        write(file, "<f4", "(" + rows + ", " + columns + ")", values, 4);
    }

    /**
     * Writes a 1-D float64 array, for example per-event weights.
     *
     * @param file   the file, created or replaced
     * @param values the values
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void writeVector(Path file, double[] values) {
        write(file, "<f8", "(" + values.length + ",)", values, 8);
    }

    private static void checkShape(double[] values, int rows, int columns) {
        if (rows < 0 || columns < 0 || (long) rows * columns != values.length) {
            throw new IllegalArgumentException("shape " + rows + " x " + columns + " does not match " + values.length + " values");
        }
    }

    /** The version 1.0 header, padded with spaces and a newline so the data start on a 64-byte boundary. */
    static byte[] header(String descr, boolean fortranOrder, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static void write(Path file, String descr, String shape, double[] values, int itemSize) {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header(descr, false, shape));
            ByteBuffer chunk = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                if (itemSize == 8) {
                    chunk.putDouble(v);
                } else {
                    chunk.putFloat((float) v);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
