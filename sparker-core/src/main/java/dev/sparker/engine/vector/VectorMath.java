package dev.sparker.engine.vector;

/**
 * The constants of the engine's exponentials, which are built from additions, multiplications and fused multiply-adds only.
 *
 * <p>Why not {@code lanewise(EXP)}: the Vector API computes it with a vendor library once C2 has compiled
 * the loop and with {@code Math.exp} per lane before that, and the two differ in the last bit. An
 * evaluation early in a training would then give different bits from the same evaluation later, and two
 * runs of the same training could differ depending on when C2 kicked in. Basic IEEE operations and fma
 * round the same way in every tier, so these exponentials give identical bits in the interpreter, C1 and C2.
 * The code is written out in the passes' loops ({@code forward}, {@code referenceWeights}): passing a vector
 * to a method C2 does not inline boxes it.
 *
 * <p>Method: {@code e^x = 2^n e^r} with {@code n = rint(x / ln 2)} and {@code r = x - n ln 2} (ln 2 split in
 * a high and a low part so that {@code r} is exact to working precision; |r| &lt;= ln2/2); {@code e^r} from
 * its Taylor polynomial (degree 6 in float: truncation below 1.2e-7 relative; degree 12 in double: below
 * 2e-16); {@code 2^n} built in the exponent bits. {@code rint} is the add-and-subtract trick with
 * {@code 1.5 * 2^(p-1)}, whose integer bits then hold {@code n}.
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

    private VectorMath() {
    }
}
