package dev.sparker.engine.vector;

import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The DOUBLE pass: the same fused pass as {@link FloatEventPass}, with kernel values, {@code f} and every
 * sum in double lanes. See {@link FloatEventPass} for the layout and {@link dev.sparker.engine.ScalarEngine}
 * for the derivation.
 */
final class DoubleEventPass implements EventPass {
    private static final VectorSpecies<Double> D = VectorShapes.DOUBLE;
    private static final int L = D.length();
    /** Events per block: four double vectors. */
    static final int BLOCK = 4 * L;

    private final int m;
    private final int d;
    private final double amplitude;
    private final double invSigma2;
    private final double negInv2s2;
    private final double[] refX;
    private final double[] refW;
    private final int refPad;
    private final double[] dataX;
    private final double[] dataW;
    private final int dataPad;
    private final double[] mu;
    private final double[] ampA;
    /** Accumulators of each part; how many parts there are depends only on the number of events. */
    private final Layout.Sums[] parts;
    /** Kernel-value scratch of each worker (the caller is worker 0). */
    private final Scratch[] scratch;
    /** Whether d = 1 takes the one-feature loops ({@code forward1}, {@code locationSums1}); false only in tests. */
    private final boolean oneFeatureLoops;

    DoubleEventPass(Samples reference, Samples data, KernelShape shape, int threads) {
        this(reference, data, shape, threads, true);
    }

    /** As above; {@code oneFeatureLoops = false} runs the general loops at d = 1 too (to test that both agree). */
    DoubleEventPass(Samples reference, Samples data, KernelShape shape, int threads, boolean oneFeatureLoops) {
        this.oneFeatureLoops = oneFeatureLoops;
        this.m = shape.kernels();
        this.d = shape.dimension();
        this.amplitude = shape.amplitudeFactor();
        double s2 = shape.sigma() * shape.sigma();
        this.invSigma2 = 1.0 / s2;
        this.negInv2s2 = -1.0 / (2 * s2);
        this.refPad = padded(reference.size());
        this.refX = columns(reference, refPad);
        this.refW = Layout.paddedWeights(reference, refPad);
        this.dataPad = padded(data.size());
        this.dataX = columns(data, dataPad);
        this.dataW = Layout.paddedWeights(data, dataPad);
        this.mu = new double[m * d];
        this.ampA = new double[m];
        int count = Layout.parts(refPad / BLOCK + dataPad / BLOCK);
        this.parts = new Layout.Sums[count];
        for (int p = 0; p < count; p++) {
            this.parts[p] = new Layout.Sums(m, d, L);
        }
        this.scratch = new Scratch[Math.min(threads, count)];
        for (int t = 0; t < scratch.length; t++) {
            this.scratch[t] = new Scratch(m);
        }
    }

