package dev.sparker.engine.vector;

import dev.sparker.engine.Precision;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.model.KernelShape;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The location entropy of {@link dev.sparker.loss.LocationEntropy} on the Vector API, for the trainer's
 * location phase at large M (O(M^2 d) per step: at M = 1000 the scalar term cost several times an evaluation
 * of the loss on N_R = 2000 events). Same formulas:
 * <pre>
 *   K_lj = A exp(-|mu_l - mu_j|^2 / (2 sigma^2)),  p_l = (1/M) sum_j K_lj,  c_l = -(log p_l + 1)
 *   L_H  = -sum_l p_l log p_l,   dL_H/dmu_l = (1/(M sigma^2)) sum_j K_lj (c_j + c_l) (mu_j - mu_l)
 * </pre>
 * One sweep computes row l of K (vectors over j, the engine's exponential of {@link VectorMath}) and stores
 * it; p_l is its sum (K is symmetric; lanes summed in lane order, so the bits do not depend on the JIT tier);
 * a second sweep over the stored rows gives the gradient. Every
 * exponential of the full matrix is computed (M^2, not M(M-1)/2): mirroring a row into a column costs
 * scattered stores that the vector exponential does not. FLOAT keeps K in float lanes and sums in double;
 * DOUBLE keeps everything in double. Not thread-safe: one workspace per thread.
 */
final class VectorLocationEntropy implements EntropyWorkspace {
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final VectorSpecies<Double> D = VectorShapes.DOUBLE;

    private final int m;
    private final int d;
    private final boolean single;
    private final int mPad;
    private final double amp;
    private final double pre;
    private final double negInv2s2;
    private final float[] muTf;
    private final float[] kf;
    private final double[] muTd;
    private final double[] kd;
    private final double[] cPad;
    private final float[] cPadF;
    /** Lanes stored to be summed in lane order: reduceLanes(ADD) on floating point may sum in any order. */
    private final float[] lanesF;
    private final double[] lanesD;

    VectorLocationEntropy(KernelShape shape, Precision precision) {
        this.m = shape.kernels();
        this.d = shape.dimension();
        this.single = precision == Precision.FLOAT;
        int lanes = single ? F.length() : D.length();
        this.mPad = (m + lanes - 1) / lanes * lanes;
        this.amp = shape.amplitudeFactor();
        double s2 = shape.sigma() * shape.sigma();
        this.pre = 1.0 / (m * s2);
        this.negInv2s2 = -1.0 / (2 * s2);
        this.muTf = single ? new float[d * mPad] : null;
        this.kf = single ? new float[m * mPad] : null;
        this.muTd = single ? null : new double[d * mPad];
        this.kd = single ? null : new double[m * mPad];
        this.cPad = new double[mPad];
        this.cPadF = single ? new float[mPad] : null;
        this.lanesF = new float[F.length()];
        this.lanesD = new double[D.length()];
    }

    @Override
    public double compute(double[] mu, double[] grad) {
        double[] p = rows(mu);
        double h = 0;
        for (int l = 0; l < m; l++) {
            double logp = Math.log(p[l]);
            h -= p[l] * logp;
            cPad[l] = -(logp + 1);
            if (single) {
                cPadF[l] = (float) cPad[l];
            }
        }
        if (grad == null) {
            return h;
        }
        if (single) {
            gradientFloat(mu, grad);
        } else {
            gradientDouble(mu, grad);
        }
        return h;
    }

    /** The first sweep of {@link #compute}: stores the rows of K and returns p (length M). */
    private double[] rows(double[] mu) {
        double[] p = new double[m];
        if (single) {
            rowsFloat(mu, p);
        } else {
            rowsDouble(mu, p);
        }
        return p;
    }

    /**
     * The kernel values K_lj = A exp(-|mu_l - mu_j|^2 / (2 sigma^2)) that {@link #compute} uses, from the same
     * sweep ({@link #rows}), as an M x M row-major array (K_lj at {@code l * M + j}; FLOAT values widened, which
     * is exact). Package-private: the tests pin the sweep's exponentials with it.
     *
     * @param mu kernel locations, M x d row-major
     * @return a new M x M array
     */
    double[] kernelValues(double[] mu) {
        rows(mu);
        double[] k = new double[m * m];
        for (int l = 0; l < m; l++) {
            for (int j = 0; j < m; j++) {
                k[l * m + j] = single ? kf[l * mPad + j] : kd[l * mPad + j];
            }
        }
        return k;
    }

    /** Rows of K in float lanes (padding columns zero) and p_l = (1/M) sum_j K_lj in double. */
    private void rowsFloat(double[] mu, double[] p) {
        for (int q = 0; q < d; q++) {
            for (int j = 0; j < m; j++) {
                muTf[q * mPad + j] = (float) mu[j * d + q];
            }
        }
        int lanes = F.length();
        FloatVector neg = FloatVector.broadcast(F, (float) negInv2s2);
        FloatVector ampV = FloatVector.broadcast(F, (float) amp);
        for (int l = 0; l < m; l++) {
            int row = l * mPad;
            for (int j = 0; j < mPad; j += lanes) {
                FloatVector r2 = FloatVector.zero(F);
                for (int q = 0; q < d; q++) {
                    FloatVector t = FloatVector.fromArray(F, muTf, q * mPad + j).sub(muTf[q * mPad + l]);
                    r2 = t.fma(t, r2);
                }
                FloatVector e = VectorMath.expKernelArgument(r2.mul(neg));
                e.mul(ampV).intoArray(kf, row + j);
            }
            for (int j = m; j < mPad; j++) {
                kf[row + j] = 0;
            }
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < mPad; j += lanes) {
                sum = sum.add(FloatVector.fromArray(F, kf, row + j));
            }
            sum.intoArray(lanesF, 0);
            p[l] = sumLanes(lanesF) / m;
        }
    }

    /** dL_H/dmu from the stored float rows: lanes over j, the sum of each (l, q) in double. */
    private void gradientFloat(double[] mu, double[] grad) {
        int lanes = F.length();
        for (int j = m; j < mPad; j++) {
            cPadF[j] = 0;
        }
        for (int l = 0; l < m; l++) {
            int row = l * mPad;
            FloatVector cl = FloatVector.broadcast(F, cPadF[l]);
            for (int q = 0; q < d; q++) {
                float mlq = muTf[q * mPad + l];
                FloatVector acc = FloatVector.zero(F);
                for (int j = 0; j < mPad; j += lanes) {
                    FloatVector w = FloatVector.fromArray(F, kf, row + j).mul(FloatVector.fromArray(F, cPadF, j).add(cl));
                    acc = w.fma(FloatVector.fromArray(F, muTf, q * mPad + j).sub(mlq), acc);
                }
                acc.intoArray(lanesF, 0);
                grad[l * d + q] = pre * sumLanes(lanesF);
            }
        }
    }

    /** Rows of K in double lanes (padding columns zero) and p_l = (1/M) sum_j K_lj. */
    private void rowsDouble(double[] mu, double[] p) {
        for (int q = 0; q < d; q++) {
            for (int j = 0; j < m; j++) {
                muTd[q * mPad + j] = mu[j * d + q];
            }
        }
        int lanes = D.length();
        DoubleVector neg = DoubleVector.broadcast(D, negInv2s2);
        DoubleVector ampV = DoubleVector.broadcast(D, amp);
        for (int l = 0; l < m; l++) {
            int row = l * mPad;
            for (int j = 0; j < mPad; j += lanes) {
                DoubleVector r2 = DoubleVector.zero(D);
                for (int q = 0; q < d; q++) {
                    DoubleVector t = DoubleVector.fromArray(D, muTd, q * mPad + j).sub(muTd[q * mPad + l]);
                    r2 = t.fma(t, r2);
                }
                DoubleVector e = VectorMath.expKernelArgument(r2.mul(neg));
                e.mul(ampV).intoArray(kd, row + j);
            }
            for (int j = m; j < mPad; j++) {
                kd[row + j] = 0;
            }
            DoubleVector sum = DoubleVector.zero(D);
            for (int j = 0; j < mPad; j += lanes) {
                sum = sum.add(DoubleVector.fromArray(D, kd, row + j));
            }
            sum.intoArray(lanesD, 0);
            p[l] = sumLanes(lanesD) / m;
        }
    }

    private static double sumLanes(float[] lanes) {
        double s = 0;
        for (float v : lanes) {
            s += v;
        }
        return s;
    }

    private static double sumLanes(double[] lanes) {
        double s = 0;
        for (double v : lanes) {
            s += v;
        }
        return s;
    }

    /** dL_H/dmu from the stored double rows. */
    private void gradientDouble(double[] mu, double[] grad) {
        int lanes = D.length();
        for (int j = m; j < mPad; j++) {
            cPad[j] = 0;
        }
        for (int l = 0; l < m; l++) {
            int row = l * mPad;
            DoubleVector cl = DoubleVector.broadcast(D, cPad[l]);
            for (int q = 0; q < d; q++) {
                double mlq = muTd[q * mPad + l];
                DoubleVector acc = DoubleVector.zero(D);
                for (int j = 0; j < mPad; j += lanes) {
                    DoubleVector w = DoubleVector.fromArray(D, kd, row + j).mul(DoubleVector.fromArray(D, cPad, j).add(cl));
                    acc = w.fma(DoubleVector.fromArray(D, muTd, q * mPad + j).sub(mlq), acc);
                }
                acc.intoArray(lanesD, 0);
                grad[l * d + q] = pre * sumLanes(lanesD);
            }
        }
    }
}
