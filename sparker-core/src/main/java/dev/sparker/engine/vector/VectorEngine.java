package dev.sparker.engine.vector;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Precision;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.lang.management.ManagementFactory;

/**
 * The CPU fast path: the Neyman–Pearson loss and its gradients in one fused pass over the events with the
 * Vector API ({@code jdk.incubator.vector}), in {@link Precision#FLOAT} (kernel values in float lanes, sums
 * over events in double) or {@link Precision#DOUBLE}.
 *
 * <p>Availability is decided once, by a short chain of guards that run before any Vector API class is
 * loaded: the {@code jdk.incubator.vector} module must be in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}), C2 must be on (the Vector API is only fast once C2
 * compiles it), and the vectors must be at least 128 bits wide. When a guard fails, {@link #availability()}
 * says which and how to fix it, and automatic selection falls back to the scalar engine.
 *
 * <p>Threads: {@link EngineSettings#threads()} parts of the events, run by the caller and threads - 1
 * workers owned by the bound problem. With {@code threads = 1} everything runs on the caller's thread, which
 * is how many independent problems (calibration toys) run one whole problem per thread.
 */
public final class VectorEngine implements Engine {
    /**
     * The name users pick this engine by.
     */
    public static final String NAME = "vector";

    /** Creates the Vector API engine ({@link java.util.ServiceLoader} calls this). */
    public VectorEngine() {
    }
    /** Test-only: forces the vector width in bits (128, 256 or 512) for the whole JVM. */
    public static final String WIDTH_PROPERTY = "sparker.vector.bits";
    static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EngineAvailability availability() {
        return Guards.RESULT;
    }

    @Override
    public boolean supports(Precision precision) {
        return precision == Precision.FLOAT || precision == Precision.DOUBLE;
    }

    @Override
    public int autoSelectPriority() {
        return 10;
    }

    /**
     * {@return the vector width this JVM's engine runs at, in bits}
     *
     * @throws IllegalStateException when the engine is not available
     */
    public static int vectorBits() {
        requireAvailable();
        return VectorShapes.BITS;
    }

    /**
     * {@return the widest vectors the hardware runs natively, in bits}
     *
     * @throws IllegalStateException when the engine is not available
     */
    public static int hardwareBits() {
        requireAvailable();
        return VectorShapes.HARDWARE_BITS;
    }

    @Override
    public BoundProblem bind(Samples reference, Samples data, KernelShape shape, EngineSettings settings) {
        Engine.checkBindArguments(reference, data, shape, settings);
        requireAvailable();
        EventPass pass = settings.precision() == Precision.FLOAT
                ? new FloatEventPass(reference, data, shape, settings.threads())
                : new DoubleEventPass(reference, data, shape, settings.threads());
        return new VectorBoundProblem(shape, pass);
    }

    /** The location entropy on the Vector API ({@link VectorLocationEntropy}), in float lanes for FLOAT. */
    @Override
    public EntropyWorkspace locationEntropy(KernelShape shape, Precision precision) {
        requireAvailable();
        return new VectorLocationEntropy(shape, precision);
    }

    private static void requireAvailable() {
        if (!Guards.RESULT.available()) {
            throw new IllegalStateException("the vector engine is not available: " + Guards.RESULT.reason());
        }
    }

    /** The width forced by {@value #WIDTH_PROPERTY}, or 0 when none is; throws naming a bad value. */
    static int forcedBits() {
        String forced = System.getProperty(WIDTH_PROPERTY);
        if (forced == null || forced.isBlank()) {
            return 0;
        }
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(WIDTH_PROPERTY + " = '" + forced + "' is not a number; use 128, 256 or 512");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalStateException(WIDTH_PROPERTY + " = " + bits + "; use 128, 256 or 512");
        }
        return bits;
    }

    /** The guards, evaluated once when first asked (lazy holder). */
    private static final class Guards {
        static final EngineAvailability RESULT = check();

        private static EngineAvailability check() {
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return EngineAvailability.no("the " + MODULE + " module is not loaded; run java with --add-modules "
                        + MODULE);
            }
            String c2 = c2Problem();
            if (c2 != null) {
                return EngineAvailability.no(c2);
            }
            int forced;
            try {
                forced = forcedBits();
            } catch (IllegalStateException e) {
                return EngineAvailability.no(e.getMessage());
            }
            int hardware = VectorShapes.HARDWARE_BITS;
            if (hardware < 128) {
                return EngineAvailability.no("the preferred vector width is " + hardware
                        + " bits; at least 128 are needed (a CPU with SSE4, AVX2, AVX-512 or NEON)");
            }
            if (forced > hardware) {
                return EngineAvailability.no(WIDTH_PROPERTY + " = " + forced + " but this CPU's vectors are "
                        + hardware + " bits wide");
            }
            return EngineAvailability.yes("Vector API at " + VectorShapes.BITS + " bits (hardware " + hardware + ")");
        }

        /** Null when C2 compiles; else why not (C1-only or interpreter-only JVMs run the Vector API very slowly). */
        private static String c2Problem() {
            String info = System.getProperty("java.vm.info", "");
            if (info.contains("interpreted mode")) {
                return "the JVM runs in interpreted mode (-Xint); the Vector API needs the C2 compiler";
            }
            try {
                var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                if (bean == null) {
                    return null;
                }
                if ("false".equals(bean.getVMOption("UseCompiler").getValue())) {
                    return "the JIT compiler is off (-XX:-UseCompiler); the Vector API needs C2";
                }
                int level = Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue());
                if (level < 4 && "true".equals(bean.getVMOption("TieredCompilation").getValue())) {
                    return "C2 is disabled (-XX:TieredStopAtLevel=" + level + "); remove that flag";
                }
            } catch (RuntimeException | LinkageError e) {
                // not HotSpot, or the option is unknown: assume a JIT that compiles the Vector API
            }
            return null;
        }
    }
}
