package dev.truthline.cli.connector;

import java.nio.file.Path;

/** A connector file that cannot be read as a connector configuration. */
public final class InvalidConnectorFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public InvalidConnectorFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
