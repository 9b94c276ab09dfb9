package dev.sparker.gpu;

/**
 * A batch does not fit the OpenCL device's memory (or the engine's configured limit). The message names
 * the number of bytes asked for and the limit that was hit; {@link #bytesRequested()} gives the former.
 */
public final class DeviceMemoryException extends OpenClException {
    private static final long serialVersionUID = 1L;
    private final long bytesRequested;

    public DeviceMemoryException(String message, long bytesRequested, Throwable cause) {
        super(message, cause);
        this.bytesRequested = bytesRequested;
    }

    public long bytesRequested() {
        return bytesRequested;
    }
}
