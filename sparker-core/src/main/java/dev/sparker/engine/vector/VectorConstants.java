package dev.sparker.engine.vector;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API species, in their own class so that {@link VectorEngine}'s guards run before anything in
 * {@code jdk.incubator.vector} is touched. Static finals, so C2 folds them into constants: a species that
 * is not a constant silently turns the hot loops into slow Java fallbacks.
 */
final class VectorConstants {
    /** The widest shape this CPU supports. */
    static final int MAX_BITS = VectorShape.preferredShape().vectorBitSize();
    /** The shape in use: the preferred one, or the one forced by {@value VectorEngine#BITS_PROPERTY} (tests). */
    static final int BITS = chooseBits();
    static final VectorSpecies<Float> FLOAT = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    static final VectorSpecies<Double> DOUBLE = VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));

    private VectorConstants() {
    }

    private static int chooseBits() {
        String forced = System.getProperty(VectorEngine.BITS_PROPERTY);
        if (forced == null || forced.isBlank()) {
            return MAX_BITS;
        }
        return Integer.parseInt(forced.trim());
    }
}
