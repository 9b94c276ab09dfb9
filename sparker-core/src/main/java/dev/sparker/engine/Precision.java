package dev.sparker.engine;

/** Arithmetic precision of an engine's kernel values. Sums over events are accumulated in double either way. */
public enum Precision {
    /** Kernel values in float lanes, every sum over events accumulated in double. */
    FLOAT,
    /** Everything in double. */
    DOUBLE
}
