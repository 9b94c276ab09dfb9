package dev.sparker.io;

import dev.sparker.model.Samples;
import java.nio.file.Path;
import java.util.List;

/**
 * One sample as read from a file.
 *
 * @param source       the file it came from
 * @param samples      the events (selected feature columns, row-major) with their weights: the file's
 *                     per-event weights when it had some, else 1 for every event
 * @param featureNames the name of each feature column, in order ({@code x0, x1, ...} when the file has none)
 * @param weighted     whether the weights came from the file
 * @param droppedRows  rows dropped because a selected value was NaN or infinite (only when asked; else 0)
 * @param notes        what the reader did that the user should hear once (for example: every line ended with a
 *                     delimiter, read as no column); empty when nothing
 */
public record SampleTable(Path source, Samples samples, List<String> featureNames, boolean weighted, int droppedRows,
                          List<String> notes) {

    /**
     * A table without notes.
     *
     * @param source       the file it came from
     * @param samples      the events with their weights
     * @param featureNames the name of each feature column, in order
     * @param weighted     whether the weights came from the file
     * @param droppedRows  rows dropped for non-finite values
     */
    public SampleTable(Path source, Samples samples, List<String> featureNames, boolean weighted, int droppedRows) {
        this(source, samples, featureNames, weighted, droppedRows, List.of());
    }

    /**
     * Validates the table.
     *
     * @throws IllegalArgumentException when the number of names differs from the sample's dimension
     */
    public SampleTable {
        featureNames = List.copyOf(featureNames);
        notes = notes == null ? List.of() : List.copyOf(notes);
        if (featureNames.size() != samples.dimension()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + samples.dimension() + " features");
        }
    }

    /**
     * {@return the number of events n}
     */
    public int size() {
        return samples.size();
    }

    /**
     * {@return the number of features d}
     */
    public int dimension() {
        return samples.dimension();
    }
}
