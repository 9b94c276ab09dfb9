package dev.sparker.validation;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;

/** Seeded random NP-loss problems and the error measures the engine cross-checks use. */
final class EngineProblems {

    /** Relative tolerance of each precision against the scalar engine (loss and both gradients). */
    static double tolerance(Precision p) {
        return p == Precision.DOUBLE ? 1e-12 : 1e-5;
    }

    /** A problem: samples, shape and parameters. */
    record Problem(Samples reference, Samples data, KernelShape shape, double[] a, double[] mu) {
        @Override
        public String toString() {
            return "n_R=" + reference.size() + " n_D=" + data.size() + " M=" + shape.kernels() + " d=" + shape.dimension();
        }
    }

    /**
     * Uniform events in [0, 5)^d (reference weights in (0, 0.1), data weights in (0.5, 1.5)), locations on
     * random events, sigma growing like sqrt(d) so that kernels overlap the events, coefficients of size
     * 1/sqrt(M) so that f is of order one.
     */
    static Problem random(int nRef, int nData, int m, int d, Amplitude amplitude, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Samples ref = sample(r, nRef, d, 0.0, 0.1);
        Samples data = sample(r, nData, d, 0.5, 1.0);
        double sigma = 0.8 * Math.sqrt(d) * (0.75 + 0.5 * r.nextDouble());
        KernelShape shape = new KernelShape(m, d, sigma, amplitude);
        double amp = shape.amplitudeFactor();
        double[] a = new double[m];
        double[] mu = new double[m * d];
        for (int i = 0; i < m; i++) {
            a[i] = r.nextGaussian() / Math.sqrt(m) / amp;
            for (int j = 0; j < d; j++) {
                mu[i * d + j] = 5 * r.nextDouble();
            }
        }
        return new Problem(ref, data, shape, a, mu);
    }

    private static Samples sample(SplittableRandom r, int n, int d, double wLow, double wSpan) {
        double[] x = new double[n * d];
        double[] w = new double[n];
        for (int i = 0; i < n * d; i++) {
            x[i] = 5 * r.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            w[i] = wLow + wSpan * r.nextDouble();
        }
        return Samples.fromFlat(x, n, d, w);
    }

    static NpEvaluation evaluate(Engine engine, Problem p, EngineSettings settings, GradientRequest request) {
        NpEvaluation out = new NpEvaluation(p.shape());
        try (BoundProblem b = engine.bind(p.reference(), p.data(), p.shape(), settings)) {
            b.evaluate(p.a(), p.mu(), request, out);
        }
        return out;
    }

    static NpEvaluation scalar(Problem p) {
        return evaluate(new ScalarEngine(), p, EngineSettings.singleThreadDouble(), GradientRequest.BOTH);
    }

    /**
     * The size of the terms the loss sums, {@code sum_R w (e^f + 1) + sum_D w |f|}: the loss itself can
     * cancel to near zero, so its error is measured relative to this.
     */
    static double lossScale(Problem p) {
        return termScale(p.reference(), p, true) + termScale(p.data(), p, false);
    }

    private static double termScale(Samples s, Problem p, boolean reference) {
        KernelShape shape = p.shape();
        int m = shape.kernels();
        int d = shape.dimension();
        double amp = shape.amplitudeFactor();
        double inv2s2 = 1 / (2 * shape.sigma() * shape.sigma());
        double total = 0;
        for (int n = 0; n < s.size(); n++) {
            double f = 0;
            for (int i = 0; i < m; i++) {
                double r2 = 0;
                for (int j = 0; j < d; j++) {
                    double t = s.coordinate(n, j) - p.mu()[i * d + j];
                    r2 += t * t;
                }
                f += p.a()[i] * amp * Math.exp(-r2 * inv2s2);
            }
            total += s.weight(n) * (reference ? Math.exp(f) + 1 : Math.abs(f));
        }
        return total;
    }

    /** {@code |x - y|_2 / |y|_2}. */
    static double relativeNormError(double[] x, double[] y) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < y.length; i++) {
            diff += (x[i] - y[i]) * (x[i] - y[i]);
            norm += y[i] * y[i];
        }
        return Math.sqrt(diff) / Math.sqrt(norm);
    }

    private EngineProblems() {
    }
}
