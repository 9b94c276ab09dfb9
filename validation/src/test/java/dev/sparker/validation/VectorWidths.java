package dev.sparker.validation;

import dev.sparker.engine.vector.VectorEngine;

/** What the vector engine reports about its SIMD width, and the width a test JVM was forced to. */
final class VectorWidths {
    /** Test-only property of the vector engine that forces its width (bits) at class-init time. */
    static final String FORCE_BITS_PROPERTY = VectorEngine.WIDTH_PROPERTY;

    private VectorWidths() {
    }

    /** The width the vector engine uses in this JVM (0 when it is unavailable). */
    static int vectorBits() {
        return VectorEngine.vectorBits();
    }

    /**
     * The widest vector this machine supports. The engine reports 0 when it is unavailable, which it is when
     * a width above the maximum was forced; the maximum is then read from
     * {@code jdk.incubator.vector.VectorShape.preferredShape()} by reflection (this module does not import
     * the Vector API).
     */
    static int maxVectorBits() {
        int max = VectorEngine.hardwareBits();
        if (max > 0) {
            return max;
        }
        try {
            Class<?> shapeClass = Class.forName("jdk.incubator.vector.VectorShape");
            Object shape = shapeClass.getMethod("preferredShape").invoke(null);
            return (Integer) shapeClass.getMethod("vectorBitSize").invoke(shape);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot tell the machine's widest vector: the vector engine is "
                    + "unavailable (" + new VectorEngine().availability().reason() + ") and jdk.incubator.vector "
                    + "is not readable (run with --add-modules jdk.incubator.vector)", e);
        }
    }

    /** The forced width of this JVM, or 0 when none was forced. */
    static int forcedBits() {
        String v = System.getProperty(FORCE_BITS_PROPERTY);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(FORCE_BITS_PROPERTY + " = '" + v + "' is not a number of bits", e);
        }
    }
}
