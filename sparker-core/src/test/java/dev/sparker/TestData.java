package dev.sparker;

import dev.sparker.model.Samples;
import java.util.SplittableRandom;

/** Seeded EXPO-1D-like samples for tests. */
final class TestData {
    private TestData() {
    }

    static double exp1(SplittableRandom r) {
        return -Math.log(1 - r.nextDouble());
    }

    /** Poisson draw by inversion (small means) or normal approximation (large means), seeded. */
    static int poisson(SplittableRandom r, double mean) {
        if (mean > 500) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = r.nextDouble();
        while (p > l) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }

    /** {@code nRef} Exp(1) events weighted {@code expected / nRef}. */
    static Samples reference(long seed, int nRef, double expected) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[nRef];
        for (int i = 0; i < nRef; i++) {
            x[i] = exp1(r);
        }
        return Samples.fromFlat(x, nRef, 1, expected / nRef);
    }

    /** Poisson(expected) Exp(1) events plus Poisson(nSignal) Gaussian(mean, width) events, weight 1. */
    static Samples data(long seed, double expected, double nSignal, double mean, double width) {
        SplittableRandom r = new SplittableRandom(seed);
        int nb = poisson(r, expected);
        int ns = nSignal > 0 ? poisson(r, nSignal) : 0;
        double[] x = new double[nb + ns];
        for (int i = 0; i < nb; i++) {
            x[i] = exp1(r);
        }
        for (int i = nb; i < nb + ns; i++) {
            x[i] = mean + width * r.nextGaussian();
        }
        return Samples.fromFlat(x, x.length, 1, 1.0);
    }
}
