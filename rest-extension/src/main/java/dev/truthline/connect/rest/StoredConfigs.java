package dev.truthline.connect.rest;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.kafka.connect.errors.NotFoundException;

/**
 * Reads a connector's stored configuration for a {@code PATCH} check, telling "there is none" apart
 * from "the worker cannot say right now".
 *
 * <p>A distributed herder refuses to answer while a rebalance is expected — which it is right after a
 * connector is created or changed, when its tasks are (re)assigned — and the read fails then. Treating
 * that failure as "no stored configuration" would let the patch reach Connect unchecked, and Connect
 * applies it once the rebalance is over: a patch that breaks a rule's parameters would land. So a
 * failed read is retried with a growing pause for a bounded time, and only a connector Connect reports
 * as not found is {@link Absent} (Connect then answers 404 itself).
 */
final class StoredConfigs {

    /** How long a {@code PATCH} waits for the worker to answer before it is answered 409 (retry). */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    private static final long FIRST_PAUSE_MS = 50;
    private static final long LONGEST_PAUSE_MS = 1_000;

    /** What a read found. */
    sealed interface Read permits Found, Absent, Unavailable { }

    /** The connector's stored configuration. */
    record Found(Map<String, String> config) implements Read { }

    /** Connect knows no connector of that name. */
    record Absent() implements Read { }

    /** The worker did not answer within {@link #PATIENCE}; {@code reason} is its last error's message. */
    record Unavailable(String reason) implements Read { }

    /** Pauses between two tries; a test's pause only advances its clock. */
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    private final Function<String, Map<String, String>> lookup;
    private final long patienceNanos;
    private final LongSupplier nanoTime;
    private final Pause pause;

    /** @param lookup the worker's read (ConnectClusterState::connectorConfig): throws when it cannot answer */
    StoredConfigs(Function<String, Map<String, String>> lookup) {
        this(lookup, PATIENCE, System::nanoTime, Thread::sleep);
    }

    StoredConfigs(Function<String, Map<String, String>> lookup, Duration patience, LongSupplier nanoTime, Pause pause) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.patienceNanos = patience.toNanos();
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    Read read(String connector) {
        long deadline = nanoTime.getAsLong() + patienceNanos;
        long pauseMs = FIRST_PAUSE_MS;
        while (true) {
            RuntimeException failure;
            try {
                Map<String, String> config = lookup.apply(connector);
                return config == null ? new Absent() : new Found(config);
            } catch (RuntimeException e) {
                if (causedBy(e, NotFoundException.class)) {
                    return new Absent();
                }
                failure = e;
            }
            long leftMs = Duration.ofNanos(deadline - nanoTime.getAsLong()).toMillis();
            if (leftMs <= 0) {
                return new Unavailable(rootMessage(failure));
            }
            try {
                pause.sleep(Math.min(pauseMs, leftMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Unavailable(rootMessage(failure));
            }
            pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message: ConnectClusterState wraps the herder's own error twice. */
    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
