package dev.truthline.connect.core;

/**
 * A transform's way to stop its task when going on would lose or misfile records: a dead-letter write the brokers did
 * not acknowledge, a window that could not be rebuilt. An {@link Error}, not an exception, on purpose: with
 * {@code errors.tolerance=all} Connect tolerates every exception a transform throws — it hands the record to its own
 * dead-letter queue without waiting for that write, and goes on with the next record — while an error fails the task
 * before the record's offset is committed, so a restarted task is handed the record again.
 */
public class TaskStop extends Error {

    private static final long serialVersionUID = 1L;

    public TaskStop(String message, Throwable cause) {
        super(message, cause);
    }
}
