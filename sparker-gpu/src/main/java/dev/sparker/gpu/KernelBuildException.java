package dev.sparker.gpu;

/** The OpenCL compiler rejected a kernel program; {@link #buildLog()} holds the compiler's own log. */
public final class KernelBuildException extends OpenClException {
    private static final long serialVersionUID = 1L;
    private final String buildLog;

    public KernelBuildException(String device, String options, String buildLog, Throwable cause) {
        super("OpenCL kernel build failed on " + device + " with options [" + options + "]; compiler log:\n"
                + buildLog, cause);
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
