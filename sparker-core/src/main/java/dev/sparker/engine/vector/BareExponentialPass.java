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

    /** Events {@code x} (padded with zeros to whole blocks), kernel locations {@code mu}, width {@code sigma}. */
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

    /** Number of exponentials one {@link #sum()} evaluates (padding included). */
    public long evaluations() {
        return (long) x.length * mu.length;
    }

    /** {@code sum_n sum_i exp(-(x_n - mu_i)^2 / (2 sigma^2))} in float, with the Vector API's {@code EXP}. */
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
        FloatVector s = FloatVector.zero(F);
        for (int v = 0; v < BLOCK; v += L) {
            FloatVector xv = FloatVector.fromArray(F, x, b + v);
            for (int i = 0; i < mu.length; i++) {
                FloatVector t = xv.sub(mu[i]);
                FloatVector y = t.mul(t).mul(negInv2s2).max(VectorMath.MIN_ARG_F);
                FloatVector shifted = y.fma(log2e, round);
                FloatVector n = shifted.sub(round);
                FloatVector r = n.fma(ln2Lo, n.fma(ln2Hi, y));
                FloatVector p = r.fma(FloatVector.broadcast(F, 1f / 720), FloatVector.broadcast(F, 1f / 120));
                p = p.fma(r, FloatVector.broadcast(F, 1f / 24));
                p = p.fma(r, FloatVector.broadcast(F, 1f / 6));
                p = p.fma(r, FloatVector.broadcast(F, 0.5f));
                p = p.fma(r, FloatVector.broadcast(F, 1f));
                p = p.fma(r, FloatVector.broadcast(F, 1f));
                s = s.add(p.mul(shifted.reinterpretAsInts().sub(VectorMath.ROUND_F_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()));
            }
        }
        return s.reduceLanes(VectorOperators.ADD);
    }
}
