package dev.sparker.gpu;

/**
 * A batch does not fit the OpenCL device's memory (or the engine's configured limit). The message names
 * the number of bytes asked for and the limit that was hit; {@link #bytesRequested()} gives the former.
 */
public final class DeviceMemoryException extends OpenClException {
    private static final long serialVersionUID = 1L;
    /**
     * The bytes the batch asked for.
     */
    private final long bytesRequested;

    /**
     * A batch that does not fit.
     *
     * @param message        names the bytes asked for and the limit hit
     * @param bytesRequested the bytes asked for
     * @param cause          the OpenCL allocation error, or null when a limit was checked before allocating
     */
    public DeviceMemoryException(String message, long bytesRequested, Throwable cause) {
        super(message, cause);
        this.bytesRequested = bytesRequested;
    }

    /**
     * {@return the bytes of device memory the batch asked for}
     */
    public long bytesRequested() {
        return bytesRequested;
    }
}
