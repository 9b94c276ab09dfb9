package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClCalls.check;
import static dev.sparker.gpu.OpenClCalls.created;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.junit.jupiter.api.Test;

/**
 * The host's named kernel-argument positions ({@link OpenClKernelArgs}) against the kernels themselves: the
 * loss program is built with the engine's own options plus {@code -cl-kernel-arg-info}, and every kernel's
 * argument count and names, read back with {@code clGetKernelArgInfo}, must be the host's lists. Also: the
 * {@code meta} slots reach the program as build defines, and the source length handed to OpenCL is its
 * UTF-8 byte count.
 */
class OpenClKernelArgsTest {

    @Test
    void hostArgumentNamesAreTheKernelsArgumentNames() {
        OpenClEngine engine = OpenClTestSupport.requireDevice();
        OpenClPlatforms.Device dev = OpenClPlatforms.match(OpenClPlatforms.discovery().devices(), "");
        OpenClRuntime runtime = OpenClRuntime.of(dev);
        String options = OpenClRuntime.options(new OpenClRuntime.ProgramKey(false, false, 3), 64);
        assertTrue(options.contains("-D META_G_START=" + OpenClBatch.META_G_START) && options.contains("-D META="
                + OpenClBatch.META), "the meta layout is passed as build defines: " + options);
        cl_program program = runtime.build(OpenClRuntime.lossSource(), options + " -cl-kernel-arg-info");
        try {
            int kernels = 0;
            for (Map.Entry<String, List<String>> e : OpenClKernelArgs.BY_KERNEL.entrySet()) {
                int[] err = new int[1];
                cl_kernel k = created(err, CL.clCreateKernel(program, e.getKey(), err), "clCreateKernel");
                try {
                    int[] count = new int[1];
                    check(CL.clGetKernelInfo(k, CL.CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(count), null),
                            "clGetKernelInfo");
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < count[0]; i++) {
                        long[] size = new long[1];
                        check(CL.clGetKernelArgInfo(k, i, CL.CL_KERNEL_ARG_NAME, 0, null, size), "clGetKernelArgInfo");
                        byte[] buf = new byte[(int) size[0]];
                        check(CL.clGetKernelArgInfo(k, i, CL.CL_KERNEL_ARG_NAME, buf.length, Pointer.to(buf), null),
                                "clGetKernelArgInfo");
                        names.add(new String(buf, 0, Math.max(0, buf.length - 1), StandardCharsets.US_ASCII));
                    }
                    assertEquals(e.getValue(), names, e.getKey() + ": host argument list vs the kernel's signature");
                    kernels++;
                } finally {
                    check(CL.clReleaseKernel(k), "clReleaseKernel");
                }
            }
            Set<String> inSource = new TreeSet<>();
            Matcher km = Pattern.compile("\\bvoid\\s+(np_\\w+)\\s*\\(")
                    .matcher(OpenClRuntime.lossSource());
            while (km.find()) {
                inSource.add(km.group(1));
            }
            assertEquals(inSource, new TreeSet<>(OpenClKernelArgs.BY_KERNEL.keySet()),
                    "every kernel of np_loss.cl has a named argument list");
            assertEquals(inSource.size(), kernels, "every kernel of np_loss.cl was checked");
        } finally {
            check(CL.clReleaseProgram(program), "clReleaseProgram");
        }
        assertTrue(engine.availability().available());
    }

    @Test
    void unknownArgumentNamesAreRefusedWithTheList() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenClKernelArgs.position(OpenClKernelArgs.FINISH, "wantLocations"));
        assertTrue(e.getMessage().contains("wantLocations") && e.getMessage().contains("outGrad"), e.getMessage());
    }
}
