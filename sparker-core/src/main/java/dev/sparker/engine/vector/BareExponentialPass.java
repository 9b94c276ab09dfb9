package dev.sparker.engine.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's limit for our work, for the benchmarks: the same n x M exponential arguments as a d = 1
 * training step ({@code -(x_n - mu_i)^2 / (2 sigma^2)}), evaluated in float lanes and summed, with nothing
 * else. It lives here because only this module touches {@code jdk.incubator.vector}; check
 * {@link VectorEngine#availability()} before using it.
 *
 * <p>It also holds the JMH pair that shows the engine's exponential costs nothing as a call: the same loop
 * with {@link VectorMath}'s helper called ({@link #sumPolynomial()}, {@link #sumPolynomialDouble()}) and with
 * the same operations written out ({@link #sumPolynomialWrittenOut()}, {@link #sumPolynomialDoubleWrittenOut()}),
 * which give the same bits.
 */
public final class BareExponentialPass {
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final int L = F.length();
    /** Events per block, as in the engine: four float vectors. */
    private static final int BLOCK = 4 * L;

    private static final VectorSpecies<Double> D = VectorShapes.DOUBLE;
    private static final int LD = D.length();
    /** Events per DOUBLE block: four double vectors. */
    private static final int BLOCK_D = 4 * LD;

    private final float[] x;
    private final float[] mu;
    private final float negInv2s2;
    private final double[] xd;
    private final double[] mud;
    private final double negInv2s2d;

    /**
     * Events {@code x} (padded with zeros to whole blocks), kernel locations {@code mu}, width {@code sigma}.
     *
     * @param x     events (d = 1)
     * @param mu    kernel locations (d = 1)
     * @param sigma the kernel width, > 0
     */
    public BareExponentialPass(double[] x, double[] mu, double sigma) {
        int nPad = (x.length + BLOCK - 1) / BLOCK * BLOCK;
        this.x = new float[nPad];
        for (int n = 0; n < x.length; n++) {
            this.x[n] = (float) x[n];
        }
        this.mu = new float[mu.length];
        for (int i = 0; i < mu.length; i++) {
            this.mu[i] = (float) mu[i];
        }
        this.negInv2s2 = (float) (-1.0 / (2 * sigma * sigma));
        this.xd = new double[(x.length + BLOCK_D - 1) / BLOCK_D * BLOCK_D];
        System.arraycopy(x, 0, xd, 0, x.length);
        this.mud = mu.clone();
        this.negInv2s2d = -1.0 / (2 * sigma * sigma);
    }

    /**
     * {@return the number of exponentials one {@link #sum()} evaluates (padding included)}
     */
    public long evaluations() {
        return (long) x.length * mu.length;
    }

    /**
     * {@return {@code sum_n sum_i exp(-(x_n - mu_i)^2 / (2 sigma^2))} in float, with the Vector API's
     * {@code EXP}}
     */
    public float sum() {
        float total = 0;
        for (int b = 0; b < x.length; b += BLOCK) {
            total += block(b);
        }
        return total;
    }

    private float block(int b) {
        FloatVector c = FloatVector.broadcast(F, negInv2s2);
        FloatVector x0 = FloatVector.fromArray(F, x, b);
        FloatVector x1 = FloatVector.fromArray(F, x, b + L);
        FloatVector x2 = FloatVector.fromArray(F, x, b + 2 * L);
        FloatVector x3 = FloatVector.fromArray(F, x, b + 3 * L);
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int i = 0; i < mu.length; i++) {
            FloatVector m = FloatVector.broadcast(F, mu[i]);
            FloatVector t0 = x0.sub(m);
            FloatVector t1 = x1.sub(m);
            FloatVector t2 = x2.sub(m);
            FloatVector t3 = x3.sub(m);
            s0 = s0.add(t0.mul(t0).mul(c).lanewise(VectorOperators.EXP));
            s1 = s1.add(t1.mul(t1).mul(c).lanewise(VectorOperators.EXP));
            s2 = s2.add(t2.mul(t2).mul(c).lanewise(VectorOperators.EXP));
            s3 = s3.add(t3.mul(t3).mul(c).lanewise(VectorOperators.EXP));
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    /**
     * The same sum with the engine's own exponential ({@link VectorMath#expKernelArgument(FloatVector)}, the
     * method every pass calls), two vectors of events at a time as in the engine's one-feature forward pass.
     *
     * @return the same sum as {@link #sum()}
     */
    public float sumPolynomial() {
        float total = 0;
        for (int b = 0; b < x.length; b += BLOCK) {
            total += polynomialBlock(b);
        }
        return total;
    }

    private float polynomialBlock(int b) {
        FloatVector sa = FloatVector.zero(F);
        FloatVector sb = FloatVector.zero(F);
        for (int v = 0; v < BLOCK; v += 2 * L) {
            FloatVector xa = FloatVector.fromArray(F, x, b + v);
            FloatVector xb = FloatVector.fromArray(F, x, b + v + L);
            for (int i = 0; i < mu.length; i++) {
                FloatVector m = FloatVector.broadcast(F, mu[i]);
                FloatVector ta = xa.sub(m);
                FloatVector tb = xb.sub(m);
                sa = sa.add(VectorMath.expKernelArgument(ta.mul(ta).mul(negInv2s2)));
                sb = sb.add(VectorMath.expKernelArgument(tb.mul(tb).mul(negInv2s2)));
            }
        }
        return sa.add(sb).reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@link #sumPolynomial()} with the exponential written out in the loop instead of called: the control
     * of the JMH pair that shows the call costs nothing (C2 inlines it, nothing is boxed). Same bits as
     * {@link #sumPolynomial()} (tested), so the written-out copy cannot drift from the one source.
     *
     * @return the same float as {@link #sumPolynomial()}
     */
    public float sumPolynomialWrittenOut() {
        float total = 0;
        for (int b = 0; b < x.length; b += BLOCK) {
            total += writtenOutBlock(b);
        }
        return total;
    }

    private float writtenOutBlock(int b) {
        FloatVector log2e = FloatVector.broadcast(F, VectorMath.LOG2E_F);
        FloatVector round = FloatVector.broadcast(F, VectorMath.ROUND_F);
        FloatVector ln2Hi = FloatVector.broadcast(F, -VectorMath.LN2_HI_F);
        FloatVector ln2Lo = FloatVector.broadcast(F, -VectorMath.LN2_LO_F);
        FloatVector c6 = FloatVector.broadcast(F, 1f / 720);
        FloatVector c5 = FloatVector.broadcast(F, 1f / 120);
        FloatVector c4 = FloatVector.broadcast(F, 1f / 24);
        FloatVector c3 = FloatVector.broadcast(F, 1f / 6);
        FloatVector c2 = FloatVector.broadcast(F, 0.5f);
        FloatVector c1 = FloatVector.broadcast(F, 1f);
        FloatVector sa = FloatVector.zero(F);
        FloatVector sb = FloatVector.zero(F);
        for (int v = 0; v < BLOCK; v += 2 * L) {
            FloatVector xa = FloatVector.fromArray(F, x, b + v);
            FloatVector xb = FloatVector.fromArray(F, x, b + v + L);
            for (int i = 0; i < mu.length; i++) {
                FloatVector m = FloatVector.broadcast(F, mu[i]);
                FloatVector ta = xa.sub(m);
                FloatVector tb = xb.sub(m);
                FloatVector ya = ta.mul(ta).mul(negInv2s2).max(VectorMath.MIN_ARG_F);
                FloatVector yb = tb.mul(tb).mul(negInv2s2).max(VectorMath.MIN_ARG_F);
                FloatVector ha = ya.fma(log2e, round);
                FloatVector hb = yb.fma(log2e, round);
                FloatVector na = ha.sub(round);
                FloatVector nb = hb.sub(round);
                FloatVector ra = na.fma(ln2Lo, na.fma(ln2Hi, ya));
                FloatVector rb = nb.fma(ln2Lo, nb.fma(ln2Hi, yb));
                FloatVector pa = ra.fma(c6, c5).fma(ra, c4).fma(ra, c3).fma(ra, c2).fma(ra, c1).fma(ra, c1);
                FloatVector pb = rb.fma(c6, c5).fma(rb, c4).fma(rb, c3).fma(rb, c2).fma(rb, c1).fma(rb, c1);
                sa = sa.add(pa.mul(ha.reinterpretAsInts().sub(VectorMath.ROUND_F_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()));
                sb = sb.add(pb.mul(hb.reinterpretAsInts().sub(VectorMath.ROUND_F_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()));
            }
        }
        return sa.add(sb).reduceLanes(VectorOperators.ADD);
    }

    /**
     * The same sum in double lanes with {@link VectorMath#expKernelArgument(DoubleVector)}, two vectors of
     * events at a time (the DOUBLE engine's one-feature forward pass without its stores).
     *
     * @return {@code sum_n sum_i exp(-(x_n - mu_i)^2 / (2 sigma^2))} in double
     */
    public double sumPolynomialDouble() {
        double total = 0;
        for (int b = 0; b < xd.length; b += BLOCK_D) {
            total += polynomialBlockDouble(b);
        }
        return total;
    }

    private double polynomialBlockDouble(int b) {
        DoubleVector sa = DoubleVector.zero(D);
        DoubleVector sb = DoubleVector.zero(D);
        for (int v = 0; v < BLOCK_D; v += 2 * LD) {
            DoubleVector xa = DoubleVector.fromArray(D, xd, b + v);
            DoubleVector xb = DoubleVector.fromArray(D, xd, b + v + LD);
            for (int i = 0; i < mud.length; i++) {
                DoubleVector m = DoubleVector.broadcast(D, mud[i]);
                DoubleVector ta = xa.sub(m);
                DoubleVector tb = xb.sub(m);
                sa = sa.add(VectorMath.expKernelArgument(ta.mul(ta).mul(negInv2s2d)));
                sb = sb.add(VectorMath.expKernelArgument(tb.mul(tb).mul(negInv2s2d)));
            }
        }
        return sa.add(sb).reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@link #sumPolynomialDouble()} with the exponential written out in the loop: the DOUBLE control of the
     * JMH pair. Same bits as {@link #sumPolynomialDouble()} (tested).
     *
     * @return the same double as {@link #sumPolynomialDouble()}
     */
    public double sumPolynomialDoubleWrittenOut() {
        double total = 0;
        for (int b = 0; b < xd.length; b += BLOCK_D) {
            total += writtenOutBlockDouble(b);
        }
        return total;
    }

    private double writtenOutBlockDouble(int b) {
        DoubleVector log2e = DoubleVector.broadcast(D, VectorMath.LOG2E);
        DoubleVector round = DoubleVector.broadcast(D, VectorMath.ROUND);
        DoubleVector ln2Hi = DoubleVector.broadcast(D, -VectorMath.LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(D, -VectorMath.LN2_LO);
        DoubleVector sa = DoubleVector.zero(D);
        DoubleVector sb = DoubleVector.zero(D);
        for (int v = 0; v < BLOCK_D; v += 2 * LD) {
            DoubleVector xa = DoubleVector.fromArray(D, xd, b + v);
            DoubleVector xb = DoubleVector.fromArray(D, xd, b + v + LD);
            for (int i = 0; i < mud.length; i++) {
                DoubleVector m = DoubleVector.broadcast(D, mud[i]);
                DoubleVector ta = xa.sub(m);
                DoubleVector tb = xb.sub(m);
                DoubleVector ya = ta.mul(ta).mul(negInv2s2d).max(VectorMath.MIN_ARG);
                DoubleVector yb = tb.mul(tb).mul(negInv2s2d).max(VectorMath.MIN_ARG);
                DoubleVector ha = ya.fma(log2e, round);
                DoubleVector hb = yb.fma(log2e, round);
                DoubleVector na = ha.sub(round);
                DoubleVector nb = hb.sub(round);
                DoubleVector ra = na.fma(ln2Lo, na.fma(ln2Hi, ya));
                DoubleVector rb = nb.fma(ln2Lo, nb.fma(ln2Hi, yb));
                DoubleVector pa = ra.fma(DoubleVector.broadcast(D, 1.0 / 479001600), DoubleVector.broadcast(D, 1.0 / 39916800));
                DoubleVector pb = rb.fma(DoubleVector.broadcast(D, 1.0 / 479001600), DoubleVector.broadcast(D, 1.0 / 39916800));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 3628800));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 3628800));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 362880));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 362880));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 40320));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 40320));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 5040));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 5040));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 720));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 720));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 120));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 120));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 24));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 24));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0 / 6));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0 / 6));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 0.5));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 0.5));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0));
                pa = pa.fma(ra, DoubleVector.broadcast(D, 1.0));
                pb = pb.fma(rb, DoubleVector.broadcast(D, 1.0));
                sa = sa.add(pa.mul(ha.reinterpretAsLongs().sub(VectorMath.ROUND_BITS - 1023)
                        .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles()));
                sb = sb.add(pb.mul(hb.reinterpretAsLongs().sub(VectorMath.ROUND_BITS - 1023)
                        .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles()));
            }
        }
        return sa.add(sb).reduceLanes(VectorOperators.ADD);
    }
}