    private static int padded(int n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static double[] columns(Samples s, int nPad) {
        int d = s.dimension();
        double[] x = new double[d * nPad];
        for (int n = 0; n < s.size(); n++) {
            for (int j = 0; j < d; j++) {
                x[j * nPad + n] = s.coordinate(n, j);
            }
        }
        return x;
    }

    @Override
    public int parts() {
        return parts.length;
    }

    @Override
    public int workers() {
        return scratch.length;
    }

    @Override
    public void prepare(double[] a, double[] locations) {
        for (int i = 0; i < m; i++) {
            ampA[i] = a[i] * amplitude;
        }
        System.arraycopy(locations, 0, mu, 0, m * d);
    }

    @Override
    public void run(int part, int worker, boolean wantCoefficients, boolean wantLocations,
                    boolean wantHessian) {
        Layout.Sums w = parts[part];
        Scratch s = scratch[worker];
        w.clear(wantHessian);
        int count = parts.length;
        runSample(w, s, refX, refW, refPad, true, Layout.from(refPad / BLOCK, part, count) * BLOCK,
                Layout.from(refPad / BLOCK, part + 1, count) * BLOCK, wantCoefficients, wantLocations, wantHessian);
        runSample(w, s, dataX, dataW, dataPad, false, Layout.from(dataPad / BLOCK, part, count) * BLOCK,
                Layout.from(dataPad / BLOCK, part + 1, count) * BLOCK, wantCoefficients, wantLocations, false);
    }

    private void runSample(Layout.Sums w, Scratch s, double[] x, double[] weights, int nPad, boolean reference, int from, int to,
                           boolean wantCoefficients, boolean wantLocations, boolean wantHessian) {
        for (int b = from; b < to; b += BLOCK) {
            if (d == 1 && oneFeatureLoops) {
                forward1(x, b, s.k, s.f);
            } else {
                forward(x, nPad, b, s.k, s.f);
            }
            if (reference) {
                referenceWeights(s.f, weights, b, s.g, w.loss);
            } else {
                dataWeights(s.f, weights, b, s.g, w.loss);
            }
            if (wantCoefficients) {
                coefficientSums(s.k, s.g, w.sumA);
            }
            if (wantHessian) {
                secondMoments(s.k, s.g, w.sumH);
            }
            if (wantLocations) {
                if (d == 1 && oneFeatureLoops) {
                    locationSums1(x, b, s.k, s.g, w.sumMu);
                } else {
                    locationSums(x, nPad, b, s.k, s.g, w.sumMu);
                }
            }
        }
    }

    /**
     * Kernel values {@code e_i = exp(-|x - mu_i|^2 / (2 sigma^2))} of one block into {@code k} (row i at
     * {@code i * BLOCK}) and {@code f = sum_i (a_i A) e_i} into {@code f}. Two vectors of events at a
     * time (each location coordinate is loaded once for both); successive kernels are independent, so their
     * exponentials overlap in the out-of-order core. The exponential is {@link VectorMath#expKernelArgument}, which C2 inlines
     * (a vector passed to a call that is not inlined is boxed; see {@link VectorMath}).
     */
    private void forward(double[] x, int nPad, int b, double[] k, double[] f) {
        for (int v = 0; v < BLOCK; v += 2 * L) {
            DoubleVector fa = DoubleVector.zero(D);
            DoubleVector fb = DoubleVector.zero(D);
            for (int i = 0; i < m; i++) {
                DoubleVector r2a = DoubleVector.zero(D);
                DoubleVector r2b = DoubleVector.zero(D);
                for (int j = 0; j < d; j++) {
                    DoubleVector muv = DoubleVector.broadcast(D, mu[i * d + j]);
                    int xo = j * nPad + b + v;
                    DoubleVector ta = DoubleVector.fromArray(D, x, xo).sub(muv);
                    DoubleVector tb = DoubleVector.fromArray(D, x, xo + L).sub(muv);
                    r2a = ta.fma(ta, r2a);
                    r2b = tb.fma(tb, r2b);
                }
                DoubleVector ea = VectorMath.expKernelArgument(r2a.mul(negInv2s2));
                DoubleVector eb = VectorMath.expKernelArgument(r2b.mul(negInv2s2));
                ea.intoArray(k, i * BLOCK + v);
                eb.intoArray(k, i * BLOCK + v + L);
                DoubleVector amp = DoubleVector.broadcast(D, ampA[i]);
                fa = ea.fma(amp, fa);
                fb = eb.fma(amp, fb);
            }
            fa.intoArray(f, v);
            fb.intoArray(f, v + L);
        }
    }

    /**
     * {@link #forward} for one feature, two vectors of events at a time: each event vector is loaded once
     * for all kernels, each kernel's location and coefficient once per two vectors, and the two
     * exponentials are independent work for the out-of-order core. {@code t * t * c} rounds exactly as the
     * general loop's {@code fma(t, t, 0) * c}, so both give the same bits.
     */
    private void forward1(double[] x, int b, double[] k, double[] f) {
        for (int v = 0; v < BLOCK; v += 2 * L) {
            DoubleVector xa = DoubleVector.fromArray(D, x, b + v);
            DoubleVector xb = DoubleVector.fromArray(D, x, b + v + L);
            DoubleVector fa = DoubleVector.zero(D);
            DoubleVector fb = DoubleVector.zero(D);
            for (int i = 0; i < m; i++) {
                DoubleVector muv = DoubleVector.broadcast(D, mu[i]);
                DoubleVector amp = DoubleVector.broadcast(D, ampA[i]);
                DoubleVector ta = xa.sub(muv);
                DoubleVector tb = xb.sub(muv);
                DoubleVector ea = VectorMath.expKernelArgument(ta.mul(ta).mul(negInv2s2));
                DoubleVector eb = VectorMath.expKernelArgument(tb.mul(tb).mul(negInv2s2));
                ea.intoArray(k, i * BLOCK + v);
                eb.intoArray(k, i * BLOCK + v + L);
                fa = ea.fma(amp, fa);
                fb = eb.fma(amp, fb);
            }
            fa.intoArray(f, v);
            fb.intoArray(f, v + L);
        }
    }

    /** Reference events: loss += w (e^f - 1), g = w e^f. */
    private static void referenceWeights(double[] f, double[] weights, int b, double[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += L) {
            DoubleVector x = DoubleVector.fromArray(D, f, v);
            DoubleVector ef = VectorMath.exp(x);
            DoubleVector w = DoubleVector.fromArray(D, weights, b + v);
            acc = ef.sub(1.0).fma(w, acc);
            w.mul(ef).intoArray(g, v);
        }
        acc.intoArray(loss, 0);
    }

    /** Data events: loss -= w f, g = -w. */
    private static void dataWeights(double[] f, double[] weights, int b, double[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += L) {
            DoubleVector fv = DoubleVector.fromArray(D, f, v);
            DoubleVector w = DoubleVector.fromArray(D, weights, b + v);
            acc = fv.neg().fma(w, acc);
            w.neg().intoArray(g, v);
        }
        acc.intoArray(loss, 0);
    }

    /** {@code sumA_i += sum_n g_n e_i(x_n)}. */
    private void coefficientSums(double[] k, double[] g, double[] sumA) {
        DoubleVector g0 = DoubleVector.fromArray(D, g, 0);
        DoubleVector g1 = DoubleVector.fromArray(D, g, L);
        DoubleVector g2 = DoubleVector.fromArray(D, g, 2 * L);
        DoubleVector g3 = DoubleVector.fromArray(D, g, 3 * L);
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            DoubleVector s0 = DoubleVector.fromArray(D, k, kb).mul(g0)
                    .add(DoubleVector.fromArray(D, k, kb + L).mul(g1));
            DoubleVector s1 = DoubleVector.fromArray(D, k, kb + 2 * L).mul(g2)
                    .add(DoubleVector.fromArray(D, k, kb + 3 * L).mul(g3));
            int o = i * L;
            DoubleVector.fromArray(D, sumA, o).add(s0.add(s1)).intoArray(sumA, o);
        }
    }

