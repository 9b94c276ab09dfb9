package dev.sparker.train;

/** The two alternating phases of an epoch. */
public enum Phase {
    /** Locations fixed; Adam on the coefficients of {@code L_NP + L_a}. */
    COEFFICIENTS,
    /** Coefficients fixed; Adam on the locations of {@code L_NP - lambda_H L_H}. */
    LOCATIONS
}
