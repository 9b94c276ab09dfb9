package dev.sparker.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads a sample file, choosing the reader by extension: {@code .npy}, {@code .h5/.hdf5/.hdf}, else CSV. */
public final class SampleReaders {

    private SampleReaders() {
    }

    /** The formats this module reads. */
    public enum Format { CSV, NPY, HDF5 }

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
