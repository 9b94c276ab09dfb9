package dev.sparker.bench;

import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;

/** The benchmark problems: EXPO-like samples (every coordinate Exp(1)), reference weight N_D / N_R. */
final class Problems {
    final Samples reference;
    final Samples data;
    final KernelShape shape;
    final double[] a;
    final double[] mu;

    Problems(int nRef, int nData, int m, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        reference = Samples.fromFlat(exponential(r, nRef * d), nRef, d, (double) nData / nRef);
        data = Samples.fromFlat(exponential(r, nData * d), nData, d, 1.0);
        // d = 1: the EXPO_1D width (90 % quantile of |x - y| for Exp(1) is ln 10) and amplitude;
        // d > 1: the width grows like sqrt(d), amplitude as in GW_12D
        double sigma = Math.log(10) * Math.sqrt(d);
        shape = new KernelShape(m, d, sigma, d == 1 ? Amplitude.GAUSSIAN : Amplitude.REFERENCE_CODE);
        a = new double[m];
        mu = new double[m * d];
        double amp = shape.amplitudeFactor();
        for (int i = 0; i < m; i++) {
            a[i] = 0.3 * r.nextGaussian() / Math.sqrt(m) / amp;
            int e = r.nextInt(nData);
            for (int j = 0; j < d; j++) {
                mu[i * d + j] = data.coordinate(e, j);
            }
        }
    }

    private static double[] exponential(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -Math.log(1 - r.nextDouble());
        }
        return x;
    }
}
