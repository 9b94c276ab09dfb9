package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClTestSupport.coefficients;
import static dev.sparker.gpu.OpenClTestSupport.locations;
import static dev.sparker.gpu.OpenClTestSupport.requireDevice;
import static dev.sparker.gpu.OpenClTestSupport.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.SplittableRandom;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;

/**
 * The engine checks OpenCL status codes itself and leaves JOCL's JVM-wide exception switch off: after discovery,
 * bind and evaluate, a raw failing JOCL call still returns its status (as it would for any other JOCL user in the
 * JVM), while a failure inside our code still arrives as our named error.
 */
class OpenClErrorCodesTest {
    /** No OpenCL device-info parameter has this value, so every driver answers CL_INVALID_VALUE. */
    private static final int NO_SUCH_PARAM = 0x7FFF;

    @Test
    void jvmWideExceptionSwitchStaysOffAfterTheEngineRan() {
        OpenClEngine engine = requireDevice();
        SplittableRandom rng = new SplittableRandom(11);
        Samples ref = sample(rng, 200, 2, 0.5);
        Samples data = sample(rng, 40, 2, 1);
        KernelShape shape = new KernelShape(4, 2, 0.7, Amplitude.UNIT);
        NpEvaluation got = new NpEvaluation(shape);
        try (BoundProblem p = engine.bind(ref, data, shape, new EngineSettings(Precision.FLOAT, 1))) {
            p.evaluate(coefficients(rng, 4), locations(rng, 4, 2), GradientRequest.BOTH, got);
        }
        assertTrue(Double.isFinite(got.loss()), "the engine ran: loss " + got.loss());

        OpenClPlatforms.Device dev = OpenClPlatforms.match(OpenClPlatforms.discovery().devices(),
                "#" + engine.device().orElseThrow().index());
        long[] value = new long[1];
        int status = CL.clGetDeviceInfo(dev.id(), NO_SUCH_PARAM, Sizeof.cl_ulong, Pointer.to(value), null);
        assertEquals(CL.CL_INVALID_VALUE, status, "a raw JOCL call returns its status instead of throwing");

        OpenClRuntime runtime = OpenClRuntime.of(dev);
        int[] err = new int[1];
        cl_mem none = CL.clCreateBuffer(runtime.context, CL.CL_MEM_READ_WRITE, 0, null, err);
        assertNull(none, "a zero-size buffer is refused");
        assertEquals(CL.CL_INVALID_BUFFER_SIZE, err[0], "the refusal comes back as errcode_ret, not as an exception");
    }

    @Test
    void failuresInsideTheEngineStillBecomeNamedErrors() {
        OpenClEngine engine = requireDevice();
        OpenClPlatforms.Device dev = OpenClPlatforms.match(OpenClPlatforms.discovery().devices(),
                "#" + engine.device().orElseThrow().index());
        OpenClRuntime runtime = OpenClRuntime.of(dev);

        int[] err = new int[1];
        CLException refused = assertThrows(CLException.class, () -> OpenClCalls.created(err,
                CL.clCreateBuffer(runtime.context, CL.CL_MEM_READ_WRITE, 0, null, err), "clCreateBuffer"));
        assertEquals(CL.CL_INVALID_BUFFER_SIZE, refused.getStatus());
        assertEquals("CL_INVALID_BUFFER_SIZE from clCreateBuffer", refused.getMessage());
        assertEquals(CL.CL_SUCCESS, err[0], "the checked status is cleared for the next call");

        CLException query = assertThrows(CLException.class, () -> OpenClCalls.check(
                CL.clGetDeviceInfo(dev.id(), NO_SUCH_PARAM, Sizeof.cl_ulong, Pointer.to(new long[1]), null),
                "clGetDeviceInfo"));
        assertEquals(CL.CL_INVALID_VALUE, query.getStatus());
        assertTrue(query.getMessage().contains("CL_INVALID_VALUE") && query.getMessage().contains("clGetDeviceInfo"),
                query.getMessage());

        KernelBuildException build = assertThrows(KernelBuildException.class,
                () -> runtime.build("__kernel void broken(__global float* x) { x[0] = no_such_name; }", ""));
        CLException cause = assertInstanceOf(CLException.class, build.getCause());
        assertEquals(CL.CL_BUILD_PROGRAM_FAILURE, cause.getStatus());
        assertTrue(cause.getMessage().contains("clBuildProgram"), cause.getMessage());
        assertTrue(build.buildLog().contains("no_such_name"), build.buildLog());
    }
}
