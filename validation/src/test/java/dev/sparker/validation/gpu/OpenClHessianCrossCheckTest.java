package dev.sparker.validation.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL coefficient Hessian ({@code np_hessian}, {@link GradientRequest#COEFFICIENT_HESSIAN}) against the
 * scalar engine over n in {1, 15, 16, 17, 1000, 20001} (reference and data each of n events), M in {1, 7, 16,
 * 50}, d in {1, 3, 12}: every entry within {@code tol * ||H||_2} (max component error relative to the
 * Euclidean norm of the matrix's entries, as the OpenCL cross-checks judge gradients), tol = 1e-5 (FLOAT)
 * and 1e-12 (DOUBLE, where the device has fp64); the same request's {@code dL/da} too, and its loss relative to
 * {@code max(|L|, sum of all weights)}. A batch of
 * four problems gives each problem's Hessian bit for bit as a batch of one.
 */
class OpenClHessianCrossCheckTest {
    private static final int[] NS = {1, 15, 16, 17, 1000, 20001};
    private static final int[] MS = {1, 7, 16, 50};
    private static final int[] DS = {1, 3, 12};

    @Test
    void hessianMatchesScalarEngineOnTheGrid() {
        OpenClEngine engine = OpenClDevice.require();
        List<Precision> precisions = new ArrayList<>(List.of(Precision.FLOAT));
        if (engine.supports(Precision.DOUBLE)) {
            precisions.add(Precision.DOUBLE);
        }
        int cells = 0;
        for (int d : DS) {
            for (int m : MS) {
                for (int n : NS) {
                    SplittableRandom rng = new SplittableRandom(7_000_003L * n + 31L * m + d);
                    Samples ref = sample(rng, n, d, 0.1);
                    Samples data = sample(rng, n, d, 1);
                    Amplitude amp = Amplitude.values()[(n + m + d) % Amplitude.values().length];
                    KernelShape shape = new KernelShape(m, d, 0.8 * Math.sqrt(d), amp);
                    double[] a = new double[m];
                    for (int i = 0; i < m; i++) {
                        a[i] = rng.nextDouble(-1, 1) / (Math.sqrt(m) * shape.amplitudeFactor());
                    }
                    double[] mu = new double[m * d];
                    for (int k = 0; k < mu.length; k++) {
                        mu[k] = gaussian(rng);
                    }
                    NpEvaluation want = new NpEvaluation(shape);
                    try (BoundProblem s = new ScalarEngine().bind(ref, data, shape, EngineSettings.singleThreadDouble())) {
                        s.evaluate(a, mu, GradientRequest.COEFFICIENT_HESSIAN, want);
                    }
                    // the loss can cancel to near zero (n = 1): judge it on the scale of the weights it sums
                    double lossScale = Math.max(Math.abs(want.loss()), weightSum(ref) + weightSum(data));
                    for (Precision precision : precisions) {
                        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
                        NpEvaluation got = new NpEvaluation(shape);
                        try (BoundProblem p = engine.bind(ref, data, shape, new EngineSettings(precision, 1))) {
                            p.evaluate(a, mu, GradientRequest.COEFFICIENT_HESSIAN, got);
                        }
                        String cell = String.format(Locale.ROOT, "n=%d M=%d d=%d %s %s", n, m, d, amp, precision);
                        assertTrue(Math.abs(got.loss() - want.loss()) <= tol * lossScale, cell + ": loss " + got.loss()
                                + " vs " + want.loss());
                        double gErr = normRelative(got.coefficientGradient(), want.coefficientGradient());
                        assertTrue(gErr <= tol, cell + ": dL/da relative error " + gErr);
                        double hErr = normRelative(got.coefficientHessian(), want.coefficientHessian());
                        assertTrue(hErr <= tol, cell + ": Hessian relative error " + hErr + " exceeds " + tol);
                    }
                    cells++;
                }
            }
        }
        assertEquals(NS.length * MS.length * DS.length, cells, "every grid cell was checked");
    }

    @Test
    void batchHessianEqualsSingleProblemBitForBit() {
        OpenClEngine engine = OpenClDevice.require();
        SplittableRandom rng = new SplittableRandom(17);
        int m = 11;
        int d = 2;
        KernelShape shape = new KernelShape(m, d, 1.1, Amplitude.UNIT);
        Samples shared = sample(rng, 3001, d, 0.05);
        List<Samples> refs = List.of(shared, shared, sample(rng, 999, d, 0.2), shared);
        List<Samples> data = new ArrayList<>();
        for (int n : new int[]{40, 1, 700, 129}) {
            data.add(sample(rng, n, d, 1));
        }
        double[][] a = new double[4][m];
        double[][] mu = new double[4][m * d];
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < m; i++) {
                a[p][i] = rng.nextDouble(-0.5, 0.5);
            }
            for (int k = 0; k < m * d; k++) {
                mu[p][k] = gaussian(rng);
            }
        }
        EngineSettings settings = new EngineSettings(Precision.FLOAT, 1);
        NpEvaluation[] out = new NpEvaluation[4];
        for (int p = 0; p < 4; p++) {
            out[p] = new NpEvaluation(shape);
        }
        boolean[] active = {true, true, false, true};
        try (BoundBatch batch = engine.bindBatch(refs, data, shape, settings)) {
            batch.evaluate(a, mu, active, GradientRequest.COEFFICIENT_HESSIAN, out);
        }
        for (int p = 0; p < 4; p++) {
            if (!active[p]) {
                continue;
            }
            NpEvaluation single = new NpEvaluation(shape);
            try (BoundProblem one = engine.bind(refs.get(p), data.get(p), shape, settings)) {
                one.evaluate(a[p], mu[p], GradientRequest.COEFFICIENT_HESSIAN, single);
            }
            assertArrayEquals(single.coefficientHessian(), out[p].coefficientHessian(), 0.0, "problem " + p);
        }
    }

    static Samples sample(SplittableRandom rng, int n, int d, double w) {
        double[] x = new double[n * d];
        double[] ws = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = gaussian(rng);
        }
        for (int i = 0; i < n; i++) {
            ws[i] = w * (0.5 + rng.nextDouble());
        }
        return Samples.fromFlat(x, n, d, ws);
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** max_k |got_k - want_k| / ||want||_2. */
    static double normRelative(double[] got, double[] want) {
        double norm = 0;
        double maxDiff = 0;
        for (int k = 0; k < want.length; k++) {
            norm += want[k] * want[k];
            maxDiff = Math.max(maxDiff, Math.abs(got[k] - want[k]));
        }
        norm = Math.sqrt(norm);
        return norm == 0 ? maxDiff : maxDiff / norm;
    }

    private static double weightSum(Samples s) {
        double t = 0;
        for (int n = 0; n < s.size(); n++) {
            t += s.weight(n);
        }
        return t;
    }
}
