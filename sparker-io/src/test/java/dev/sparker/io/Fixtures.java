package dev.sparker.io;

import dev.sparker.model.Samples;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small files made in the tests: raw .npy bytes with any header, HDF5 files written with jHDF. */
final class Fixtures {
    private Fixtures() {
    }

    static double[] randomFlat(long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * (1 + i % d) + i % d;
        }
        return x;
    }

    static double[] randomWeights(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 + r.nextDouble();
        }
        return w;
    }

    static double[][] rows(double[] flat, int n, int d) {
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** An .npy file with the given header fields and payload bytes written as given. */
    static Path rawNpy(Path file, String descr, boolean fortran, String shape, byte[] payload) {
        try {
            byte[] h = NpyWriter.header(descr, fortran, shape);
            byte[] all = new byte[h.length + payload.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(payload, 0, all, h.length, payload.length);
            Files.write(file, all);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] doubles(double[] v, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    static byte[] floats(double[] v, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (double x : v) {
            b.putFloat((float) x);
        }
        return b.array();
    }

    /** An HDF5 file with {@code /events} (2-D double), {@code /grp/weights} (1-D) and {@code /grp/events32} (2-D float). */
    static Path hdf5(Path file, Samples s) {
        int n = s.size();
        int d = s.dimension();
        double[][] ev = rows(s.flatCoordinates(), n, d);
        float[][] ev32 = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                ev32[i][j] = (float) ev[i][j];
            }
        }
        try (WritableHdfFile out = HdfFile.write(file)) {
            out.putDataset("events", ev);
            WritableGroup g = out.putGroup("grp");
            g.putDataset("weights", s.weights());
            g.putDataset("events32", ev32);
        }
        return file;
    }
}
