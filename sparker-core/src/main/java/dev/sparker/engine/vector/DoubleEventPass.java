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
    private final Part[] parts;

    DoubleEventPass(Samples reference, Samples data, KernelShape shape, int parts) {
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
        this.parts = new Part[parts];
        for (int p = 0; p < parts; p++) {
            this.parts[p] = new Part(m, d);
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
    public void prepare(double[] a, double[] locations) {
        for (int i = 0; i < m; i++) {
            ampA[i] = a[i] * amplitude;
        }
        System.arraycopy(locations, 0, mu, 0, m * d);
    }

    @Override
    public void run(int part, boolean wantCoefficients, boolean wantLocations) {
        Part w = parts[part];
        w.clear();
        int count = parts.length;
        runSample(w, refX, refW, refPad, true, Layout.from(refPad / BLOCK, part, count) * BLOCK,
                Layout.from(refPad / BLOCK, part + 1, count) * BLOCK, wantCoefficients, wantLocations);
        runSample(w, dataX, dataW, dataPad, false, Layout.from(dataPad / BLOCK, part, count) * BLOCK,
                Layout.from(dataPad / BLOCK, part + 1, count) * BLOCK, wantCoefficients, wantLocations);
    }

    private void runSample(Part w, double[] x, double[] weights, int nPad, boolean reference, int from, int to,
                           boolean wantCoefficients, boolean wantLocations) {
        for (int b = from; b < to; b += BLOCK) {
            if (d == 1) {
                forward1(x, b, w.k, w.f);
            } else {
                forward(x, nPad, b, w.k, w.f);
            }
            if (reference) {
                referenceWeights(w.f, weights, b, w.g, w.loss);
            } else {
                dataWeights(w.f, weights, b, w.g, w.loss);
            }
            if (wantCoefficients) {
                coefficientSums(w.k, w.g, w.sumA);
            }
            if (wantLocations) {
                locationSums(x, nPad, b, w.k, w.g, w.sumMu);
            }
        }
    }

    private void forward1(double[] x, int b, double[] k, double[] f) {
        DoubleVector c = DoubleVector.broadcast(D, negInv2s2);
        DoubleVector x0 = DoubleVector.fromArray(D, x, b);
        DoubleVector x1 = DoubleVector.fromArray(D, x, b + L);
        DoubleVector x2 = DoubleVector.fromArray(D, x, b + 2 * L);
        DoubleVector x3 = DoubleVector.fromArray(D, x, b + 3 * L);
        DoubleVector f0 = DoubleVector.zero(D);
        DoubleVector f1 = f0;
        DoubleVector f2 = f0;
        DoubleVector f3 = f0;
        for (int i = 0; i < m; i++) {
            DoubleVector muv = DoubleVector.broadcast(D, mu[i]);
            DoubleVector t0 = x0.sub(muv);
            DoubleVector t1 = x1.sub(muv);
            DoubleVector t2 = x2.sub(muv);
            DoubleVector t3 = x3.sub(muv);
            DoubleVector e0 = VectorMath.expNonPositive(t0.mul(t0).mul(c));
            DoubleVector e1 = VectorMath.expNonPositive(t1.mul(t1).mul(c));
            DoubleVector e2 = VectorMath.expNonPositive(t2.mul(t2).mul(c));
            DoubleVector e3 = VectorMath.expNonPositive(t3.mul(t3).mul(c));
            int o = i * BLOCK;
            e0.intoArray(k, o);
            e1.intoArray(k, o + L);
            e2.intoArray(k, o + 2 * L);
            e3.intoArray(k, o + 3 * L);
            DoubleVector av = DoubleVector.broadcast(D, ampA[i]);
            f0 = e0.fma(av, f0);
            f1 = e1.fma(av, f1);
            f2 = e2.fma(av, f2);
            f3 = e3.fma(av, f3);
        }
        f0.intoArray(f, 0);
        f1.intoArray(f, L);
        f2.intoArray(f, 2 * L);
        f3.intoArray(f, 3 * L);
    }

    private void forward(double[] x, int nPad, int b, double[] k, double[] f) {
        DoubleVector c = DoubleVector.broadcast(D, negInv2s2);
        DoubleVector f0 = DoubleVector.zero(D);
        DoubleVector f1 = f0;
        DoubleVector f2 = f0;
        DoubleVector f3 = f0;
        for (int i = 0; i < m; i++) {
            DoubleVector r0 = DoubleVector.zero(D);
            DoubleVector r1 = r0;
            DoubleVector r2 = r0;
            DoubleVector r3 = r0;
            for (int j = 0; j < d; j++) {
                DoubleVector muv = DoubleVector.broadcast(D, mu[i * d + j]);
                int o = j * nPad + b;
                DoubleVector t0 = DoubleVector.fromArray(D, x, o).sub(muv);
                DoubleVector t1 = DoubleVector.fromArray(D, x, o + L).sub(muv);
                DoubleVector t2 = DoubleVector.fromArray(D, x, o + 2 * L).sub(muv);
                DoubleVector t3 = DoubleVector.fromArray(D, x, o + 3 * L).sub(muv);
                r0 = t0.fma(t0, r0);
                r1 = t1.fma(t1, r1);
                r2 = t2.fma(t2, r2);
                r3 = t3.fma(t3, r3);
            }
            DoubleVector e0 = VectorMath.expNonPositive(r0.mul(c));
            DoubleVector e1 = VectorMath.expNonPositive(r1.mul(c));
            DoubleVector e2 = VectorMath.expNonPositive(r2.mul(c));
            DoubleVector e3 = VectorMath.expNonPositive(r3.mul(c));
            int o = i * BLOCK;
            e0.intoArray(k, o);
            e1.intoArray(k, o + L);
            e2.intoArray(k, o + 2 * L);
            e3.intoArray(k, o + 3 * L);
            DoubleVector av = DoubleVector.broadcast(D, ampA[i]);
            f0 = e0.fma(av, f0);
            f1 = e1.fma(av, f1);
            f2 = e2.fma(av, f2);
            f3 = e3.fma(av, f3);
        }
        f0.intoArray(f, 0);
        f1.intoArray(f, L);
        f2.intoArray(f, 2 * L);
        f3.intoArray(f, 3 * L);
    }

    /** Reference events: loss += w (e^f - 1), g = w e^f. */
    private static void referenceWeights(double[] f, double[] weights, int b, double[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += L) {
            DoubleVector ef = VectorMath.exp(DoubleVector.fromArray(D, f, v));
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

    @Override
    public void reduce(double[] a, boolean wantCoefficients, boolean wantLocations, NpEvaluation out) {
        Layout.reduce(parts, L, m, d, amplitude, invSigma2, a, wantCoefficients, wantLocations, out);
    }

    /** One part's scratch and accumulators, reused across evaluations. */
    static final class Part extends Layout.Sums {
        final double[] k;
        final double[] f;
        final double[] g;

        Part(int m, int d) {
            super(m, d, L);
            this.k = new double[m * BLOCK];
            this.f = new double[BLOCK];
            this.g = new double[BLOCK];
        }
    }
}
