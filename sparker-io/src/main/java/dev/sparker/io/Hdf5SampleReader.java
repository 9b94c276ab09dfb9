package dev.sparker.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads events from an HDF5 dataset with jHDF: a 1-D ({@code n}, read as {@code n x 1}) or 2-D
 * ({@code n x d}) float64 or float32 dataset, by path ({@code /group/name}); when no path is given the file
 * must hold exactly one dataset. Chunks stored with some filters skipped (a per-chunk filter mask) are decoded
 * chunk by chunk as their mask says ({@link MaskedChunks}). Per-event weights come from a second 1-D dataset, a weight column, or a
 * separate {@code .npy} file.
 */
public final class Hdf5SampleReader {

    private Hdf5SampleReader() {
    }

    /**
     * {@return a sample read from a 1-D or 2-D float64/float32 HDF5 dataset}
     *
     * @param file    the HDF5 file
     * @param options the dataset path (or none when the file holds one dataset), features, weights
     * @throws SampleFileException naming the file, the dataset and the problem
     */
    public static SampleTable read(Path file, ReadOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new SampleFileException(file, "no such file");
        }
        try (HdfFile hdf = new HdfFile(file)) {
            String path = options.dataset();
            if (path == null) {
                List<String> all = new ArrayList<>();
                collectDatasets(hdf, all);
                if (all.size() != 1) {
                    throw new SampleFileException(file, "name the dataset to read: the file holds " + all.size()
                            + " datasets " + NameList.of(all));
                }
                path = all.getFirst();
            }
            Dataset events = dataset(hdf, file, path);
            double[][] holder = new double[1][];
            int[] shape = numeric(file, events, path, holder);
            int rows = shape[0];
            int cols = shape.length == 2 ? shape[1] : 1;
            if (cols == 0) {
                throw new SampleFileException(file, "dataset '" + path + "' has shape (" + rows + ", 0): no columns");
            }
            double[] external = null;
            String source = null;
            if (options.weightDataset() != null) {
                Dataset w = dataset(hdf, file, options.weightDataset());
                double[][] wh = new double[1][];
                int[] ws = numeric(file, w, options.weightDataset(), wh);
                if (ws.length != 1 && !(ws.length == 2 && ws[1] == 1)) {
                    throw new SampleFileException(file, "weight dataset '" + options.weightDataset()
                            + "' must be 1-D but has shape " + java.util.Arrays.toString(ws));
                }
                external = wh[0];
                source = "weight dataset '" + options.weightDataset() + "'";
            } else if (options.weightFile() != null) {
                external = NpyReader.readVector(options.weightFile());
                source = "weight file " + options.weightFile();
            }
            RawTable raw = new RawTable(file, holder[0], rows, cols, RawTable.defaultNames(cols), null);
            return raw.select(options, external, source);
        } catch (HdfException e) {
            throw new SampleFileException(file, "cannot read HDF5: " + e.getMessage(), e);
        }
    }

    private static Dataset dataset(HdfFile hdf, Path file, String path) {
        Node node;
        try {
            node = hdf.getByPath(path);
        } catch (HdfException e) {
            List<String> all = new ArrayList<>();
            collectDatasets(hdf, all);
            throw new SampleFileException(file, "no dataset '" + path + "'; the file holds " + NameList.of(all), e);
        }
        if (!(node instanceof Dataset d)) {
            throw new SampleFileException(file, "'" + path + "' is a " + node.getType() + ", not a dataset");
        }
        return d;
    }

    /** Checks rank and type and puts the values, as doubles, into {@code out[0]}; returns the shape. */
    private static int[] numeric(Path file, Dataset d, String path, double[][] out) {
        int[] shape = d.getDimensions();
        if (shape.length == 0 || shape.length > 2) {
            throw new SampleFileException(file, "dataset '" + path + "' has " + shape.length + " dimensions "
                    + java.util.Arrays.toString(shape) + "; only 1-D and 2-D datasets are read");
        }
        if (shape[0] == 0 || d.isEmpty()) {
            throw new SampleFileException(file, "empty dataset '" + path + "': no rows");
        }
        double[] masked = MaskedChunks.readIfMasked(file, d, path);
        if (masked != null) {
            out[0] = masked;
            return shape;
        }
        Class<?> type = d.getJavaType();
        Object flat;
        try {
            flat = d.getDataFlat();
        } catch (HdfException e) {
            throw new SampleFileException(file, "dataset '" + path + "': cannot decode its values: " + e.getMessage(), e);
        }
        if (type == double.class && flat instanceof double[] a) {
            out[0] = a;
        } else if (type == float.class && flat instanceof float[] a) {
            double[] v = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                v[i] = a[i];
            }
            out[0] = v;
        } else {
            throw new SampleFileException(file, "dataset '" + path + "' holds " + type.getSimpleName()
                    + " values; only float64 and float32 datasets are read");
        }
        return shape;
    }

    private static void collectDatasets(Group group, List<String> into) {
        for (Node n : group.getChildren().values()) {
            if (n instanceof Dataset) {
                into.add(n.getPath());
            } else if (n instanceof Group g) {
                collectDatasets(g, into);
            }
        }
    }
}
