package dev.sparker.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads a sample file, choosing the reader by extension: {@code .npy}, {@code .h5/.hdf5/.hdf}, else CSV. */
public final class SampleReaders {

    private SampleReaders() {
    }

    /**
     * The formats this module reads: CSV (any extension not listed below), NumPy {@code .npy}, HDF5 ({@code .h5},
     * {@code .hdf5}, {@code .hdf}).
     */
    public enum Format {
        /** Comma-, tab- or semicolon-separated text. */
        CSV,
        /** NumPy {@code .npy}. */
        NPY,
        /** HDF5. */
        HDF5
    }

    /**
     * {@return the format a file is read as, by its extension}
     *
     * @param file the file
     */
    public static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return Format.NPY;
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".hdf") || name.endsWith(".he5")) {
            return Format.HDF5;
        }
        return Format.CSV;
    }

    /**
     * {@return the sample in {@code file}, read in the format of its extension}
     *
     * @param file    the file
     * @param options columns, weights and format options
     * @throws SampleFileException naming the file, line or row, column and problem
     */
    public static SampleTable read(Path file, ReadOptions options) {
        if (file == null) {
            throw new IllegalArgumentException("no file given");
        }
        if (!Files.isRegularFile(file)) {
            throw new SampleFileException(file, Files.exists(file) ? "not a regular file" : "no such file");
        }
        ReadOptions o = options == null ? ReadOptions.defaults() : options;
        return switch (formatOf(file)) {
            case NPY -> NpyReader.read(file, o);
            case HDF5 -> Hdf5SampleReader.read(file, o);
            case CSV -> CsvSampleReader.read(file, o);
        };
    }
}
