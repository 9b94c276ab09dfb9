package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClCalls.check;
import static dev.sparker.gpu.OpenClCalls.created;
import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * One OpenCL context per device for the whole JVM, and the kernel programs built on it, one per
 * (precision, accumulator, dimension). Contexts and programs are thread-safe in OpenCL; kernels and queues
 * are not, so every bound batch creates its own from the shared program.
 */
final class OpenClRuntime {
    static final String KERNEL_RESOURCE = "np_loss.cl";
    /** The device-resident training loop's kernels, appended to {@link #KERNEL_RESOURCE} in one program. */
    static final String TRAIN_RESOURCE = "np_train.cl";
    /** Events each work-item sums privately in {@code np_moments}. */
    static final int CHUNK2 = 16;
    /** Largest work-group the kernels are built for. */
    static final int MAX_WG = 256;

    private static final Map<cl_device_id, OpenClRuntime> RUNTIMES = new ConcurrentHashMap<>();

    final OpenClPlatforms.Device device;
    final cl_context context;
    private final Map<ProgramKey, Program> programs = new HashMap<>();

    /** What a kernel program is specialised for. */
    record ProgramKey(boolean realDouble, boolean accDouble, int dim, boolean storeKernelValues) {
        /** A key for the default program, which recomputes kernel values in the moment pass. */
        ProgramKey(boolean realDouble, boolean accDouble, int dim) {
            this(realDouble, accDouble, dim, false);
        }

    }

    /** A built program and the work-group size it was built for. */
    record Program(cl_program program, int workGroup, String options) {
    }

    private OpenClRuntime(OpenClPlatforms.Device device) {
        this.device = device;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        try {
            int[] err = new int[1];
            this.context = created(err, CL.clCreateContext(props, 1, new cl_device_id[]{device.id()}, null, null, err),
                    "clCreateContext");
        } catch (CLException e) {
            throw new OpenClException("could not create an OpenCL context on " + device.info().describe() + ": "
                    + e.getMessage(), e);
        }
    }

    static OpenClRuntime of(OpenClPlatforms.Device device) {
        return RUNTIMES.computeIfAbsent(device.id(), id -> new OpenClRuntime(device));
    }

    String deviceName() {
        return device.info().describe();
    }

    cl_command_queue newQueue() {
        try {
            int[] err = new int[1];
            return created(err, CL.clCreateCommandQueueWithProperties(context, device.id(), new cl_queue_properties(), err),
                    "clCreateCommandQueueWithProperties");
        } catch (CLException | UnsupportedOperationException e) {
            throw new OpenClException("could not create an OpenCL command queue on " + deviceName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The loss program for {@code key}, built on first use with the largest work-group the device allows. */
    synchronized Program program(ProgramKey key) {
        Program p = programs.get(key);
        if (p == null) {
            p = buildLossProgram(key);
            programs.put(key, p);
        }
        return p;
    }

    private Program buildLossProgram(ProgramKey key) {
        String source = lossSource();
        int realBytes = key.realDouble() ? 8 : 4;
        int accBytes = key.accDouble() ? 8 : 4;
        long localMem = device.info().localMemBytes();
        int wg = Integer.highestOneBit((int) Math.max(1, Math.min(MAX_WG, device.info().maxWorkGroup())));
        // np_forward stages WG kernels' (a, mu) and a WG-long reduction array; np_moments reduces DIM + 1 sums
        while (wg > 1 && Math.max((long) wg * (key.dim() + 1) * realBytes + (long) wg * accBytes,
                (long) wg * (key.dim() + 1) * accBytes) > localMem) {
            wg /= 2;
        }
        while (true) {
            String options = options(key, wg);
            cl_program program = build(source, options);
            long allowed = Math.min(kernelWorkGroup(program, "np_forward"), kernelWorkGroup(program, "np_moments"));
            if (allowed >= wg || wg == 1) {
                return new Program(program, wg, options);
            }
            check(CL.clReleaseProgram(program), "clReleaseProgram");
            wg = Integer.highestOneBit((int) allowed);
        }
    }

    static String options(ProgramKey key, int wg) {
        StringBuilder o = new StringBuilder();
        o.append("-D REAL=").append(key.realDouble() ? "double" : "float");
        o.append(" -D ACC=").append(key.accDouble() ? "double" : "float");
        if (key.realDouble() || key.accDouble()) {
            o.append(" -D USE_FP64");
        }
        o.append(" -D DIM=").append(key.dim()).append(" -D WG=").append(wg).append(" -D CHUNK2=").append(CHUNK2);
        if (key.storeKernelValues()) {
            o.append(" -D STORE_K");
        }
        o.append(OpenClBatch.metaDefines());
        return o.toString();
    }

    /** Builds {@code source}; a compiler error becomes a {@link KernelBuildException} carrying the build log. */
    cl_program build(String source, String options) {
        int[] err = new int[1];
        cl_program program = created(err, CL.clCreateProgramWithSource(context, 1, new String[]{source},
                new long[]{source.getBytes(java.nio.charset.StandardCharsets.UTF_8).length}, err),
                "clCreateProgramWithSource");
        try {
            check(CL.clBuildProgram(program, 1, new cl_device_id[]{device.id()}, options, null, null),
                    "clBuildProgram");
        } catch (CLException e) {
            String log = buildLog(program);
            check(CL.clReleaseProgram(program), "clReleaseProgram");
            throw new KernelBuildException(deviceName(), options, log, e);
        }
        return program;
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            check(CL.clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size),
                    "clGetProgramBuildInfo");
            byte[] b = new byte[(int) size[0]];
            check(CL.clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null),
                    "clGetProgramBuildInfo");
            int len = 0;
            while (len < b.length && b[len] != 0) {
                len++;
            }
            String log = new String(b, 0, len, StandardCharsets.UTF_8).strip();
            return log.isEmpty() ? "(the compiler gave no log)" : log;
        } catch (CLException e) {
            return "(the build log could not be read: " + e.getMessage() + ")";
        }
    }

    private long kernelWorkGroup(cl_program program, String name) {
        int[] err = new int[1];
        cl_kernel k = created(err, CL.clCreateKernel(program, name, err), "clCreateKernel");
        try {
            long[] v = new long[1];
            check(CL.clGetKernelWorkGroupInfo(k, device.id(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(v), null),
                    "clGetKernelWorkGroupInfo");
            return v[0];
        } finally {
            check(CL.clReleaseKernel(k), "clReleaseKernel");
        }
    }

    static String lossSource() {
        return resource(KERNEL_RESOURCE) + "\n" + resource(TRAIN_RESOURCE);
    }

    private static String resource(String name) {
        try (InputStream in = OpenClRuntime.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read kernel resource " + name, e);
        }
    }
}
