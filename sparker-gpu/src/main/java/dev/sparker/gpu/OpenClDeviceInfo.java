package dev.sparker.gpu;

import java.util.Locale;

/**
 * One OpenCL device as the engine sees it.
 *
 * @param index           position in {@link OpenClEngine#devices()} (platform order, then device order)
 * @param platform        platform name (for example "Portable Computing Language" or "NVIDIA CUDA")
 * @param name            device name
 * @param type            GPU, CPU, ACCELERATOR or OTHER
 * @param fp64            whether the device has double precision ({@code cl_khr_fp64})
 * @param globalMemBytes  {@code CL_DEVICE_GLOBAL_MEM_SIZE}
 * @param maxAllocBytes   {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}, the largest single buffer
 * @param localMemBytes   {@code CL_DEVICE_LOCAL_MEM_SIZE}
 * @param maxWorkGroup    {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param computeUnits    {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 */
public record OpenClDeviceInfo(int index, String platform, String name, DeviceType type, boolean fp64,
                               long globalMemBytes, long maxAllocBytes, long localMemBytes, long maxWorkGroup,
                               int computeUnits) {

    /** The OpenCL device types the engine tells apart. */
    public enum DeviceType {
        /** A graphics processor. */
        GPU,
        /** A CPU (PoCL, vendor CPU drivers). */
        CPU,
        /** An accelerator card. */
        ACCELERATOR,
        /** Anything else. */
        OTHER;

        static DeviceType parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * A one-line description: {@code #0 CPU "pthread-..." on "Portable Computing Language", fp64, 3.4 GiB}.
     *
     * @return the description
     */
    public String describe() {
        return String.format(Locale.ROOT, "#%d %s \"%s\" on \"%s\", %s, %.1f GiB, %d compute units", index, type,
                name, platform, fp64 ? "fp64" : "no fp64", globalMemBytes / (1024.0 * 1024 * 1024), computeUnits);
    }
}
