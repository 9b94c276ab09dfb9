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
import java.util.function.Function;

/**
 * The CPU fast path: the Neyman–Pearson loss and its gradients in one fused pass over the events with the
 * Vector API ({@code jdk.incubator.vector}), in {@link Precision#FLOAT} (kernel values in float lanes, sums
 * over events in double) or {@link Precision#DOUBLE}.
 *
 * <p>Availability is decided once, by a short chain of guards that run before any Vector API class is
 * loaded: the {@code jdk.incubator.vector} module must be in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}), C2 must be on (the Vector API is only fast once C2
 * compiles it) and not replaced by a JVMCI compiler, fused multiply-add must run in hardware
 * ({@code jitProblem}), and the vectors must be at least 128 bits wide. When a guard fails, {@link #availability()}
 * says which and how to fix it, and automatic selection falls back to the scalar engine.
 *
 * <p>Threads: the events are cut into parts whose number depends only on the event counts; the caller and
 * {@link EngineSettings#threads()} - 1 workers owned by the bound problem compute them, and the parts' sums
 * are added in part order, so the result is bit for bit the same for any thread count. With
 * {@code threads = 1} everything runs on the caller's thread, which is how many independent problems
 * (calibration toys) run one whole problem per thread.
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

    /**
     * Null when the JIT compiles the Vector API into fast code that rounds as the engine expects; else one
     * line saying why not and how to fix it. The guards, in order: C2 must compile (not interpreted mode,
     * JIT on, tiered compilation not stopped below C2); C2 itself and not a JVMCI compiler such as Graal
     * (Lucene's vectorization provider refuses it too); fused multiply-add in hardware ({@code UseFMA}: the
     * exponentials and sums use {@code fma} for their bits, and without hardware FMA every lane falls back to
     * a software {@code Math.fma}, far slower than the scalar engine). An option the JVM does not report
     * ({@code vmOption} gives null) passes its guard.
     *
     * @param vmInfo   the {@code java.vm.info} property
     * @param vmOption reads a HotSpot option ({@code "true"}, {@code "false"}, a number), or gives null
     */
    static String jitProblem(String vmInfo, Function<String, String> vmOption) {
        if (vmInfo.contains("interpreted mode")) {
            return "the JVM runs in interpreted mode (-Xint); the Vector API needs the C2 compiler";
        }
        if ("false".equals(vmOption.apply("UseCompiler"))) {
            return "the JIT compiler is off (-XX:-UseCompiler); the Vector API needs C2";
        }
        String stop = vmOption.apply("TieredStopAtLevel");
        if (stop != null && Integer.parseInt(stop) < 4 && "true".equals(vmOption.apply("TieredCompilation"))) {
            return "C2 is disabled (-XX:TieredStopAtLevel=" + stop + "); remove that flag";
        }
        if ("true".equals(vmOption.apply("UseJVMCICompiler"))) {
            return "a JVMCI compiler replaces C2 (-XX:+UseJVMCICompiler); the Vector API is fast only under C2,"
                    + " so run without that flag";
        }
        if ("false".equals(vmOption.apply("UseFMA"))) {
            return "fused multiply-add is not done in hardware (-XX:-UseFMA, or a CPU without FMA); the engine's"
                    + " exponentials need it, so remove that flag or use a CPU with FMA";
        }
        return null;
    }

    /** The guards, evaluated once when first asked (lazy holder). */
    private static final class Guards {
        static final EngineAvailability RESULT = check();

        private static EngineAvailability check() {
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return EngineAvailability.no("the " + MODULE + " module is not loaded; run java with --add-modules "
                        + MODULE);
            }
            String jit = jitProblem(System.getProperty("java.vm.info", ""), Guards::vmOption);
            if (jit != null) {
                return EngineAvailability.no(jit);
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

        /** A HotSpot option's value, or null when the JVM is not HotSpot or does not know the option. */
        private static String vmOption(String name) {
            try {
                var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return bean == null ? null : bean.getVMOption(name).getValue();
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}
