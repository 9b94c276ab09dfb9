package dev.sparker.model;

import java.util.Arrays;

/**
 * An immutable sample of {@code n} events in {@code d} dimensions, each with a non-negative weight.
 *
 * <p>Coordinates are stored row-major in one flat array (event {@code i}, feature {@code j} at
 * {@code i * d + j}). Every factory validates its input and throws {@link IllegalArgumentException}
 * naming the offending event, column and value.
 */
public final class Samples {
    private final int size;
    private final int dimension;
    private final double[] coordinates;
    private final double[] weights;

    private Samples(int size, int dimension, double[] coordinates, double[] weights) {
        this.size = size;
        this.dimension = dimension;
        this.coordinates = coordinates;
        this.weights = weights;
    }

    /**
     * Events as rows, every event with the same weight.
     *
     * @param events n x d coordinates, one row per event (copied)
     * @param weight the weight of every event, finite and non-negative (a reference's {@code N0 / N_R}, paper
     *               section 2)
     * @return the sample
     * @throws IllegalArgumentException when there are no events, rows are ragged or null, or a value is not finite
     */
    public static Samples of(double[][] events, double weight) {
        int n = requireEvents(events);
        double[] w = new double[n];
        Arrays.fill(w, weight);
        return of(events, w);
    }

    /**
     * Events as rows with one weight per event.
     *
     * @param events  n x d coordinates, one row per event (copied)
     * @param weights n weights, finite and non-negative (copied)
     * @return the sample
     * @throws IllegalArgumentException naming the event (and column) of an empty, ragged or non-finite input
     */
    public static Samples of(double[][] events, double[] weights) {
        int n = requireEvents(events);
        if (events[0] == null) {
            throw new IllegalArgumentException("event 0 is null");
        }
        int d = events[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("events have dimension 0; at least one feature is needed");
        }
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            double[] row = events[i];
            if (row == null) {
                throw new IllegalArgumentException("event " + i + " is null");
            }
            if (row.length != d) {
                throw new IllegalArgumentException(
                        "event " + i + " has " + row.length + " coordinates but event 0 has " + d);
            }
            System.arraycopy(row, 0, flat, i * d, d);
        }
        return fromFlat(flat, n, d, weights);
    }

    /**
     * Events from a flat row-major array, every event with the same weight.
     *
     * @param coordinates n * d values, event {@code i}, feature {@code j} at {@code i * d + j} (copied)
     * @param n           number of events, at least 1
     * @param d           number of features, at least 1
     * @param weight      the weight of every event, finite and non-negative
     * @return the sample
     * @throws IllegalArgumentException naming the problem: sizes, a non-finite coordinate (event, column), a bad weight
     */
    public static Samples fromFlat(double[] coordinates, int n, int d, double weight) {
        if (n < 1) {
            throw new IllegalArgumentException("empty sample: n = " + n + "; at least one event is needed");
        }
        double[] w = new double[n];
        Arrays.fill(w, weight);
        return fromFlat(coordinates, n, d, w);
    }

    /**
     * Events from a flat row-major array with one weight per event. Arrays are copied.
     *
     * @param coordinates n * d values, event {@code i}, feature {@code j} at {@code i * d + j}
     * @param n           number of events, at least 1
     * @param d           number of features, at least 1
     * @param weights     n weights, finite and non-negative
     * @return the sample
     * @throws IllegalArgumentException naming the problem: sizes, a non-finite coordinate (event, column), a bad weight
     */
    public static Samples fromFlat(double[] coordinates, int n, int d, double[] weights) {
        if (n < 1) {
            throw new IllegalArgumentException("empty sample: n = " + n + "; at least one event is needed");
        }
        if (d < 1) {
            throw new IllegalArgumentException("dimension d = " + d + "; at least one feature is needed");
        }
        if (coordinates == null || weights == null) {
            throw new IllegalArgumentException("coordinates and weights must not be null");
        }
        if ((long) n * d != coordinates.length) {
            throw new IllegalArgumentException(
                    "coordinate array has length " + coordinates.length + " but n * d = " + n + " * " + d);
        }
        if (weights.length != n) {
            throw new IllegalArgumentException("weights has length " + weights.length + " but the sample has " + n + " events");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = coordinates[i * d + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "non-finite coordinate " + v + " at event " + i + ", column " + j);
                }
            }
            double w = weights[i];
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException(
                        "weight of event " + i + " is " + w + "; weights must be finite and non-negative");
            }
        }
        return new Samples(n, d, coordinates.clone(), weights.clone());
    }

    /** {@return the number of events n} */
    public int size() {
        return size;
    }

    /** {@return the number of features d} */
    public int dimension() {
        return dimension;
    }

    /**
     * {@return that coordinate}
     *
     * @param event   event index, 0 to n - 1
     * @param feature feature index, 0 to d - 1
     */
    public double coordinate(int event, int feature) {
        return coordinates[event * dimension + feature];
    }

    /**
     * {@return that event's weight}
     *
     * @param event event index, 0 to n - 1
     */
    public double weight(int event) {
        return weights[event];
    }

    /**
     * {@return a copy of event {@code i}'s d coordinates}
     *
     * @param i event index, 0 to n - 1
     */
    public double[] event(int i) {
        return Arrays.copyOfRange(coordinates, i * dimension, (i + 1) * dimension);
    }

    /** {@return a copy of all n * d coordinates, row-major} */
    public double[] flatCoordinates() {
        return coordinates.clone();
    }

    /** {@return a copy of the n weights} */
    public double[] weights() {
        return weights.clone();
    }

    /** {@return the sum of the weights (for a reference normalised as in the paper: N0)} */
    public double totalWeight() {
        double s = 0;
        for (double w : weights) {
            s += w;
        }
        return s;
    }

    /**
     * {@return the same events with every weight replaced by {@code weight}}
     *
     * @param weight the new weight of every event, finite and non-negative
     */
    public Samples withWeight(double weight) {
        double[] w = new double[size];
        Arrays.fill(w, weight);
        return fromFlat(coordinates, size, dimension, w);
    }

    /**
     * {@return the same events with every weight multiplied by {@code factor}}
     *
     * @param factor the factor, finite and non-negative
     */
    public Samples withWeightsScaledBy(double factor) {
        double[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
        return fromFlat(coordinates, size, dimension, w);
    }

    /**
     * {@return a sample made of the events at the given indices (in that order), weights kept}
     *
     * @param indices event indices, repeats allowed, at least one
     * @throws IllegalArgumentException when no index is given
     */
    public Samples select(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("empty sample: no indices selected");
        }
        double[] c = new double[indices.length * dimension];
        double[] w = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            System.arraycopy(coordinates, i * dimension, c, k * dimension, dimension);
            w[k] = weights[i];
        }
        return new Samples(indices.length, dimension, c, w);
    }

    private static int requireEvents(double[][] events) {
        if (events == null || events.length == 0) {
            throw new IllegalArgumentException("empty sample: no events; at least one event is needed");
        }
        return events.length;
    }

    @Override
    public String toString() {
        return "Samples[n=" + size + ", d=" + dimension + "]";
    }
}
