package dev.sparker.io;

import dev.sparker.model.Samples;
import java.nio.file.Path;
import java.util.List;

/**
 * Reference and data ready for {@link dev.sparker.SparKer#test}: checked against each other, standardised
 * with the reference's means and deviations (unless turned off), and weighted.
 *
 * <p>Weights: data events keep their file weights (1 when the file has none). Reference weights are
 * normalised so that they sum to {@code N0}, the expected number of data events under the null: each
 * reference event gets {@code N0 / N_R} when the file has no weights, and its file weight times
 * {@code N0 / sum(file weights)} when it has. {@code N0} defaults to the data's total weight (its event count
 * when unweighted), which makes the test blind to a pure excess or deficit in the number of events; give it
 * explicitly to keep, for example, a luminosity normalisation, or the sum of a weighted reference's weights.
 *
 * @param reference             the reference, standardised and weighted
 * @param data                  the data, standardised
 * @param standardisation       the map that was applied (identity when turned off)
 * @param expectedDataEvents    {@code N0}
 * @param droppedReferenceRows  reference rows dropped for non-finite values (only when asked)
 * @param droppedDataRows       data rows dropped for non-finite values (only when asked)
 */
public record TestInputs(Samples reference, Samples data, Standardisation standardisation, double expectedDataEvents,
                         int droppedReferenceRows, int droppedDataRows) {

    /**
     * {@return the d feature names, in column order}
     */
    public List<String> featureNames() {
        return standardisation.featureNames();
    }

    /**
     * Reads both files and prepares them: the usual entry point. The feature selection, header and drop
     * options apply to both files; weight options usually differ, so each file has its own options.
     *
     * @param reference          the reference file (CSV, .npy or HDF5, chosen by extension)
     * @param referenceOptions   columns, weights and format options of the reference
     * @param data               the data file
     * @param dataOptions        columns, weights and format options of the data
     * @param standardise        whether to standardise with the reference (the paper does)
     * @param expectedDataEvents {@code N0}, the expected number of data events under the null, or NaN for the
     *                           data's total weight; the reference's weights are scaled to sum to it
     * @return the samples, ready for {@code SparKer.test}, with the standardisation to map results back
     * @throws SampleFileException      naming the file, line or row, column and problem of a bad file
     * @throws IllegalArgumentException when the two files do not fit together (see {@link #prepare})
     */
    public static TestInputs read(Path reference, ReadOptions referenceOptions, Path data, ReadOptions dataOptions,
                                  boolean standardise, double expectedDataEvents) {
        return prepare(SampleReaders.read(reference, referenceOptions), SampleReaders.read(data, dataOptions),
                standardise, expectedDataEvents);
    }

    /**
     * {@return the inputs standardised, with {@code N0} = the data's total weight}
     *
     * @param reference the reference table
     * @param data      the data table
     * @throws IllegalArgumentException when the two tables do not fit together
     */
    public static TestInputs prepare(SampleTable reference, SampleTable data) {
        return prepare(reference, data, true, Double.NaN);
    }

    /**
     * Checks the two tables against each other, weights the reference to {@code N0} and standardises both with
     * the reference's means and deviations.
     *
     * @param reference           the reference table
     * @param data                the data table (same features, same order)
     * @param standardise         whether to standardise (the paper does)
     * @param expectedDataEvents  {@code N0}, or NaN for the data's total weight
     * @return the prepared inputs
     * @throws IllegalArgumentException when the dimensions or feature names differ, N0 is not finite and > 0, the
     *                                  reference's weights sum to 0, or a feature has zero variance
     */
    public static TestInputs prepare(SampleTable reference, SampleTable data, boolean standardise, double expectedDataEvents) {
        if (reference == null || data == null) {
            throw new IllegalArgumentException("both a reference and a data sample are needed");
        }
        if (reference.dimension() != data.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: reference " + reference.source() + " has "
                    + reference.dimension() + " features " + NameList.of(reference.featureNames()) + " but data " + data.source()
                    + " has " + data.dimension() + " " + NameList.of(data.featureNames()) + "; select the same features in both");
        }
        List<String> refNames = reference.featureNames();
        List<String> dataNames = data.featureNames();
        boolean refDefault = refNames.equals(RawTable.defaultNames(refNames.size()));
        boolean dataDefault = dataNames.equals(RawTable.defaultNames(dataNames.size()));
        if (!refDefault && !dataDefault) {
            for (int j = 0; j < refNames.size(); j++) {
                if (!refNames.get(j).equals(dataNames.get(j))) {
                    throw new IllegalArgumentException("feature " + j + " is '" + refNames.get(j) + "' in reference "
                            + reference.source() + " but '" + dataNames.get(j) + "' in data " + data.source()
                            + "; select the same columns, in the same order, in both");
                }
            }
        }
        List<String> names = refDefault && !dataDefault ? dataNames : refNames;
        double n0 = Double.isNaN(expectedDataEvents) ? data.samples().totalWeight() : expectedDataEvents;
        if (!(n0 > 0) || !Double.isFinite(n0)) {
            throw new IllegalArgumentException("expected number of data events N0 = " + n0 + "; it must be finite and > 0");
        }
        Samples ref = reference.samples();
        double refTotal = ref.totalWeight();
        if (!(refTotal > 0)) {
            throw new IllegalArgumentException("reference " + reference.source() + ": weights sum to " + refTotal);
        }
        Standardisation st = standardise ? Standardisation.fit(ref, names) : Standardisation.identity(names);
        Samples weightedRef = ref.withWeightsScaledBy(n0 / refTotal);
        return new TestInputs(st.apply(weightedRef), st.apply(data.samples()), st, n0,
                reference.droppedRows(), data.droppedRows());
    }
}