    /** {@code sumMu_ij += sum_n g_n e_i(x_n) (x_nj - mu_ij)}. */
    private void locationSums(double[] x, int nPad, int b, double[] k, double[] g, double[] sumMu) {
        DoubleVector g0 = DoubleVector.fromArray(D, g, 0);
        DoubleVector g1 = DoubleVector.fromArray(D, g, L);
        DoubleVector g2 = DoubleVector.fromArray(D, g, 2 * L);
        DoubleVector g3 = DoubleVector.fromArray(D, g, 3 * L);
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            DoubleVector ge0 = DoubleVector.fromArray(D, k, kb).mul(g0);
            DoubleVector ge1 = DoubleVector.fromArray(D, k, kb + L).mul(g1);
            DoubleVector ge2 = DoubleVector.fromArray(D, k, kb + 2 * L).mul(g2);
            DoubleVector ge3 = DoubleVector.fromArray(D, k, kb + 3 * L).mul(g3);
            for (int j = 0; j < d; j++) {
                DoubleVector muv = DoubleVector.broadcast(D, mu[i * d + j]);
                int xo = j * nPad + b;
                DoubleVector s0 = ge0.mul(DoubleVector.fromArray(D, x, xo).sub(muv))
                        .add(ge1.mul(DoubleVector.fromArray(D, x, xo + L).sub(muv)));
                DoubleVector s1 = ge2.mul(DoubleVector.fromArray(D, x, xo + 2 * L).sub(muv))
                        .add(ge3.mul(DoubleVector.fromArray(D, x, xo + 3 * L).sub(muv)));
                int o = (i * d + j) * L;
                DoubleVector.fromArray(D, sumMu, o).add(s0.add(s1)).intoArray(sumMu, o);
            }
        }
    }

    /** {@link #locationSums} for one feature: the block's events are loaded once for all kernels; same bits. */
    private void locationSums1(double[] x, int b, double[] k, double[] g, double[] sumMu) {
        DoubleVector g0 = DoubleVector.fromArray(D, g, 0);
        DoubleVector g1 = DoubleVector.fromArray(D, g, L);
        DoubleVector g2 = DoubleVector.fromArray(D, g, 2 * L);
        DoubleVector g3 = DoubleVector.fromArray(D, g, 3 * L);
        DoubleVector x0 = DoubleVector.fromArray(D, x, b);
        DoubleVector x1 = DoubleVector.fromArray(D, x, b + L);
        DoubleVector x2 = DoubleVector.fromArray(D, x, b + 2 * L);
        DoubleVector x3 = DoubleVector.fromArray(D, x, b + 3 * L);
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            DoubleVector muv = DoubleVector.broadcast(D, mu[i]);
            DoubleVector s0 = DoubleVector.fromArray(D, k, kb).mul(g0).mul(x0.sub(muv))
                    .add(DoubleVector.fromArray(D, k, kb + L).mul(g1).mul(x1.sub(muv)));
            DoubleVector s1 = DoubleVector.fromArray(D, k, kb + 2 * L).mul(g2).mul(x2.sub(muv))
                    .add(DoubleVector.fromArray(D, k, kb + 3 * L).mul(g3).mul(x3.sub(muv)));
            int o = i * L;
            DoubleVector.fromArray(D, sumMu, o).add(s0.add(s1)).intoArray(sumMu, o);
        }
    }

    /**
     * {@code sumH_ij += sum_n g_n e_i(x_n) e_j(x_n)} for j &lt;= i over a block of reference events (M^2 / 2
     * pairs per block: the cost that limits the exact coefficient phase to small M).
     */
    private void secondMoments(double[] k, double[] g, double[] sumH) {
        DoubleVector g0 = DoubleVector.fromArray(D, g, 0);
        DoubleVector g1 = DoubleVector.fromArray(D, g, L);
        DoubleVector g2 = DoubleVector.fromArray(D, g, 2 * L);
        DoubleVector g3 = DoubleVector.fromArray(D, g, 3 * L);
        for (int i = 0, q = 0; i < m; i++) {
            int ib = i * BLOCK;
            DoubleVector ge0 = DoubleVector.fromArray(D, k, ib).mul(g0);
            DoubleVector ge1 = DoubleVector.fromArray(D, k, ib + L).mul(g1);
            DoubleVector ge2 = DoubleVector.fromArray(D, k, ib + 2 * L).mul(g2);
            DoubleVector ge3 = DoubleVector.fromArray(D, k, ib + 3 * L).mul(g3);
            for (int j = 0; j <= i; j++, q++) {
                int jb = j * BLOCK;
                DoubleVector s0 = DoubleVector.fromArray(D, k, jb).mul(ge0)
                        .add(DoubleVector.fromArray(D, k, jb + L).mul(ge1));
                DoubleVector s1 = DoubleVector.fromArray(D, k, jb + 2 * L).mul(ge2)
                        .add(DoubleVector.fromArray(D, k, jb + 3 * L).mul(ge3));
                int o = q * L;
                DoubleVector.fromArray(D, sumH, o).add(s0.add(s1)).intoArray(sumH, o);
            }
        }
    }

    @Override
    public void reduce(double[] a, boolean wantCoefficients, boolean wantLocations, boolean wantHessian,
                       NpEvaluation out) {
        Layout.reduce(parts, L, m, d, amplitude, invSigma2, a, wantCoefficients, wantLocations, wantHessian, out);
    }

    /** One worker's kernel values, f and g of the block it is on, reused across blocks and evaluations. */
    static final class Scratch {
        final double[] k;
        final double[] f;
        final double[] g;

        Scratch(int m) {
            this.k = new double[m * BLOCK];
            this.f = new double[BLOCK];
            this.g = new double[BLOCK];
        }
    }
}
