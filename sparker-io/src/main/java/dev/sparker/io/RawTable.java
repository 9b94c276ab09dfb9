package dev.sparker.io;

import dev.sparker.model.Samples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every column of a file as read, before selection: row-major values, column names, and for text files the
 * line each row came from (so messages can name it). Selection, weights and the finiteness check are the
 * same for every format and live here.
 */
record RawTable(Path file, double[] values, int rows, int columns, List<String> names, int[] lines, List<String> notes) {

    RawTable(Path file, double[] values, int rows, int columns, List<String> names, int[] lines) {
        this(file, values, rows, columns, names, lines, List.of());
    }

    static List<String> defaultNames(int columns) {
        List<String> n = new ArrayList<>(columns);
        for (int j = 0; j < columns; j++) {
            n.add("x" + j);
        }
        return n;
    }

    /** Where row {@code r} is, for messages: "line 12" for text files, "row 11" (0-based) otherwise. */
    String where(int r) {
        return lines != null ? "line " + lines[r] : "row " + r;
    }

    String describeColumn(int c) {
        return "column " + c + " ('" + names.get(c) + "')";
    }

    int resolve(ColumnRef ref, String role) {
        if (ref.isIndex()) {
            if (ref.index() >= columns) {
                throw new SampleFileException(file, role + " column index " + ref.index() + " is out of range: the file has "
                        + columns + " column" + (columns == 1 ? "" : "s") + " (indices 0.." + (columns - 1) + ")");
            }
            return ref.index();
        }
        int found = names.indexOf(ref.name());
        if (found < 0) {
            throw new SampleFileException(file, "no " + role + " column named '" + ref.name() + "'; the columns are " + NameList.of(names));
        }
        return found;
    }

    /**
     * Selects the features and weights; checks every selected value is finite (or drops the row when
     * {@code options.dropNonFinite()}) and every weight is non-negative.
     *
     * @param externalWeights weights from a separate file or dataset (already checked to be 1-D), or null
     * @param weightSource    how to name the external weights in messages
     */
    SampleTable select(ReadOptions options, double[] externalWeights, String weightSource) {
        if (rows == 0) {
            throw new SampleFileException(file, "empty file: no data rows");
        }
        int weightCol = -1;
        if (options.weightColumn() != null) {
            weightCol = resolve(options.weightColumn(), "weight");
        }
        int[] feats;
        if (options.features().isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int j = 0; j < columns; j++) {
                if (j != weightCol) {
                    all.add(j);
                }
            }
            feats = all.stream().mapToInt(Integer::intValue).toArray();
        } else {
            feats = new int[options.features().size()];
            for (int k = 0; k < feats.length; k++) {
                feats[k] = resolve(options.features().get(k), "feature");
                if (feats[k] == weightCol) {
                    throw new SampleFileException(file, describeColumn(weightCol) + " is selected both as a feature and as the weight");
                }
            }
        }
        if (feats.length == 0) {
            throw new SampleFileException(file, "no feature columns left: the file's only column is the weight column");
        }
        if (externalWeights != null && externalWeights.length != rows) {
            throw new SampleFileException(file, weightSource + " holds " + externalWeights.length
                    + " weights but the file has " + rows + " rows");
        }
        int d = feats.length;
        double[] out = new double[rows * d];
        double[] w = new double[rows];
        int kept = 0;
        int dropped = 0;
        for (int r = 0; r < rows; r++) {
            boolean finite = true;
            String problem = null;
            for (int k = 0; k < d && finite; k++) {
                double v = values[r * columns + feats[k]];
                if (!Double.isFinite(v)) {
                    finite = false;
                    problem = where(r) + ", " + describeColumn(feats[k]) + ": value is " + v;
                }
            }
            double weight = 1.0;
            if (weightCol >= 0 || externalWeights != null) {
                weight = weightCol >= 0 ? values[r * columns + weightCol] : externalWeights[r];
                String wWhere = weightCol >= 0 ? where(r) + ", weight " + describeColumn(weightCol)
                        : weightSource + ", entry " + r;
                if (finite && !Double.isFinite(weight)) {
                    finite = false;
                    problem = wWhere + ": weight is " + weight;
                }
                if (Double.isFinite(weight) && weight < 0) {
                    throw new SampleFileException(file, wWhere + ": negative weight " + weight
                            + "; weights must be non-negative");
                }
            }
            if (!finite) {
                if (!options.dropNonFinite()) {
                    throw new SampleFileException(file, problem
                            + " (non-finite values are errors; ask to drop such rows to skip them)");
                }
                dropped++;
                continue;
            }
            for (int k = 0; k < d; k++) {
                out[kept * d + k] = values[r * columns + feats[k]];
            }
            w[kept] = weight;
            kept++;
        }
        if (kept == 0) {
            throw new SampleFileException(file, "every one of the " + rows + " rows holds a non-finite value; nothing is left");
        }
        double[] coords = kept == rows ? out : java.util.Arrays.copyOf(out, kept * d);
        double[] weights = kept == rows ? w : java.util.Arrays.copyOf(w, kept);
        List<String> featureNames = new ArrayList<>(d);
        for (int f : feats) {
            featureNames.add(names.get(f));
        }
        Samples samples = Samples.fromFlat(coords, kept, d, weights);
        return new SampleTable(file, samples, featureNames, weightCol >= 0 || externalWeights != null, dropped, notes);
    }
}
