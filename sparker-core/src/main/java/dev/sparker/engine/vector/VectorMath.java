package dev.sparker.engine.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The engine's exponentials, built from additions, multiplications and fused multiply-adds only: the one
 * source every vector pass calls ({@link DoubleEventPass}, {@link FloatEventPass}, {@link VectorLocationEntropy},
 * {@link BareExponentialPass}).
 *
 * <p>Why not {@code lanewise(EXP)}: the Vector API computes it with a vendor library once C2 has compiled
 * the loop and with {@code Math.exp} per lane before that, and the two differ in the last bit. An
 * evaluation early in a training would then give different bits from the same evaluation later, and two
 * runs of the same training could differ depending on when C2 kicked in. Basic IEEE operations and fma
 * round the same way in every tier, so these exponentials give identical bits in the interpreter, C1 and C2.
 *
 * <p>Why static methods are enough: a vector passed to a method that C2 does not inline is boxed (an
 * allocation per call, the loop 10-50x slower). These methods are small (well under C2's
 * {@code FreqInlineSize} of 325 bytecodes) and are inlined into the passes' hot loops; the JMH pair
 * {@code ExponentialInliningBenchmark} in {@code benchmarks/} measures the helper against the same
 * loop with the exponential written out, in time and in bytes allocated per operation (see
 * docs/guide/architecture-engines.md for the command and the result).
 *
 * <p>Method: {@code e^x = 2^n e^r} with {@code n = rint(x / ln 2)} and {@code r = x - n ln 2} (ln 2 split in
 * a high and a low part so that {@code r} is exact to working precision; |r| &lt;= ln2/2); {@code e^r} from
 * its Taylor polynomial (degree 6 in float: truncation below 1.2e-7 relative; degree 12 in double: below
 * 2e-16), evaluated by Horner's rule in fma; {@code 2^n} built in the exponent bits. {@code rint} is the
 * add-and-subtract trick with {@code 1.5 * 2^(p-1)}, whose integer bits then hold {@code n}.
 */
final class VectorMath {
    static final float LOG2E_F = 1.44269504088896341f;
    static final float LN2_HI_F = 0.693145751953125f;
    static final float LN2_LO_F = 1.428606765330187e-6f;
    static final float ROUND_F = 12582912f;                  // 1.5 * 2^23
    static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);
    /** Below this e^x is under the smallest normal float; clamping keeps 2^n normal (error < 1.2e-38). */
    static final float MIN_ARG_F = -87.3f;

    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = 0.6931471803691238;       // 31 significant bits: n * LN2_HI is exact
    static final double LN2_LO = 1.9082149292705877e-10;
    static final double ROUND = 6755399441055744.0;       // 1.5 * 2^52
    static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    static final double MIN_ARG = -708.0;
    static final double MAX_ARG = 709.0;
    static final double OVERFLOW_ARG = 709.782712893384;  // ln(Double.MAX_VALUE)

    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final VectorSpecies<Double> D = VectorShapes.DOUBLE;

    private VectorMath() {
    }

    /**
     * {@code e^x} lane by lane for a kernel argument {@code x = -|x - mu|^2 / (2 sigma^2) <= 0}: clamped below
     * at {@link #MIN_ARG} (e^-708 is 3e-308, the result stays normal); NaN stays NaN. Not for {@code x} above
     * {@link #MAX_ARG} (there is no upper clamp: use {@link #exp(DoubleVector)}).
     *
     * @param x arguments, at most {@link #MAX_ARG}
     * @return {@code e^max(x, MIN_ARG)}, relative error below 2.5e-16
     */
    static DoubleVector expKernelArgument(DoubleVector x) {
        return expClamped(x.max(MIN_ARG));
    }

    /**
     * {@code e^x} lane by lane over the whole double range: the argument clamped to [{@link #MIN_ARG},
     * {@link #MAX_ARG}], {@code +Infinity} above {@link #OVERFLOW_ARG}; NaN stays NaN. The reference events'
     * {@code e^f}.
     *
     * @param x arguments
     * @return {@code e^x} (clamped as stated)
     */
    static DoubleVector exp(DoubleVector x) {
        return expClamped(x.max(MIN_ARG).min(MAX_ARG))
                .blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, OVERFLOW_ARG));
    }

    /**
     * The FLOAT kernel values' {@code e^x} for a kernel argument {@code x <= 0}: clamped below at
     * {@link #MIN_ARG_F}; NaN stays NaN.
     *
     * @param x arguments, at most 0
     * @return {@code e^max(x, MIN_ARG_F)}, relative error below 2.5e-7
     */
    static FloatVector expKernelArgument(FloatVector x) {
        FloatVector y = x.max(MIN_ARG_F);
        FloatVector s = y.fma(LOG2E_F, ROUND_F);
        FloatVector n = s.sub(ROUND_F);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_LO_F), n.fma(FloatVector.broadcast(F, -LN2_HI_F), y));
        FloatVector p = r.fma(1f / 720, 1f / 120);
        p = p.fma(r, FloatVector.broadcast(F, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(F, 0.5f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        return p.mul(s.reinterpretAsInts().sub(ROUND_F_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** The DOUBLE polynomial and scaling for {@code y} already in [MIN_ARG, MAX_ARG] (or NaN). */
    private static DoubleVector expClamped(DoubleVector y) {
        DoubleVector s = y.fma(LOG2E, ROUND);
        DoubleVector n = s.sub(ROUND);
        DoubleVector r = n.fma(DoubleVector.broadcast(D, -LN2_LO), n.fma(DoubleVector.broadcast(D, -LN2_HI), y));
        DoubleVector p = r.fma(1.0 / 479001600, 1.0 / 39916800);
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 3628800));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 362880));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 40320));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 5040));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 720));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 120));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 24));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 6));
        p = p.fma(r, DoubleVector.broadcast(D, 0.5));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0));
        p = p.fma(r, DoubleVector.broadcast(D, 1.0));
        return p.mul(s.reinterpretAsLongs().sub(ROUND_BITS - 1023)
                .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
    }
}
