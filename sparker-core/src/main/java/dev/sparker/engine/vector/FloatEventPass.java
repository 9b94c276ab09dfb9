package dev.sparker.engine.vector;

import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FLOAT pass: kernel values {@code e_i(x) = exp(-|x - mu_i|^2 / (2 sigma^2))} and {@code f} in float
 * lanes, every running sum over events ({@code L_NP}, {@code dL/da}, the location moments) in double lanes.
 * The derivation of the sums is on {@link dev.sparker.engine.ScalarEngine}.
 *
 * <p>Layout: events across lanes. Coordinates are stored column by column ({@code x[j * nPad + n]}), each
 * sample padded with zero-weight events to a whole number of blocks, so the hot loops have no tails. A
 * block is {@link #BLOCK} events (four float vectors, so that each gradient accumulator is updated once
 * per four vectors); its M x BLOCK kernel values live in a per-worker scratch buffer, never an n x M matrix.
 * Per block: {@link #forward} computes every {@code e_i} and {@code f}; {@link #referenceWeights} or
 * {@link #dataWeights} turn {@code f} into the loss share and {@code g_n = dL/df(x_n)}; then
 * {@link #coefficientSums} and {@link #locationSums} fold {@code g_n e_i(x_n)} into per-lane double
 * accumulators (the four products of a lane within a block are added in float first, then widened).
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
    /** Accumulators of each part; how many parts there are depends only on the number of events. */
    private final Layout.Sums[] parts;
    /** Kernel-value scratch of each worker (the caller is worker 0). */
    private final Scratch[] scratch;
    /** Whether d = 1 takes the one-feature loops ({@code forward1}, {@code locationSums1}); false only in tests. */
    private final boolean oneFeatureLoops;

    FloatEventPass(Samples reference, Samples data, KernelShape shape, int threads) {
        this(reference, data, shape, threads, true);
    }

    /** As above; {@code oneFeatureLoops = false} runs the general loops at d = 1 too (to test that both agree). */
    FloatEventPass(Samples reference, Samples data, KernelShape shape, int threads, boolean oneFeatureLoops) {
        this.oneFeatureLoops = oneFeatureLoops;
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
        int count = Layout.parts(refPad / BLOCK + dataPad / BLOCK);
        this.parts = new Layout.Sums[count];
        for (int p = 0; p < count; p++) {
            this.parts[p] = new Layout.Sums(m, d, LD);
        }
        this.scratch = new Scratch[Math.min(threads, count)];
        for (int t = 0; t < scratch.length; t++) {
            this.scratch[t] = new Scratch(m);
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
    public int workers() {
        return scratch.length;
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

    private void runSample(Layout.Sums w, Scratch s, float[] x, double[] weights, int nPad, boolean reference, int from, int to,
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
    private void forward(float[] x, int nPad, int b, float[] k, float[] f) {
        for (int v = 0; v < BLOCK; v += 2 * L) {
            FloatVector fa = FloatVector.zero(F);
            FloatVector fb = FloatVector.zero(F);
            for (int i = 0; i < m; i++) {
                FloatVector r2a = FloatVector.zero(F);
                FloatVector r2b = FloatVector.zero(F);
                for (int j = 0; j < d; j++) {
                    FloatVector mu = FloatVector.broadcast(F, muF[i * d + j]);
                    int xo = j * nPad + b + v;
                    FloatVector ta = FloatVector.fromArray(F, x, xo).sub(mu);
                    FloatVector tb = FloatVector.fromArray(F, x, xo + L).sub(mu);
                    r2a = ta.fma(ta, r2a);
                    r2b = tb.fma(tb, r2b);
                }
                FloatVector ea = VectorMath.expKernelArgument(r2a.mul(negInv2s2));
                FloatVector eb = VectorMath.expKernelArgument(r2b.mul(negInv2s2));
                ea.intoArray(k, i * BLOCK + v);
                eb.intoArray(k, i * BLOCK + v + L);
                FloatVector amp = FloatVector.broadcast(F, ampA[i]);
                fa = ea.fma(amp, fa);
                fb = eb.fma(amp, fb);
            }
            fa.intoArray(f, v);
            fb.intoArray(f, v + L);
        }
    }

    /**
     * {@link #forward} for one feature: the event vector is loaded once for all kernels and there is no
     * loop over features. {@code t * t * c} rounds exactly as the general loop's {@code fma(t, t, 0) * c}, so
     * both give the same bits.
     */
    private void forward1(float[] x, int b, float[] k, float[] f) {
        for (int v = 0; v < BLOCK; v += 2 * L) {
            FloatVector xa = FloatVector.fromArray(F, x, b + v);
            FloatVector xb = FloatVector.fromArray(F, x, b + v + L);
            FloatVector fa = FloatVector.zero(F);
            FloatVector fb = FloatVector.zero(F);
            for (int i = 0; i < m; i++) {
                FloatVector mu = FloatVector.broadcast(F, muF[i]);
                FloatVector amp = FloatVector.broadcast(F, ampA[i]);
                FloatVector ta = xa.sub(mu);
                FloatVector tb = xb.sub(mu);
                FloatVector ea = VectorMath.expKernelArgument(ta.mul(ta).mul(negInv2s2));
                FloatVector eb = VectorMath.expKernelArgument(tb.mul(tb).mul(negInv2s2));
                ea.intoArray(k, i * BLOCK + v);
                eb.intoArray(k, i * BLOCK + v + L);
                fa = ea.fma(amp, fa);
                fb = eb.fma(amp, fb);
            }
            fa.intoArray(f, v);
            fb.intoArray(f, v + L);
        }
    }

    /** Reference events: loss += w (e^f - 1) and g = w e^f in double; g also kept in float for the sums. */
    private static void referenceWeights(float[] f, double[] weights, int b, float[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += LD) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FH, f, v).castShape(D, 0);
            DoubleVector ef = VectorMath.exp(x);
            DoubleVector w = DoubleVector.fromArray(D, weights, b + v);
            acc = ef.sub(1.0).fma(w, acc);
            ((FloatVector) w.mul(ef).castShape(FH, 0)).intoArray(g, v);
        }
        acc.intoArray(loss, 0);
    }

    /** Data events: loss -= w f, g = -w. */
    private static void dataWeights(float[] f, double[] weights, int b, float[] g, double[] loss) {
        DoubleVector acc = DoubleVector.fromArray(D, loss, 0);
        for (int v = 0; v < BLOCK; v += LD) {
            DoubleVector fv = (DoubleVector) FloatVector.fromArray(FH, f, v).castShape(D, 0);
            DoubleVector w = DoubleVector.fromArray(D, weights, b + v);
            acc = fv.neg().fma(w, acc);
            ((FloatVector) w.neg().castShape(FH, 0)).intoArray(g, v);
        }
        acc.intoArray(loss, 0);
    }

    /**
     * {@code sumA_i += sum_n g_n e_i(x_n)}: the block's four products per lane are added in float (four
     * terms, error about 2e-7 relative), widened to double and added to the double running sums.
     */
    private void coefficientSums(float[] k, float[] g, double[] sumA) {
        FloatVector g0 = FloatVector.fromArray(F, g, 0);
        FloatVector g1 = FloatVector.fromArray(F, g, L);
        FloatVector g2 = FloatVector.fromArray(F, g, 2 * L);
        FloatVector g3 = FloatVector.fromArray(F, g, 3 * L);
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            FloatVector s = FloatVector.fromArray(F, k, kb).mul(g0);
            s = FloatVector.fromArray(F, k, kb + L).fma(g1, s);
            s = FloatVector.fromArray(F, k, kb + 2 * L).fma(g2, s);
            s = FloatVector.fromArray(F, k, kb + 3 * L).fma(g3, s);
            int o = i * LD;
            DoubleVector.fromArray(D, sumA, o).add(((DoubleVector) s.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) s.convertShape(VectorOperators.F2D, D, 1))).intoArray(sumA, o);
        }
    }

    /** {@code sumMu_ij += sum_n g_n e_i(x_n) (x_nj - mu_ij)}, with the same float-then-double summation. */
    private void locationSums(float[] x, int nPad, int b, float[] k, float[] g, double[] sumMu) {
        FloatVector g0 = FloatVector.fromArray(F, g, 0);
        FloatVector g1 = FloatVector.fromArray(F, g, L);
        FloatVector g2 = FloatVector.fromArray(F, g, 2 * L);
        FloatVector g3 = FloatVector.fromArray(F, g, 3 * L);
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            FloatVector ge0 = FloatVector.fromArray(F, k, kb).mul(g0);
            FloatVector ge1 = FloatVector.fromArray(F, k, kb + L).mul(g1);
            FloatVector ge2 = FloatVector.fromArray(F, k, kb + 2 * L).mul(g2);
            FloatVector ge3 = FloatVector.fromArray(F, k, kb + 3 * L).mul(g3);
            for (int j = 0; j < d; j++) {
                FloatVector mu = FloatVector.broadcast(F, muF[i * d + j]);
                int xo = j * nPad + b;
                FloatVector s = ge0.mul(FloatVector.fromArray(F, x, xo).sub(mu));
                s = ge1.fma(FloatVector.fromArray(F, x, xo + L).sub(mu), s);
                s = ge2.fma(FloatVector.fromArray(F, x, xo + 2 * L).sub(mu), s);
                s = ge3.fma(FloatVector.fromArray(F, x, xo + 3 * L).sub(mu), s);
                int o = (i * d + j) * LD;
                DoubleVector.fromArray(D, sumMu, o).add(((DoubleVector) s.convertShape(VectorOperators.F2D, D, 0))
                        .add((DoubleVector) s.convertShape(VectorOperators.F2D, D, 1))).intoArray(sumMu, o);
            }
        }
    }

    /** {@link #locationSums} for one feature: the block's events are loaded once for all kernels; same bits. */
    private void locationSums1(float[] x, int b, float[] k, float[] g, double[] sumMu) {
        FloatVector g0 = FloatVector.fromArray(F, g, 0);
        FloatVector g1 = FloatVector.fromArray(F, g, L);
        FloatVector g2 = FloatVector.fromArray(F, g, 2 * L);
        FloatVector g3 = FloatVector.fromArray(F, g, 3 * L);
        FloatVector x0 = FloatVector.fromArray(F, x, b);
        FloatVector x1 = FloatVector.fromArray(F, x, b + L);
        FloatVector x2 = FloatVector.fromArray(F, x, b + 2 * L);
        FloatVector x3 = FloatVector.fromArray(F, x, b + 3 * L);
        for (int i = 0; i < m; i++) {
            int kb = i * BLOCK;
            FloatVector mu = FloatVector.broadcast(F, muF[i]);
            FloatVector s = FloatVector.fromArray(F, k, kb).mul(g0).mul(x0.sub(mu));
            s = FloatVector.fromArray(F, k, kb + L).mul(g1).fma(x1.sub(mu), s);
            s = FloatVector.fromArray(F, k, kb + 2 * L).mul(g2).fma(x2.sub(mu), s);
            s = FloatVector.fromArray(F, k, kb + 3 * L).mul(g3).fma(x3.sub(mu), s);
            int o = i * LD;
            DoubleVector.fromArray(D, sumMu, o).add(((DoubleVector) s.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) s.convertShape(VectorOperators.F2D, D, 1))).intoArray(sumMu, o);
        }
    }

    /**
     * {@code sumH_ij += sum_n g_n e_i(x_n) e_j(x_n)} for j &lt;= i over a block of reference events (M^2 / 2
     * pairs per block: the cost that limits the exact coefficient phase to small M), with the same
     * float-then-double summation as {@link #coefficientSums}.
     */
    private void secondMoments(float[] k, float[] g, double[] sumH) {
        FloatVector g0 = FloatVector.fromArray(F, g, 0);
        FloatVector g1 = FloatVector.fromArray(F, g, L);
        FloatVector g2 = FloatVector.fromArray(F, g, 2 * L);
        FloatVector g3 = FloatVector.fromArray(F, g, 3 * L);
        for (int i = 0, q = 0; i < m; i++) {
            int ib = i * BLOCK;
            FloatVector ge0 = FloatVector.fromArray(F, k, ib).mul(g0);
            FloatVector ge1 = FloatVector.fromArray(F, k, ib + L).mul(g1);
            FloatVector ge2 = FloatVector.fromArray(F, k, ib + 2 * L).mul(g2);
            FloatVector ge3 = FloatVector.fromArray(F, k, ib + 3 * L).mul(g3);
            for (int j = 0; j <= i; j++, q++) {
                int jb = j * BLOCK;
                FloatVector s = FloatVector.fromArray(F, k, jb).mul(ge0);
                s = FloatVector.fromArray(F, k, jb + L).fma(ge1, s);
                s = FloatVector.fromArray(F, k, jb + 2 * L).fma(ge2, s);
                s = FloatVector.fromArray(F, k, jb + 3 * L).fma(ge3, s);
                int o = q * LD;
                DoubleVector.fromArray(D, sumH, o).add(((DoubleVector) s.convertShape(VectorOperators.F2D, D, 0))
                        .add((DoubleVector) s.convertShape(VectorOperators.F2D, D, 1))).intoArray(sumH, o);
            }
        }
    }

    @Override
    public void reduce(double[] a, boolean wantCoefficients, boolean wantLocations, boolean wantHessian,
                       NpEvaluation out) {
        Layout.reduce(parts, LD, m, d, amplitude, invSigma2, a, wantCoefficients, wantLocations, wantHessian, out);
    }

    /** One worker's kernel values, f and g of the block it is on, reused across blocks and evaluations. */
    static final class Scratch {
        final float[] k;
        final float[] f;
        final float[] g;

        Scratch(int m) {
            this.k = new float[m * BLOCK];
            this.f = new float[BLOCK];
            this.g = new float[BLOCK];
        }
    }
}
