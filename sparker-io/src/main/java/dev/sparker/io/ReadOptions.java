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

    public ReadOptions(List<ColumnRef> features, ColumnRef weightColumn, Path weightFile, String dataset,
                       String weightDataset, HeaderMode header, char delimiter, boolean dropNonFinite) {
        this(features, weightColumn, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, false);
    }

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

    /** Every column, no weights, header detected, delimiter detected, non-finite values are errors. */
    public static ReadOptions defaults() {
        return new ReadOptions(List.of(), null, null, null, null, HeaderMode.AUTO, (char) 0, false, false);
    }

    public ReadOptions withFeatures(List<ColumnRef> v) {
        return new ReadOptions(v, weightColumn, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    /** Feature columns from strings: plain integers are indices, anything else a name. */
    public ReadOptions withFeatures(String... refs) {
        return withFeatures(java.util.Arrays.stream(refs).map(ColumnRef::parse).toList());
    }

    public ReadOptions withWeightColumn(ColumnRef v) {
        return new ReadOptions(features, v, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    public ReadOptions withWeightFile(Path v) {
        return new ReadOptions(features, weightColumn, v, dataset, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    public ReadOptions withDataset(String v) {
        return new ReadOptions(features, weightColumn, weightFile, v, weightDataset, header, delimiter, dropNonFinite, decimalComma);
    }

    public ReadOptions withWeightDataset(String v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, v, header, delimiter, dropNonFinite, decimalComma);
    }

    public ReadOptions withHeader(HeaderMode v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, v, delimiter, dropNonFinite, decimalComma);
    }

    public ReadOptions withDelimiter(char v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, header, v, dropNonFinite, decimalComma);
    }

    public ReadOptions withDecimalComma(boolean v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, header, delimiter, dropNonFinite, v);
    }

    public ReadOptions withDropNonFinite(boolean v) {
        return new ReadOptions(features, weightColumn, weightFile, dataset, weightDataset, header, delimiter, v, decimalComma);
    }
}
