package dev.sparker.gpu;

import org.jocl.CL;
import org.jocl.CLException;

/**
 * Checks the status codes of JOCL calls, so the host code never needs JOCL's JVM-wide
 * {@code CL.setExceptionsEnabled(true)} switch (which would change how every other JOCL user in the same JVM sees
 * errors). A failing call becomes a {@link CLException} carrying the OpenCL status and naming the call; the callers
 * translate it into {@link OpenClException}, {@link DeviceMemoryException} or {@link KernelBuildException}.
 */
final class OpenClCalls {
    private OpenClCalls() {
    }

    /**
     * Returns {@code status} when it is {@code CL_SUCCESS}, else throws.
     *
     * @param status the value an OpenCL call returned
     * @param call   the OpenCL function, e.g. {@code "clEnqueueReadBuffer"}
     * @return {@code CL_SUCCESS}
     * @throws CLException with {@code status}, its OpenCL name and the call, when {@code status} is not success
     */
    static int check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw new CLException(CL.stringFor_errorCode(status) + " from " + call, status);
        }
        return status;
    }

    /**
     * Returns the object an OpenCL {@code clCreate*} call made, after checking the status it wrote. The caller
     * passes the same one-element array as the call's {@code errcode_ret}; Java evaluates the array argument
     * before the call, so {@code created(err, CL.clCreateBuffer(..., err), "clCreateBuffer")} checks that call.
     *
     * @param errcodeRet the call's {@code errcode_ret}, length at least 1
     * @param object     what the call returned
     * @param call       the OpenCL function, e.g. {@code "clCreateBuffer"}
     * @param <T>        the OpenCL object type
     * @return {@code object}
     * @throws CLException with the status, its OpenCL name and the call, when the status is not success or the
     *                     call returned no object
     */
    static <T> T created(int[] errcodeRet, T object, String call) {
        int status = errcodeRet[0];
        errcodeRet[0] = CL.CL_SUCCESS;
        check(status, call);
        if (object == null) {
            throw new CLException("no object from " + call, CL.CL_INVALID_VALUE);
        }
        return object;
    }
}
