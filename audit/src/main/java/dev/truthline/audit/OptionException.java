package dev.truthline.audit;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * A command-line option's value the audit cannot take (exit code 2): the option ({@code --since-offsets}) and the
 * problem are data ({@link #key()}, {@link #problem()}: the project's {@link KeyedConfigException}); the message is the
 * two together, as a command line prints it.
 */
public final class OptionException extends KeyedConfigException {

    private static final long serialVersionUID = 1L;

    public OptionException(String option, String problem) {
        super(option, problem, option + ": " + problem);
    }

    /** The option the problem is about: {@link #key()}. */
    public String option() {
        return key();
    }
}
