package dev.sparker.io;

import java.nio.file.Path;

/**
 * A sample file that cannot be read as asked: the message names the file, the place (line or row, column)
 * and the problem. An {@link IllegalArgumentException}, so callers that already handle bad input catch it.
 */
public final class SampleFileException extends IllegalArgumentException {
    private final transient Path file;

    public SampleFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SampleFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
