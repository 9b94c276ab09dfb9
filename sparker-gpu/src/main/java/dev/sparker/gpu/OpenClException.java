package dev.sparker.gpu;

/** An OpenCL call failed; the message names the call, the device and the OpenCL status. */
public class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OpenClException(String message) {
        super(message);
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
