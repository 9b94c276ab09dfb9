package dev.sparker.gpu;

/** The OpenCL compiler rejected a kernel program; {@link #buildLog()} holds the compiler's own log. */
public final class KernelBuildException extends OpenClException {
    private static final long serialVersionUID = 1L;
    /**
     * The compiler's log.
     */
    private final String buildLog;

    /**
     * A kernel build failure; the message holds the device, the build options and the compiler's log.
     *
     * @param device   the device the program was built for
     * @param options  the build options
     * @param buildLog the compiler's log
     * @param cause    the OpenCL error, or null
     */
    public KernelBuildException(String device, String options, String buildLog, Throwable cause) {
        super("OpenCL kernel build failed on " + device + " with options [" + options + "]; compiler log:\n"
                + buildLog, cause);
        this.buildLog = buildLog;
    }

    /**
     * {@return the compiler's log}
     */
    public String buildLog() {
        return buildLog;
    }
}
