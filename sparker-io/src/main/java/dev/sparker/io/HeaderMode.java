package dev.sparker.io;

/** Whether the first line of a CSV file holds column names. */
public enum HeaderMode {
    /** A header if any cell of the first line is not a number. */
    AUTO,
    /** The first line is a header. */
    PRESENT,
    /** Every line is data. */
    ABSENT
}
