package dev.sparker.engine.vector;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Every Vector API constant of the engine, in one class that is loaded only after {@link VectorEngine}'s
 * guards have passed (loading it needs the {@code jdk.incubator.vector} module).
 *
 * <p>The species are static finals so that C2 treats them as constants: a species C2 cannot see as a
 * constant makes every vector operation fall back to a slow Java implementation. The width is the
 * machine's preferred one unless the test-only property {@value VectorEngine#WIDTH_PROPERTY} forces 128,
 * 256 or 512 bits; it is read once, when this class loads, so one JVM runs one width.
 */
final class VectorShapes {
    /** Widest vectors the hardware runs natively. */
    static final int HARDWARE_BITS = VectorShape.preferredShape().vectorBitSize();
    /** Width the engine uses: {@link #HARDWARE_BITS} or the forced width. */
    static final int BITS = chooseBits();

    /** Float lanes of the FLOAT engine's kernel values. */
    static final VectorSpecies<Float> FLOAT = species(float.class, BITS);
    /** Half as many float lanes, loaded to be widened into {@link #DOUBLE} lanes one to one. */
    static final VectorSpecies<Float> FLOAT_HALF = species(float.class, BITS / 2);
    /** Double lanes: the DOUBLE engine's kernel values and every accumulator. */
    static final VectorSpecies<Double> DOUBLE = species(double.class, BITS);

    private VectorShapes() {
    }

    private static <E> VectorSpecies<E> species(Class<E> type, int bits) {
        return VectorSpecies.of(type, VectorShape.forBitSize(bits));
    }

    private static int chooseBits() {
        int forced = VectorEngine.forcedBits();
        return forced > 0 ? forced : Math.min(HARDWARE_BITS, 512);
    }
}
