package dev.truthline.connect.docs;

import java.util.List;

/**
 * Why the configuration reference could not be generated: an undocumented key, a plugin class that breaks the
 * conventions of {@link ConfigDocs}, a bad command line. The message names the plugin class and the key.
 */
public final class ConfigDocsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigDocsException(String message) {
        this(message, List.of(message), null);
    }

    ConfigDocsException(String message, Throwable cause) {
        this(message, List.of(message), cause);
    }

    private ConfigDocsException(String message, List<String> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /** One exception for several problems, each on its own line of the message. */
    static ConfigDocsException of(List<String> problems) {
        StringBuilder message = new StringBuilder("The plugin configuration reference cannot be generated (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return new ConfigDocsException(message.toString(), problems, null);
    }

    /** The individual problems, one per undocumented key or broken convention. */
    public List<String> problems() {
        return problems;
    }
}
