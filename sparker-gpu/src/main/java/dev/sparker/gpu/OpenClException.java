package dev.sparker.gpu;

/** An OpenCL call failed; the message names the call, the device and the OpenCL status. */
public class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failed OpenCL call.
     *
     * @param message names the call, the device and the OpenCL status
     */
    public OpenClException(String message) {
        super(message);
    }

    /**
     * A failed OpenCL call, with its cause.
     *
     * @param message names the call, the device and the OpenCL status
     * @param cause   the underlying exception
     */
    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
