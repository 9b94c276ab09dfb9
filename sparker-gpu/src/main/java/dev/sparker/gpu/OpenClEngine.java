package dev.sparker.gpu;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Precision;
import dev.sparker.engine.vector.VectorEngine;
import dev.sparker.gpu.OpenClDeviceInfo.DeviceType;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.List;
import java.util.Optional;

/**
 * The OpenCL engine ({@code opencl}): the same loss and gradients as {@link dev.sparker.engine.ScalarEngine},
 * computed by the kernels in {@code np_loss.cl} on a GPU, or on a CPU through an OpenCL driver such as PoCL.
 * A batch of problems ({@link #bindBatch}) is evaluated by one launch of each kernel.
 *
 * <p>Device: the {@value #DEVICE_PROPERTY} system property or {@link Builder#device(String)}: {@code gpu},
 * {@code cpu} or {@code accelerator} (the first device of that type), {@code #k} (device number k of
 * {@link #devices()}), or part of "platform / device name"; unset or {@code auto} takes the first GPU, else
 * the first device.
 *
 * <p>Precision: {@code FLOAT} on every device (coordinates, parameters and exponentials in float; sums
 * across work-items in double where the device has fp64, else float); {@code DOUBLE} where the device has
 * {@code cl_khr_fp64}.
 *
 * <p>Automatic selection: priority {@value #GPU_PRIORITY} when the chosen device is a GPU with fp64, else
 * {@code -1} (never picked automatically: an OpenCL CPU device is slower than the CPU engines). Thread-safe;
 * every bound problem has its own command queue.
 */
public final class OpenClEngine implements Engine {
    /**
     * The name users pick this engine by.
     */
    public static final String NAME = "opencl";
    /** System property naming the device the no-argument engine (the one {@code ServiceLoader} makes) uses. */
    public static final String DEVICE_PROPERTY = "sparker.opencl.device";
    /** Automatic-selection priority with a GPU that has fp64: above the CPU engines. */
    public static final int GPU_PRIORITY = 50;

    private final String deviceSpec;
    private final long memoryLimitBytes;
    private final boolean accumulateInDouble;
    private final boolean residentTraining;
    private final boolean storeKernelValues;

    /** The engine on the device the {@value #DEVICE_PROPERTY} system property names (or the default device). */
    public OpenClEngine() {
        this(new Builder().device(System.getProperty(DEVICE_PROPERTY)));
    }

    private OpenClEngine(Builder b) {
        this.deviceSpec = b.device == null ? "" : b.device.trim();
        this.memoryLimitBytes = b.memoryLimitBytes;
        this.accumulateInDouble = b.accumulateInDouble;
        this.residentTraining = b.residentTraining;
        this.storeKernelValues = b.storeKernelValues;
    }

    /**
     * {@return a builder for an engine on a chosen device, with its own limits}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return every OpenCL device found on this machine (empty when OpenCL is unusable; see
     * {@link #discoveryFailure()})}
     */
    public static List<OpenClDeviceInfo> devices() {
        return OpenClPlatforms.discovery().devices().stream().map(OpenClPlatforms.Device::info).toList();
    }

    /**
     * {@return why no OpenCL device could be listed, if that is the case}
     */
    public static Optional<String> discoveryFailure() {
        return Optional.ofNullable(OpenClPlatforms.discovery().failure());
    }

