package dev.truthline.audit;

/**
 * The audit cannot judge: a store it cannot read, a table without the provenance it needs, or a range it was given
 * that the stores cannot answer (exit code 2). When an option's value is the cause, {@link #option()} names it.
 */
public final class CannotJudgeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String option;

    public CannotJudgeException(String message) {
        super(message);
        this.option = null;
    }

    public CannotJudgeException(String message, Throwable cause) {
        super(message, cause);
        this.option = null;
    }

    /** A value of {@code option} ({@code --since-snapshot}) the stores cannot answer; the message starts with it. */
    public static CannotJudgeException option(String option, String problem) {
        return new CannotJudgeException(option, problem, true);
    }

    private CannotJudgeException(String option, String problem, boolean named) {
        super(option + ": " + problem);
        this.option = option;
    }

    /** The command-line option whose value the stores cannot answer, or null. */
    public String option() {
        return option;
    }
}
