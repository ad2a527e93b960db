package dev.truthline.cli.connector;

import java.nio.file.Path;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * A connector file that cannot be read as a connector configuration: the file (as the {@link #key()} of the problem,
 * and as {@link #file()}) and the {@link #problem()} are data; the message is the two together.
 */
public final class InvalidConnectorFileException extends KeyedConfigException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public InvalidConnectorFileException(Path file, String problem) {
        super(String.valueOf(file), problem, file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
