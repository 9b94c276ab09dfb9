package dev.sparker.engine.vector;

import dev.sparker.model.Samples;

/**
 * A sample laid out for the vector loops: coordinates feature-major ({@code x[j * padded + n]}) in the
 * engine's precision, weights in double, padded up to a multiple of the float lane count with zero-weight
 * copies of the last event, so that every loop runs whole vectors and has no scalar tail. A zero weight
 * makes a padding event contribute exactly nothing; copying a real event (rather than the origin) keeps
 * its f finite whenever the real events' f is, so 0 x infinity cannot appear.
 */
final class PaddedSample {
    final int size;
    final int padded;
    final int dimension;
    final float[] xFloat;
    final double[] xDouble;
    final double[] weights;

    PaddedSample(Samples s, int lanes, boolean floatPrecision) {
        this.size = s.size();
        this.dimension = s.dimension();
        this.padded = (size + lanes - 1) / lanes * lanes;
        double[] flat = s.flatCoordinates();
        double[] w = s.weights();
        this.weights = new double[padded];
        System.arraycopy(w, 0, weights, 0, size);
        if (floatPrecision) {
            xFloat = new float[dimension * padded];
            xDouble = null;
            for (int n = 0; n < padded; n++) {
                int src = Math.min(n, size - 1);
                for (int j = 0; j < dimension; j++) {
                    xFloat[j * padded + n] = (float) flat[src * dimension + j];
                }
            }
        } else {
            xDouble = new double[dimension * padded];
            xFloat = null;
            for (int n = 0; n < padded; n++) {
                int src = Math.min(n, size - 1);
                for (int j = 0; j < dimension; j++) {
                    xDouble[j * padded + n] = flat[src * dimension + j];
                }
            }
        }
    }

    /** Start of chunk {@code t} of {@code chunks}, in events, on a lane boundary (fixed for given sizes). */
    int chunkStart(int t, int chunks, int lanes) {
        long vectors = padded / lanes;
        return (int) (vectors * t / chunks) * lanes;
    }
}
