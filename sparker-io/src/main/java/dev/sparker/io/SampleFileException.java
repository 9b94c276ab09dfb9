package dev.sparker.io;

import java.nio.file.Path;

/**
 * A sample file that cannot be read as asked: the message names the file, the place (line or row, column)
 * and the problem. An {@link IllegalArgumentException}, so callers that already handle bad input catch it.
 */
public final class SampleFileException extends IllegalArgumentException {
    private final transient Path file;

    /**
     * A problem in a file; the message is {@code "file: problem"}.
     *
     * @param file    the file
     * @param problem what is wrong, with the line or row and column where there is one
     */
    public SampleFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * A problem in a file, with its cause.
     *
     * @param file    the file
     * @param problem what is wrong
     * @param cause   the underlying exception
     */
    public SampleFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /**
     * {@return the file the problem is in}
     */
    public Path file() {
        return file;
    }
}
