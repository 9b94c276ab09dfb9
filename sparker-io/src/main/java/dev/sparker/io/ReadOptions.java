package dev.sparker.io;

import java.nio.file.Path;
import java.util.List;

/**
 * How to read one sample file. Immutable; start from {@link #defaults()} and change with the {@code with...}
 * methods.
 *
 * @param features       the feature columns, in order; empty means every column except the weight column
 * @param weightColumn   CSV (or 2-D array) column holding per-event weights, or null
 * @param weightFile     a separate 1-D {@code .npy} file of per-event weights (any sample format), or null
 * @param dataset        HDF5: path of the dataset holding the events; null means the file's only dataset
 * @param weightDataset  HDF5: path of a 1-D dataset of per-event weights, or null
 * @param header         CSV: whether the first line holds column names
 * @param delimiter      CSV: the cell separator; 0 means detect (comma, else tab, else semicolon)
 * @param dropNonFinite  drop rows whose selected features or weight are NaN or infinite (and count them)
 *                       instead of failing
 * @param decimalComma   CSV: numbers are written with a decimal comma ({@code 0,5}); cells are then separated by
 *                       {@code ;} or tabs (detected), never by commas
 */
public record ReadOptions(
        List<ColumnRef> features,
        ColumnRef weightColumn,
        Path weightFile,
        String dataset,
        String weightDataset,
        HeaderMode header,
        char delimiter,
        boolean dropNonFinite,
        boolean decimalComma) {

    /**
     * Options without decimal commas (the form before {@code decimalComma} existed).
     *
     * @param features      the feature columns, in order; empty means every column except the weight column
     * @param weightColumn  the weight column, or null
     * @param weightFile    a 1-D {@code .npy} file of weights, or null
     * @param dataset       HDF5: the events' dataset, or null for the file's only one
     * @param weightDataset HDF5: a 1-D dataset of weights, or null
     * @param header        CSV: whether the first line holds column names
     * @param delimiter     CSV: the cell separator; 0 means detect
     * @param dropNonFinite drop rows with NaN or infinite values instead of failing
     */
    public ReadOptions(List<ColumnRef> features, ColumnRef weightColumn, Path weightFile, String dataset,
                       String weightDataset, HeaderMode header, char delimiter, boolean dropNonFinite) {
        this(features, weightColumn, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, false);
    }

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException when the header mode is null or weights are given more than one way
     */
    public ReadOptions {
        if (decimalComma && delimiter == ',') {
            throw new IllegalArgumentException("a decimal comma and a comma delimiter cannot be read apart; cells of a"
                    + " file with decimal commas are separated by ';' or tabs");
        }
        features = features == null ? List.of() : List.copyOf(features);
        if (header == null) {
            throw new IllegalArgumentException("header mode must not be null (use AUTO)");
        }
        int weightSources = (weightColumn != null ? 1 : 0) + (weightFile != null ? 1 : 0) + (weightDataset != null ? 1 : 0);
        if (weightSources > 1) {
            throw new IllegalArgumentException("give per-event weights one way only: a weight column ("
                    + weightColumn + "), a weight file (" + weightFile + ") or a weight dataset (" + weightDataset + ")");
        }
    }

    /**
     * {@return every column, no weights, header detected, delimiter detected, non-finite values are errors}
     */
    public static ReadOptions defaults() {
        return new ReadOptions(List.of(), null, null, null, null, HeaderMode.AUTO, (char) 0, false, false);
    }

    /**
     * {@return these options with the feature columns {@code v} (empty: every column but the weight column)}
     *
     * @param v the feature columns, in the order the sample takes them
     */
    public ReadOptions withFeatures(List<ColumnRef> v) {
        return new ReadOptions(v, weightColumn, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options with feature columns from strings: plain integers are 0-based indices, anything else a
     * name}
     *
     * @param refs the columns
     */
    public ReadOptions withFeatures(String... refs) {
        return withFeatures(java.util.Arrays.stream(refs).map(ColumnRef::parse).toList());
    }

    /**
     * {@return these options with per-event weights from column {@code v} (not a feature)}
     *
     * @param v the weight column
     */
    public ReadOptions withWeightColumn(ColumnRef v) {
        return new ReadOptions(features, v, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options with per-event weights from a separate 1-D {@code .npy} file}
     *
     * @param v the weight file, one value per event
     */
    public ReadOptions withWeightFile(Path v) {
        return new ReadOptions(features, weightColumn, v, dataset, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options reading HDF5 dataset {@code v}}
     *
     * @param v the dataset's path in the file, e.g. {@code /group/events}
     */
    public ReadOptions withDataset(String v) {
        return new ReadOptions(features, weightColumn, weightFile, v, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options with per-event weights from a 1-D HDF5 dataset}
     *
     * @param v the weight dataset's path in the file
     */
    public ReadOptions withWeightDataset(String v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, v, header, delimiter, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options with a CSV header detected, forced on or forced off}
     *
     * @param v the header mode
     */
    public ReadOptions withHeader(HeaderMode v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, v, delimiter, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options with a fixed CSV delimiter}
     *
     * @param v the delimiter; 0 to detect it from the first line
     */
    public ReadOptions withDelimiter(char v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, header, v, dropNonFinite, decimalComma);
    }

    /**
     * {@return these options reading (true) or refusing (false) numbers written with a decimal comma}
     *
     * @param v whether CSV numbers use a decimal comma ({@code 0,5}); cells are then separated by {@code ;} or tabs
     */
    public ReadOptions withDecimalComma(boolean v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, v);
    }

    /**
     * {@return these options dropping (true) or refusing (false) rows with non-finite values}
     *
     * @param v whether to drop such rows; dropped rows are counted
     */
    public ReadOptions withDropNonFinite(boolean v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, header, delimiter, v, decimalComma);
    }
}
