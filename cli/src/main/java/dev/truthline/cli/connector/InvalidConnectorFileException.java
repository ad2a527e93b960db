package dev.truthline.cli.connector;

import java.nio.file.Path;

/** A connector file that cannot be read as a connector configuration. */
public final class InvalidConnectorFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidConnectorFileException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
