package dev.truthline.audit;

/** The audit cannot judge: a store it cannot read, or a table without the provenance it needs (exit code 2). */
public final class CannotJudgeException extends Exception {

    private static final long serialVersionUID = 1L;

    public CannotJudgeException(String message) {
        super(message);
    }

    public CannotJudgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
