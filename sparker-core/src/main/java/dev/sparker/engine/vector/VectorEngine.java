package dev.sparker.engine.vector;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Precision;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.lang.management.ManagementFactory;

/**
 * The CPU fast path: the Neyman–Pearson loss and its gradients with {@code jdk.incubator.vector}, one fused
 * pass over the events (one exponential per (event, kernel), no n x M matrix, no allocation per step), in
 * FLOAT or DOUBLE precision, multithreaded over events with a fixed partition and reduction order.
 *
 * <p>Availability is decided once, Lucene-style, by a chain of guards that never touches the Vector API
 * before it is known to be there: the {@code jdk.incubator.vector} module is present (start java with
 * {@code --add-modules jdk.incubator.vector}), the C2 compiler is on (the API is unusably slow in the
 * interpreter or C1), and the vector width is at least 128 bits. A failed guard makes the engine report
 * itself unavailable with the fix; {@code Engines} then falls back to the scalar engine with one log line.
 *
 * <p>The test-only system property {@value #BITS_PROPERTY} (128, 256 or 512) forces the vector width at
 * class initialisation, so one machine can exercise every width, one JVM per width.
 */
public final class VectorEngine implements Engine {
    public static final String NAME = "vector";
    /** Test-only: forces the vector width in bits (128, 256, 512); read once per JVM. */
    public static final String BITS_PROPERTY = "sparker.vector.bits";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EngineAvailability availability() {
        return Guards.AVAILABILITY;
    }

    @Override
    public boolean supports(Precision precision) {
        return precision != null && Guards.AVAILABILITY.available();
    }

    @Override
    public int autoSelectPriority() {
        return 100;
    }

    @Override
    public BoundProblem bind(Samples reference, Samples data, KernelShape shape, EngineSettings settings) {
        Engine.checkBindArguments(reference, data, shape, settings);
        EngineAvailability av = availability();
        if (!av.available()) {
            throw new IllegalStateException("the vector engine is not available: " + av.reason());
        }
        return new VectorBoundProblem(reference, data, shape, settings.precision(), settings.threads());
    }

    /** The vector width in bits this JVM's engine uses, or 0 when the engine is unavailable. */
    public static int vectorBits() {
        return Guards.AVAILABILITY.available() ? VectorConstants.BITS : 0;
    }

    /** The widest vector this CPU supports, in bits, or 0 when the engine is unavailable. */
    public static int maxVectorBits() {
        return Guards.AVAILABILITY.available() ? VectorConstants.MAX_BITS : 0;
    }

    /** The guard chain, run once when first asked. */
    private static final class Guards {
        static final EngineAvailability AVAILABILITY = check();

        private static EngineAvailability check() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return EngineAvailability.no("module jdk.incubator.vector is not loaded; start java with "
                        + "--add-modules jdk.incubator.vector");
            }
            String c2 = c2Problem();
            if (c2 != null) {
                return EngineAvailability.no(c2);
            }
            String forced = System.getProperty(BITS_PROPERTY);
            if (forced != null && !forced.isBlank() && !forced.trim().matches("128|256|512")) {
                return EngineAvailability.no(BITS_PROPERTY + " = '" + forced + "'; use 128, 256 or 512");
            }
            try {
                int max = VectorConstants.MAX_BITS;
                int bits = VectorConstants.BITS;
                if (max < 128) {
                    return EngineAvailability.no("the CPU's widest vector is " + max + " bits; at least 128 are needed");
                }
                if (bits > max) {
                    return EngineAvailability.no(BITS_PROPERTY + " = " + bits + " exceeds the CPU's " + max + " bits");
                }
                return EngineAvailability.yes("Vector API, " + bits + "-bit vectors (" + VectorConstants.FLOAT.length()
                        + " float lanes" + (bits < max ? ", forced below the CPU's " + max : "") + ")");
            } catch (LinkageError | RuntimeException e) {
                return EngineAvailability.no("the Vector API failed to initialise: " + e);
            }
        }

        /** Null when C2 is available, else why not. */
        private static String c2Problem() {
            String vm = System.getProperty("java.vm.name", "");
            if (vm.contains("Client")) {
                return "client VM (" + vm + ") has no C2 compiler; use a server VM";
            }
            try {
                var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                if (bean != null) {
                    if ("false".equals(bean.getVMOption("UseCompiler").getValue())) {
                        return "the JIT is off (-Xint); the Vector API needs C2";
                    }
                    if ("true".equals(bean.getVMOption("TieredCompilation").getValue())
                            && Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue()) < 4) {
                        return "TieredStopAtLevel < 4 keeps C2 off; the Vector API needs C2";
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // not HotSpot, or management unavailable: assume a JIT is there
            }
            return null;
        }
    }
}
