package dev.sparker.engine.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * DOUBLE precision: everything in double lanes.
 *
 * <p>Per block of events: (1) kernel rows {@code k[i][v] = A exp(-|x_v - mu_i|^2 / (2 sigma^2))} and
 * {@code f_v = sum_i a_i k[i][v]}, one exponential per (event, kernel); (2) per event, in double,
 * {@code g_v = w e^f} (reference) or {@code -w} (data) and the loss; (3) the gradient sums
 * {@code sum_v g_v k[i][v]} and {@code sum_v g_v k[i][v] (x_v - mu_i)}.
 */
final class DoubleWorker extends Worker {
    private static final VectorSpecies<Double> DS = VectorConstants.DOUBLE;
    private static final int DL = DS.length();

    private final int block;
    private final double[] k;
    private final double[] f;
    private final double[] g;

    DoubleWorker(int kernels, int dimension) {
        super(kernels, dimension);
        this.block = blockSize(kernels, DL);
        this.k = new double[block * kernels];
        this.f = new double[block];
        this.g = new double[block];
    }

    @Override
    void accumulate(PaddedSample s, int from, int to, boolean reference, Parameters p, boolean wantA, boolean wantMu) {
        double amp = p.amplitude;
        double negC = p.negInv2s2;
        boolean wantGrad = wantA || wantMu;
        for (int base = from; base < to; base += block) {
            int len = Math.min(block, to - base);
            kernelRows(s.xDouble, s.padded, base, len, p.a, p.mu, amp, negC);
            if (reference) {
                referenceEvents(s.weights, base, len, wantGrad);
            } else {
                dataEvents(s.weights, base, len, wantGrad);
            }
            if (wantA) {
                coefficientSums(len);
            }
            if (wantMu) {
                momentSums(s.xDouble, s.padded, base, len, p.mu);
            }
        }
    }

    private void kernelRows(double[] x, int padded, int base, int len, double[] a, double[] mu, double amp, double negC) {
        int d = dimension;
        for (int v = 0; v < len; v += DL) {
            DoubleVector fv = DoubleVector.zero(DS);
            for (int i = 0; i < kernels; i++) {
                DoubleVector r2 = DoubleVector.zero(DS);
                for (int j = 0; j < d; j++) {
                    DoubleVector diff = DoubleVector.fromArray(DS, x, j * padded + base + v).sub(mu[i * d + j]);
                    r2 = diff.fma(diff, r2);
                }
                DoubleVector kv = r2.mul(negC).lanewise(VectorOperators.EXP).mul(amp);
                kv.intoArray(k, i * block + v);
                fv = kv.mul(a[i]).add(fv);
            }
            fv.intoArray(f, v);
        }
    }

    /** loss += sum w (e^f - 1) with expm1 in double; g = w e^f. */
    private void referenceEvents(double[] w, int base, int len, boolean wantGrad) {
        DoubleVector acc = DoubleVector.zero(DS);
        for (int n = 0; n < len; n += DL) {
            DoubleVector em1 = DoubleVector.fromArray(DS, f, n).lanewise(VectorOperators.EXPM1);
            DoubleVector wv = DoubleVector.fromArray(DS, w, base + n);
            acc = em1.fma(wv, acc);
            if (wantGrad) {
                em1.add(1.0).mul(wv).intoArray(g, n);
            }
        }
        loss += acc.reduceLanes(VectorOperators.ADD);
    }

    /** loss -= sum w f; g = -w. */
    private void dataEvents(double[] w, int base, int len, boolean wantGrad) {
        DoubleVector acc = DoubleVector.zero(DS);
        for (int n = 0; n < len; n += DL) {
            acc = DoubleVector.fromArray(DS, f, n).fma(DoubleVector.fromArray(DS, w, base + n), acc);
        }
        loss -= acc.reduceLanes(VectorOperators.ADD);
        if (wantGrad) {
            for (int n = 0; n < len; n++) {
                g[n] = -w[base + n];
            }
        }
    }

    private void coefficientSums(int len) {
        for (int i = 0; i < kernels; i++) {
            DoubleVector acc = DoubleVector.zero(DS);
            int row = i * block;
            for (int v = 0; v < len; v += DL) {
                acc = DoubleVector.fromArray(DS, g, v).fma(DoubleVector.fromArray(DS, k, row + v), acc);
            }
            gradA[i] += acc.reduceLanes(VectorOperators.ADD);
        }
    }

    private void momentSums(double[] x, int padded, int base, int len, double[] mu) {
        int d = dimension;
        for (int i = 0; i < kernels; i++) {
            int row = i * block;
            for (int j = 0; j < d; j++) {
                double muij = mu[i * d + j];
                int col = j * padded + base;
                DoubleVector acc = DoubleVector.zero(DS);
                for (int v = 0; v < len; v += DL) {
                    DoubleVector gk = DoubleVector.fromArray(DS, g, v).mul(DoubleVector.fromArray(DS, k, row + v));
                    acc = gk.fma(DoubleVector.fromArray(DS, x, col + v).sub(muij), acc);
                }
                moment[i * d + j] += acc.reduceLanes(VectorOperators.ADD);
            }
        }
    }
}
