package dev.sparker.engine.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT precision: kernel values and f in float lanes; e^f, the loss and every sum over events in double
 * (block partial sums in float lanes over at most 1024 events, then added in double).
 *
 * <p>Per block of events: (1) kernel rows {@code k[i][v] = A exp(-|x_v - mu_i|^2 / (2 sigma^2))} and
 * {@code f_v = sum_i a_i k[i][v]}, one exponential per (event, kernel); (2) per event, in double,
 * {@code g_v = w e^f} (reference) or {@code -w} (data) and the loss; (3) the gradient sums
 * {@code sum_v g_v k[i][v]} and {@code sum_v g_v k[i][v] (x_v - mu_i)}.
 */
final class FloatWorker extends Worker {
    private static final VectorSpecies<Float> FS = VectorConstants.FLOAT;
    private static final VectorSpecies<Double> DS = VectorConstants.DOUBLE;
    private static final int FL = FS.length();
    private static final int DL = DS.length();

    private final int block;
    private final float[] k;
    private final float[] f;
    private final double[] fd;
    private final double[] gd;
    private final float[] g;

    FloatWorker(int kernels, int dimension) {
        super(kernels, dimension);
        this.block = blockSize(kernels, FL);
        this.k = new float[block * kernels];
        this.f = new float[block];
        this.fd = new double[block];
        this.gd = new double[block];
        this.g = new float[block];
    }

    @Override
    void accumulate(PaddedSample s, int from, int to, boolean reference, Parameters p, boolean wantA, boolean wantMu) {
        float amp = (float) p.amplitude;
        float negC = (float) p.negInv2s2;
        boolean wantGrad = wantA || wantMu;
        for (int base = from; base < to; base += block) {
            int len = Math.min(block, to - base);
            kernelRows(s.xFloat, s.padded, base, len, p.aFloat, p.muFloat, amp, negC);
            if (reference) {
                referenceEvents(s.weights, base, len, wantGrad);
            } else {
                dataEvents(s.weights, base, len, wantGrad);
            }
            if (wantA) {
                coefficientSums(len);
            }
            if (wantMu) {
                momentSums(s.xFloat, s.padded, base, len, p.muFloat);
            }
        }
    }

    private void kernelRows(float[] x, int padded, int base, int len, float[] a, float[] mu, float amp, float negC) {
        int d = dimension;
        for (int v = 0; v < len; v += FL) {
            FloatVector fv = FloatVector.zero(FS);
            for (int i = 0; i < kernels; i++) {
                FloatVector r2 = FloatVector.zero(FS);
                for (int j = 0; j < d; j++) {
                    FloatVector diff = FloatVector.fromArray(FS, x, j * padded + base + v).sub(mu[i * d + j]);
                    r2 = diff.fma(diff, r2);
                }
                FloatVector kv = r2.mul(negC).lanewise(VectorOperators.EXP).mul(amp);
                kv.intoArray(k, i * block + v);
                fv = kv.mul(a[i]).add(fv);
            }
            fv.intoArray(f, v);
        }
    }

    /** loss += sum w (e^f - 1) with expm1 in double; g = w e^f. */
    private void referenceEvents(double[] w, int base, int len, boolean wantGrad) {
        for (int n = 0; n < len; n++) {
            fd[n] = f[n];
        }
        DoubleVector acc = DoubleVector.zero(DS);
        for (int n = 0; n < len; n += DL) {
            DoubleVector em1 = DoubleVector.fromArray(DS, fd, n).lanewise(VectorOperators.EXPM1);
            DoubleVector wv = DoubleVector.fromArray(DS, w, base + n);
            acc = em1.fma(wv, acc);
            if (wantGrad) {
                em1.add(1.0).mul(wv).intoArray(gd, n);
            }
        }
        loss += acc.reduceLanes(VectorOperators.ADD);
        if (wantGrad) {
            for (int n = 0; n < len; n++) {
                g[n] = (float) gd[n];
            }
        }
    }

    /** loss -= sum w f; g = -w. */
    private void dataEvents(double[] w, int base, int len, boolean wantGrad) {
        for (int n = 0; n < len; n++) {
            fd[n] = f[n];
        }
        DoubleVector acc = DoubleVector.zero(DS);
        for (int n = 0; n < len; n += DL) {
            acc = DoubleVector.fromArray(DS, fd, n).fma(DoubleVector.fromArray(DS, w, base + n), acc);
        }
        loss -= acc.reduceLanes(VectorOperators.ADD);
        if (wantGrad) {
            for (int n = 0; n < len; n++) {
                g[n] = (float) -w[base + n];
            }
        }
    }

    private void coefficientSums(int len) {
        for (int i = 0; i < kernels; i++) {
            FloatVector acc = FloatVector.zero(FS);
            int row = i * block;
            for (int v = 0; v < len; v += FL) {
                acc = FloatVector.fromArray(FS, g, v).fma(FloatVector.fromArray(FS, k, row + v), acc);
            }
            gradA[i] += acc.reduceLanes(VectorOperators.ADD);
        }
    }

    private void momentSums(float[] x, int padded, int base, int len, float[] mu) {
        int d = dimension;
        for (int i = 0; i < kernels; i++) {
            int row = i * block;
            for (int j = 0; j < d; j++) {
                float muij = mu[i * d + j];
                int col = j * padded + base;
                FloatVector acc = FloatVector.zero(FS);
                for (int v = 0; v < len; v += FL) {
                    FloatVector gk = FloatVector.fromArray(FS, g, v).mul(FloatVector.fromArray(FS, k, row + v));
                    acc = gk.fma(FloatVector.fromArray(FS, x, col + v).sub(muij), acc);
                }
                moment[i * d + j] += acc.reduceLanes(VectorOperators.ADD);
            }
        }
    }
}
