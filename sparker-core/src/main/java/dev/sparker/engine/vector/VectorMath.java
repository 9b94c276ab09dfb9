package dev.sparker.engine.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Exponentials built from additions, multiplications and fused multiply-adds only.
 *
 * <p>Why not {@code lanewise(EXP)}: the Vector API computes it with a vendor library once C2 has compiled
 * the loop and with {@code Math.exp} per lane before that, and the two differ in the last bit. An
 * evaluation early in a training would then give different bits from the same evaluation later, and two
 * runs of the same training could differ depending on when C2 kicked in. Basic IEEE operations and fma
 * round the same way in every tier, so these functions give identical bits in the interpreter, C1 and C2.
 *
 * <p>Method: {@code e^x = 2^n e^r} with {@code n = rint(x / ln 2)} and {@code r = x - n ln 2} (ln 2 split in
 * a high and a low part so that {@code r} is exact to working precision; |r| &lt;= ln2/2); {@code e^r} from
 * its Taylor polynomial (degree 6 in float: truncation below 1.2e-7 relative; degree 12 in double: below
 * 2e-16); {@code 2^n} built in the exponent bits. {@code rint} is the add-and-subtract trick with
 * {@code 1.5 * 2^(p-1)}, whose integer bits then hold {@code n}.
 */
final class VectorMath {
    private static final float LOG2E_F = 1.44269504088896341f;
    private static final float LN2_HI_F = 0.693145751953125f;
    private static final float LN2_LO_F = 1.428606765330187e-6f;
    private static final float ROUND_F = 12582912f;                  // 1.5 * 2^23
    private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);
    /** Below this e^x is under the smallest normal float; clamping keeps 2^n normal (error < 1.2e-38). */
    private static final float MIN_ARG_F = -87.3f;

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238;       // 31 significant bits: n * LN2_HI is exact
    private static final double LN2_LO = 1.9082149292705877e-10;
    private static final double ROUND = 6755399441055744.0;       // 1.5 * 2^52
    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    private static final double MIN_ARG = -708.0;
    private static final double MAX_ARG = 709.0;
    private static final double OVERFLOW_ARG = 709.782712893384;  // ln(Double.MAX_VALUE)

    private VectorMath() {
    }

    /** {@code e^x} for {@code x <= 0} in float lanes (kernel values); relative error about 2e-7. */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector y = x.max(MIN_ARG_F);
        FloatVector shifted = y.fma(y.broadcast(LOG2E_F), y.broadcast(ROUND_F));
        FloatVector n = shifted.sub(ROUND_F);
        FloatVector r = n.fma(n.broadcast(-LN2_HI_F), y);
        r = n.fma(n.broadcast(-LN2_LO_F), r);
        FloatVector p = r.fma(r.broadcast(1f / 720), r.broadcast(1f / 120));
        p = p.fma(r, r.broadcast(1f / 24));
        p = p.fma(r, r.broadcast(1f / 6));
        p = p.fma(r, r.broadcast(0.5f));
        p = p.fma(r, r.broadcast(1f));
        p = p.fma(r, r.broadcast(1f));
        IntVector bits = (IntVector) shifted.reinterpretAsInts();
        IntVector scaleBits = bits.sub(ROUND_F_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(scaleBits.reinterpretAsFloats());
    }

    /** {@code e^x} for {@code x <= 0} in double lanes (kernel values); relative error a few ulp. */
    static DoubleVector expNonPositive(DoubleVector x) {
        return expCore(x.max(MIN_ARG));
    }

    /** {@code e^x} for any x in double lanes: +infinity above ln(MAX_VALUE), NaN stays NaN. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector e = expCore(x.max(MIN_ARG).min(MAX_ARG));
        return e.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, OVERFLOW_ARG));
    }

    private static DoubleVector expCore(DoubleVector y) {
        DoubleVector shifted = y.fma(y.broadcast(LOG2E), y.broadcast(ROUND));
        DoubleVector n = shifted.sub(ROUND);
        DoubleVector r = n.fma(n.broadcast(-LN2_HI), y);
        r = n.fma(n.broadcast(-LN2_LO), r);
        DoubleVector p = r.fma(r.broadcast(1.0 / 479001600), r.broadcast(1.0 / 39916800));
        p = p.fma(r, r.broadcast(1.0 / 3628800));
        p = p.fma(r, r.broadcast(1.0 / 362880));
        p = p.fma(r, r.broadcast(1.0 / 40320));
        p = p.fma(r, r.broadcast(1.0 / 5040));
        p = p.fma(r, r.broadcast(1.0 / 720));
        p = p.fma(r, r.broadcast(1.0 / 120));
        p = p.fma(r, r.broadcast(1.0 / 24));
        p = p.fma(r, r.broadcast(1.0 / 6));
        p = p.fma(r, r.broadcast(0.5));
        p = p.fma(r, r.broadcast(1.0));
        p = p.fma(r, r.broadcast(1.0));
        LongVector bits = (LongVector) shifted.reinterpretAsLongs();
        LongVector scaleBits = bits.sub(ROUND_BITS - 1023).lanewise(VectorOperators.LSHL, 52);
        return p.mul(scaleBits.reinterpretAsDoubles());
    }
}