    /**
     * {@return the device this engine runs on, if OpenCL works here and the device specification matches one}
     */
    public Optional<OpenClDeviceInfo> device() {
        OpenClPlatforms.Discovery disc = OpenClPlatforms.discovery();
        if (!disc.ok()) {
            return Optional.empty();
        }
        OpenClPlatforms.Device dev = OpenClPlatforms.match(disc.devices(), deviceSpec);
        return dev == null ? Optional.empty() : Optional.of(dev.info());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EngineAvailability availability() {
        OpenClPlatforms.Discovery disc = OpenClPlatforms.discovery();
        if (!disc.ok()) {
            return EngineAvailability.no(disc.failure());
        }
        OpenClPlatforms.Device dev = OpenClPlatforms.match(disc.devices(), deviceSpec);
        if (dev == null) {
            return EngineAvailability.no("no OpenCL device matches " + DEVICE_PROPERTY + "='" + deviceSpec
                    + "'; devices: " + devices().stream().map(OpenClDeviceInfo::describe).toList());
        }
        return EngineAvailability.yes("OpenCL device " + dev.info().describe());
    }

    @Override
    public boolean supports(Precision precision) {
        Optional<OpenClDeviceInfo> dev = device();
        return dev.isPresent() && (precision == Precision.FLOAT || dev.get().fp64());
    }

    @Override
    public int autoSelectPriority() {
        Optional<OpenClDeviceInfo> dev = device();
        return dev.isPresent() && dev.get().type() == DeviceType.GPU && dev.get().fp64() ? GPU_PRIORITY : -1;
    }

    @Override
    public BoundProblem bind(Samples reference, Samples data, KernelShape shape, EngineSettings settings) {
        Engine.checkBindArguments(reference, data, shape, settings);
        return new OpenClProblem(newBatch(List.of(reference), List.of(data), shape, settings));
    }

    @Override
    public BoundBatch bindBatch(List<Samples> references, List<Samples> data, KernelShape shape,
                                EngineSettings settings) {
        if (references == null || data == null || references.isEmpty() || references.size() != data.size()) {
            throw new IllegalArgumentException("a batch needs as many reference samples as data samples, at least"
                    + " one; got " + (references == null ? "null" : references.size()) + " and "
                    + (data == null ? "null" : data.size()));
        }
        for (int p = 0; p < references.size(); p++) {
            try {
                Engine.checkBindArguments(references.get(p), data.get(p), shape, settings);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("batch problem " + p + ": " + e.getMessage(), e);
            }
        }
        return newBatch(references, data, shape, settings);
    }

    private OpenClBatch newBatch(List<Samples> references, List<Samples> data, KernelShape shape,
                                 EngineSettings settings) {
        EngineAvailability av = availability();
        if (!av.available()) {
            throw new IllegalStateException("engine '" + NAME + "' is not available: " + av.reason());
        }
        OpenClPlatforms.Device dev = OpenClPlatforms.match(OpenClPlatforms.discovery().devices(), deviceSpec);
        if (settings.precision() == Precision.DOUBLE && !dev.info().fp64()) {
            throw new IllegalArgumentException("OpenCL device " + dev.info().describe()
                    + " has no double precision (cl_khr_fp64); use FLOAT or another device");
        }
        return new OpenClBatch(OpenClRuntime.of(dev), references, data, shape, settings.precision(),
                accumulateInDouble, memoryLimitBytes, residentTraining, storeKernelValues);
    }

    /**
     * The location entropy for the trainer's host loop (DESIGN.md section 1: the O(M^2 d) term of the location
     * phase), which runs when the device-resident loop does not: the converged schedule, or an engine built
     * with {@code residentTraining(false)}. Computed on the CPU in double, as the device-resident loop computes
     * it, on the Vector API ({@link VectorEngine#locationEntropy} at {@code DOUBLE}, equal to the reference
     * {@link dev.sparker.loss.LocationEntropy} within 1e-12) when this JVM has the module
     * {@code jdk.incubator.vector}, else by the reference itself. At M = 1000 on an H200 the reference's
     * 9 ms per call on one host core was ten times the device's evaluation of the loss (measured 2026-12-01).
     *
     * @param shape     the kernel shape (M, d, sigma, amplitude)
     * @param precision the precision of the evaluations; the entropy is in double either way
     * @return a new workspace, for one thread
     */
    @Override
    public EntropyWorkspace locationEntropy(KernelShape shape, Precision precision) {
        VectorEngine vector = new VectorEngine();
        return vector.availability().available() ? vector.locationEntropy(shape, Precision.DOUBLE)
                : Engine.super.locationEntropy(shape, Precision.DOUBLE);
    }

    @Override
    public String toString() {
        return "OpenClEngine[device=" + (deviceSpec.isEmpty() ? "auto" : deviceSpec) + "]";
    }

    /** Options of an {@link OpenClEngine}. */
    public static final class Builder {
        private String device;
        private long memoryLimitBytes;
        private boolean accumulateInDouble = true;
        private boolean residentTraining = true;
        private boolean storeKernelValues;

        private Builder() {
        }

        /**
         * {@return this builder}
         *
         * @param spec the device specification: {@code gpu}, {@code cpu}, {@code accelerator}, {@code #k} or part of
         *             the device's name; null or blank means {@code auto}
         */
        public Builder device(String spec) {
            this.device = spec;
            return this;
        }

        /**
         * Refuse batches that need more than this many bytes of device memory.
         *
         * @param bytes the limit; 0 for the device's size
         * @return this builder
         */
        public Builder memoryLimitBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memory limit = " + bytes + " bytes; it must be >= 0");
            }
            this.memoryLimitBytes = bytes;
            return this;
        }

        /**
         * In {@code FLOAT}, whether sums across work-items are kept in double when the device has fp64
         * (default true). False forces the float-only path that devices without fp64 take.
         *
         * @param v whether FLOAT sums across work-items use double where the device has fp64
         * @return this builder
         */
        public Builder accumulateInDouble(boolean v) {
            this.accumulateInDouble = v;
            return this;
        }

        /**
         * Whether a batch offers {@link dev.sparker.train.ResidentTraining}, so that the trainer runs the
         * whole Adam schedule on the device (default true); false keeps the trainer's host loop, the
         * reference the device loop is checked against.
         *
         * @param v whether the device loop may be used
         * @return this builder
         */
        public Builder residentTraining(boolean v) {
            this.residentTraining = v;
            return this;
        }

        /**
         * Whether the forward pass stores every kernel value k_i(x) (N x M per problem in device memory) for
         * the moment pass to reuse, instead of the moment pass computing the exponentials again (default
         * false: recomputing was not slower on the devices measured; see docs/guide/device-training.md).
         * Same bits either way.
         *
         * @param v whether to store the kernel values
         * @return this builder
         */
        public Builder storeKernelValues(boolean v) {
            this.storeKernelValues = v;
            return this;
        }

        /**
         * {@return the engine}
         */
        public OpenClEngine build() {
            return new OpenClEngine(this);
        }
    }
}
