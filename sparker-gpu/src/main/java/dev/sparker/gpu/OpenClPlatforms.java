package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClCalls.check;
import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_PLATFORM_NAME;

import dev.sparker.gpu.OpenClDeviceInfo.DeviceType;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices once per JVM (lazy holder) and matches a device specification against them.
 * Loading JOCL's native library or the OpenCL ICD loader can fail on machines without OpenCL; that is
 * recorded as the reason the engine is unavailable, never thrown from discovery.
 */
final class OpenClPlatforms {
    private static final Logger LOG = System.getLogger("dev.sparker.gpu");
    /** The platform code when the ICD loader finds no platform at all. */
    private static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

    private OpenClPlatforms() {
    }

    /** A device with its native handles. */
    record Device(OpenClDeviceInfo info, cl_platform_id platform, cl_device_id id) {
    }

    /** The outcome of discovery: the devices found, or why there are none. */
    record Discovery(List<Device> devices, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private static final class Holder {
        static final Discovery DISCOVERY = discover();
    }

    static Discovery discovery() {
        return Holder.DISCOVERY;
    }

    private static Discovery discover() {
        Discovery d;
        String missingLoader = missingIcdLoader();
        try {
            d = missingLoader != null ? new Discovery(List.of(), missingLoader) : enumerate();
        } catch (LinkageError e) {
            d = new Discovery(List.of(), "the JOCL native library or the OpenCL loader could not be loaded: "
                    + e + "; JOCL opens the unversioned libOpenCL.so, so install an ICD loader with that name (on"
                    + " Debian: ocl-icd-libopencl1 plus ocl-icd-opencl-dev, or a libOpenCL.so symlink to"
                    + " libOpenCL.so.1 on LD_LIBRARY_PATH) and a driver (pocl-opencl-icd, or the GPU vendor's)");
        } catch (CLException e) {
            d = e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR
                    ? new Discovery(List.of(), "no OpenCL platform found (CL_PLATFORM_NOT_FOUND_KHR): no ICD file in"
                    + " /etc/OpenCL/vendors (or the folder OCL_ICD_VENDORS names) points at a working driver; install one (pocl-opencl-icd for CPUs, the GPU"
                    + " vendor's OpenCL driver for GPUs)")
                    : new Discovery(List.of(), "OpenCL platform query failed: " + e.getMessage());
        } catch (RuntimeException e) {
            d = new Discovery(List.of(), "OpenCL could not be initialised: " + e);
        }
        if (!d.ok()) {
            LOG.log(Level.INFO, "OpenCL engine unavailable: " + d.failure());
        }
        return d;
    }

    /**
     * On Linux, whether the unversioned {@code libOpenCL.so} that JOCL's native code opens can be opened at all,
     * asked before JOCL is touched: when it cannot, JOCL's native code prints its own "Could not load
     * libOpenCL.so" line on stdout (at exit, after the tool's output), which no Java setting silences. Returns the
     * reason the engine is unavailable, or null when the library opens (or on other systems, where JOCL is asked).
     */
    private static String missingIcdLoader() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        return unopenable("libOpenCL.so");
    }

    /** Null when the shared library {@code name} opens (and is closed again), else why not. */
    static String unopenable(String name) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.SymbolLookup.libraryLookup(name, arena);
            return null;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return "the OpenCL loader " + name + " cannot be opened (" + e.getMessage() + "); JOCL opens the"
                    + " unversioned libOpenCL.so, so install an ICD loader with that name (on Debian:"
                    + " ocl-icd-libopencl1 plus ocl-icd-opencl-dev, or a libOpenCL.so symlink to libOpenCL.so.1 on"
                    + " LD_LIBRARY_PATH) and a driver (pocl-opencl-icd, or the GPU vendor's)";
        }
    }

    private static Discovery enumerate() {
        int[] count = new int[1];
        check(CL.clGetPlatformIDs(0, null, count), "clGetPlatformIDs");
        if (count[0] == 0) {
            return new Discovery(List.of(), "no OpenCL platform found: the ICD loader lists none; install a driver"
                    + " (pocl-opencl-icd for CPUs, the GPU vendor's OpenCL driver for GPUs)");
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        List<Device> devices = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            String platformName = platformString(platform, CL_PLATFORM_NAME);
            int[] n = new int[1];
            try {
                check(CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n), "clGetDeviceIDs");
            } catch (CLException e) {
                problems.add(platformName + ": " + e.getMessage());
                continue;
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            check(CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null), "clGetDeviceIDs");
            for (cl_device_id id : ids) {
                long typeBits = deviceLong(id, CL_DEVICE_TYPE);
                DeviceType type = (typeBits & CL_DEVICE_TYPE_GPU) != 0 ? DeviceType.GPU
                        : (typeBits & CL_DEVICE_TYPE_CPU) != 0 ? DeviceType.CPU
                        : (typeBits & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? DeviceType.ACCELERATOR : DeviceType.OTHER;
                boolean fp64 = deviceString(id, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64")
                        || doubleFpConfig(id) != 0;
                OpenClDeviceInfo info = new OpenClDeviceInfo(devices.size(), platformName,
                        deviceString(id, CL_DEVICE_NAME), type, fp64,
                        deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                        deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE), deviceLong(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                        deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS));
                devices.add(new Device(info, platform, id));
            }
        }
        if (devices.isEmpty()) {
            return new Discovery(List.of(), "OpenCL platforms were found but no device"
                    + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"));
        }
        return new Discovery(List.copyOf(devices), null);
    }

    /**
     * The device {@code spec} names: null, blank or {@code auto} -> the first GPU, else the first device;
     * {@code gpu}, {@code cpu}, {@code accelerator} -> the first device of that type; {@code #k} -> device
     * number k (null if there is none); anything else -> the first device whose "platform / name" contains it (case-insensitive).
     * Returns null when nothing matches.
     */
    static Device match(List<Device> devices, String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty() || s.equalsIgnoreCase("auto")) {
            for (Device d : devices) {
                if (d.info().type() == DeviceType.GPU) {
                    return d;
                }
            }
            return devices.isEmpty() ? null : devices.getFirst();
        }
        DeviceType type = DeviceType.parse(s);
        if (type != null) {
            for (Device d : devices) {
                if (d.info().type() == type) {
                    return d;
                }
            }
            return null;
        }
        if (s.startsWith("#")) {
            try {
                int k = Integer.parseInt(s.substring(1));
                return k >= 0 && k < devices.size() ? devices.get(k) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String wanted = s.toLowerCase(Locale.ROOT);
        for (Device d : devices) {
            String full = (d.info().platform() + " / " + d.info().name()).toLowerCase(Locale.ROOT);
            if (full.contains(wanted)) {
                return d;
            }
        }
        return null;
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        check(CL.clGetPlatformInfo(p, param, 0, null, size), "clGetPlatformInfo");
        byte[] b = new byte[(int) size[0]];
        check(CL.clGetPlatformInfo(p, param, b.length, Pointer.to(b), null), "clGetPlatformInfo");
        return cString(b);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(d, param, 0, null, size), "clGetDeviceInfo");
        byte[] b = new byte[(int) size[0]];
        check(CL.clGetDeviceInfo(d, param, b.length, Pointer.to(b), null), "clGetDeviceInfo");
        return cString(b);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        check(CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    /** 0 when the device has no double support (some drivers reject the query instead of answering 0). */
    private static long doubleFpConfig(cl_device_id d) {
        try {
            return deviceLong(d, CL_DEVICE_DOUBLE_FP_CONFIG);
        } catch (CLException e) {
            return 0;
        }
    }

    private static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        check(CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    private static String cString(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8).trim();
    }
}
