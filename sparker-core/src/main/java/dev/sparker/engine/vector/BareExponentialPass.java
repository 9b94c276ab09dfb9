package dev.sparker.engine.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's limit for our work, for the benchmarks: the same n x M exponential arguments as a d = 1
 * training step ({@code -(x_n - mu_i)^2 / (2 sigma^2)}), evaluated in float lanes and summed, with nothing
 * else. It lives here because only this module touches {@code jdk.incubator.vector}; check
 * {@link VectorEngine#availability()} before using it.
 */
public final class BareExponentialPass {
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final int L = F.length();
    /** Events per block, as in the engine: four float vectors. */
    private static final int BLOCK = 4 * L;

    private final float[] x;
    private final float[] mu;
    private final float negInv2s2;

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
     * The same sum with the engine's own exponential (see {@link VectorMath}), one vector of events at a
     * time as in the engine's forward pass.
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
}
