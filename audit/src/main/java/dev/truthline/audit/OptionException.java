package dev.truthline.audit;

/**
 * A command-line option's value the audit cannot take (exit code 2): the option ({@code --since-offsets}) and the
 * problem are data; the message is the two together.
 */
public final class OptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String problem;

    public OptionException(String option, String problem) {
        super(option + ": " + problem);
        this.option = option;
        this.problem = problem;
    }

    public String option() {
        return option;
    }

    public String problem() {
        return problem;
    }
}
