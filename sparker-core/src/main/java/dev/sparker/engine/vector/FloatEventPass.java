package dev.sparker.engine.vector;

import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FLOAT pass: kernel values {@code e_i(x) = exp(-|x - mu_i|^2 / (2 sigma^2))} and {@code f} in float
 * lanes, everything summed over events ({@code L_NP}, {@code dL/da}, the location moments) in double lanes.
 * The derivation of the sums is on {@link dev.sparker.engine.ScalarEngine}.
 *
 * <p>Layout: events across lanes. Coordinates are stored column by column ({@code x[j * nPad + n]}), each
 * sample padded with zero-weight events to a whole number of blocks, so the hot loops have no tails. A
 * block is {@link #BLOCK} events (four float vectors, so that four independent exponentials are in flight);
 * its M x BLOCK kernel values live in a per-part scratch buffer, never an n x M matrix.
 * Per block: {@link #forward} computes every {@code e_i} and {@code f}; {@link #referenceWeights} or
 * {@link #dataWeights} turn {@code f} into the loss share and {@code g_n = dL/df(x_n)}; then
 * {@link #coefficientSums} and {@link #locationSums} fold {@code g_n e_i(x_n)} into per-lane accumulators,
 * widening each float kernel value to double one to one ({@link VectorShapes#FLOAT_HALF} to
 * {@link VectorShapes#DOUBLE}).
 */
final class FloatEventPass implements EventPass {
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final VectorSpecies<Float> FH = VectorShapes.FLOAT_HALF;
    private static final VectorSpecies<Double> D = VectorShapes.DOUBLE;
    private static final int L = F.length();
    private static final int LD = D.length();
    /** Events per block: four float vectors. */
    static final int BLOCK = 4 * L;

    private final int m;
    private final int d;
    private final double amplitude;
    private final double invSigma2;
    private final float negInv2s2;
    private final float[] refX;
    private final double[] refW;
    private final int refPad;
    private final float[] dataX;
    private final double[] dataW;
    private final int dataPad;
    private final float[] muF;
    private final double[] muD;
    private final float[] ampA;
    private final Part[] parts;

    FloatEventPass(Samples reference, Samples data, KernelShape shape, int parts) {
        this.m = shape.kernels();
        this.d = shape.dimension();
        this.amplitude = shape.amplitudeFactor();
        double s2 = shape.sigma() * shape.sigma();
        this.invSigma2 = 1.0 / s2;
        this.negInv2s2 = (float) (-1.0 / (2 * s2));
        this.refPad = padded(reference.size());
        this.refX = columns(reference, refPad);
        this.refW = Layout.paddedWeights(reference, refPad);
        this.dataPad = padded(data.size());
        this.dataX = columns(data, dataPad);
        this.dataW = Layout.paddedWeights(data, dataPad);
        this.muF = new float[m * d];
        this.muD = new double[m * d];
        this.ampA = new float[m];
        this.parts = new Part[parts];
        for (int p = 0; p < parts; p++) {
            this.parts[p] = new Part(m, d);
        }
    }

    private static int padded(int n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static float[] columns(Samples s, int nPad) {
        int d = s.dimension();
        float[] x = new float[d * nPad];
        for (int n = 0; n < s.size(); n++) {
            for (int j = 0; j < d; j++) {
                x[j * nPad + n] = (float) s.coordinate(n, j);
            }
        }
        return x;
    }

    @Override
    public int parts() {
        return parts.length;
    }

    @Override
    public void prepare(double[] a, double[] mu) {
        for (int i = 0; i < m; i++) {
            ampA[i] = (float) (a[i] * amplitude);
        }
        for (int q = 0; q < m * d; q++) {
            muF[q] = (float) mu[q];
            muD[q] = mu[q];
        }
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

    private void runSample(Part w, float[] x, double[] weights, int nPad, boolean reference, int from, int to,
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

    /** d = 1: the four coordinate vectors stay in registers across all kernels. */
    private void forward1(float[] x, int b, float[] k, float[] f) {
        FloatVector c = FloatVector.broadcast(F, negInv2s2);
        FloatVector x0 = FloatVector.fromArray(F, x, b);
        FloatVector x1 = FloatVector.fromArray(F, x, b + L);
        FloatVector x2 = FloatVector.fromArray(F, x, b + 2 * L);
        FloatVector x3 = FloatVector.fromArray(F, x, b + 3 * L);
        FloatVector f0 = FloatVector.zero(F);
        FloatVector f1 = f0;
        FloatVector f2 = f0;
        FloatVector f3 = f0;
        for (int i = 0; i < m; i++) {
            FloatVector mu = FloatVector.broadcast(F, muF[i]);
            FloatVector t0 = x0.sub(mu);
            FloatVector t1 = x1.sub(mu);
            FloatVector t2 = x2.sub(mu);
            FloatVector t3 = x3.sub(mu);
            FloatVector e0 = VectorMath.expNonPositive(t0.mul(t0).mul(c));
            FloatVector e1 = VectorMath.expNonPositive(t1.mul(t1).mul(c));
            FloatVector e2 = VectorMath.expNonPositive(t2.mul(t2).mul(c));
            FloatVector e3 = VectorMath.expNonPositive(t3.mul(t3).mul(c));
            int o = i * BLOCK;
            e0.intoArray(k, o);
            e1.intoArray(k, o + L);
            e2.intoArray(k, o + 2 * L);
            e3.intoArray(k, o + 3 * L);
            FloatVector av = FloatVector.broadcast(F, ampA[i]);
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

    /** Any d: {@code |x - mu_i|^2} summed column by column. */
    private void forward(float[] x, int nPad, int b, float[] k, float[] f) {
        FloatVector c = FloatVector.broadcast(F, negInv2s2);
        FloatVector f0 = FloatVector.zero(F);
        FloatVector f1 = f0;
        FloatVector f2 = f0;
        FloatVector f3 = f0;
        for (int i = 0; i < m; i++) {
            FloatVector r0 = FloatVector.zero(F);
            FloatVector r1 = r0;
            FloatVector r2 = r0;
            FloatVector r3 = r0;
            for (int j = 0; j < d; j++) {
                FloatVector mu = FloatVector.broadcast(F, muF[i * d + j]);
                int o = j * nPad + b;
                FloatVector t0 = FloatVector.fromArray(F, x, o).sub(mu);
                FloatVector t1 = FloatVector.fromArray(F, x, o + L).sub(mu);
                FloatVector t2 = FloatVector.fromArray(F, x, o + 2 * L).sub(mu);
                FloatVector t3 = FloatVector.fromArray(F, x, o + 3 * L).sub(mu);
                r0 = t0.fma(t0, r0);
                r1 = t1.fma(t1, r1);
                r2 = t2.fma(t2, r2);
                r3 = t3.fma(t3, r3);
            }
            FloatVector e0 = VectorMath.expNonPositive(r0.mul(c));
            FloatVector e1 = VectorMath.expNonPositive(r1.mul(c));
            FloatVector e2 = VectorMath.expNonPositive(r2.mul(c));
            FloatVector e3 = VectorMath.expNonPositive(r3.mul(c));
            int o = i * BLOCK;
            e0.intoArray(k, o);
            e1.intoArray(k, o + L);
            e2.intoArray(k, o + 2 * L);
            e3.intoArray(k, o + 3 * L);
            FloatVector av = FloatVector.broadcast(F, ampA[i]);
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

    /** Reference events: loss += w (e^f - 1), g = w e^f; e^f in double. */
    private static void referenceWeights(float[] f, double[] weights, int b, double[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += LD) {
            DoubleVector ef = VectorMath.exp((DoubleVector) FloatVector.fromArray(FH, f, v).castShape(D, 0));
            DoubleVector w = DoubleVector.fromArray(D, weights, b + v);
            acc = ef.sub(1.0).fma(w, acc);
            w.mul(ef).intoArray(g, v);
        }
        acc.intoArray(loss, 0);
    }

    /** Data events: loss -= w f, g = -w. */
    private static void dataWeights(float[] f, double[] weights, int b, double[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += LD) {
            DoubleVector fv = (DoubleVector) FloatVector.fromArray(FH, f, v).castShape(D, 0);
            DoubleVector w = DoubleVector.fromArray(D, weights, b + v);
            acc = fv.neg().fma(w, acc);
            w.neg().intoArray(g, v);
        }
        acc.intoArray(loss, 0);
    }

    /** {@code sumA_i += sum_n g_n e_i(x_n)}, two accumulators per kernel to halve the add chain. */
    private void coefficientSums(float[] k, double[] g, double[] sumA) {
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = s0;
            for (int v = 0; v < BLOCK; v += 2 * LD) {
                DoubleVector e0 = (DoubleVector) FloatVector.fromArray(FH, k, kb + v).castShape(D, 0);
                DoubleVector e1 = (DoubleVector) FloatVector.fromArray(FH, k, kb + v + LD).castShape(D, 0);
                s0 = e0.fma(DoubleVector.fromArray(D, g, v), s0);
                s1 = e1.fma(DoubleVector.fromArray(D, g, v + LD), s1);
            }
            int o = i * LD;
            DoubleVector.fromArray(D, sumA, o).add(s0.add(s1)).intoArray(sumA, o);
        }
    }

    /** {@code sumMu_ij += sum_n g_n e_i(x_n) (x_nj - mu_ij)}; differences taken in double. */
    private void locationSums(float[] x, int nPad, int b, float[] k, double[] g, double[] sumMu) {
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            for (int j = 0; j < d; j++) {
                DoubleVector mu = DoubleVector.broadcast(D, muD[i * d + j]);
                int xo = j * nPad + b;
                DoubleVector s0 = DoubleVector.zero(D);
                DoubleVector s1 = s0;
                for (int v = 0; v < BLOCK; v += 2 * LD) {
                    DoubleVector ge0 = ((DoubleVector) FloatVector.fromArray(FH, k, kb + v).castShape(D, 0))
                            .mul(DoubleVector.fromArray(D, g, v));
                    DoubleVector ge1 = ((DoubleVector) FloatVector.fromArray(FH, k, kb + v + LD).castShape(D, 0))
                            .mul(DoubleVector.fromArray(D, g, v + LD));
                    DoubleVector t0 = ((DoubleVector) FloatVector.fromArray(FH, x, xo + v).castShape(D, 0)).sub(mu);
                    DoubleVector t1 = ((DoubleVector) FloatVector.fromArray(FH, x, xo + v + LD).castShape(D, 0)).sub(mu);
                    s0 = ge0.fma(t0, s0);
                    s1 = ge1.fma(t1, s1);
                }
                int o = (i * d + j) * LD;
                DoubleVector.fromArray(D, sumMu, o).add(s0.add(s1)).intoArray(sumMu, o);
            }
        }
    }

    @Override
    public void reduce(double[] a, boolean wantCoefficients, boolean wantLocations, NpEvaluation out) {
        Layout.reduce(parts, LD, m, d, amplitude, invSigma2, a, wantCoefficients, wantLocations, out);
    }

    /** One part's scratch and accumulators, reused across evaluations. */
    static final class Part extends Layout.Sums {
        final float[] k;
        final float[] f;
        final double[] g;

        Part(int m, int d) {
            super(m, d, LD);
            this.k = new float[m * BLOCK];
            this.f = new float[BLOCK];
            this.g = new double[BLOCK];
        }
    }
}
