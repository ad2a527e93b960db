package dev.truthline.connect.harness;

import java.time.Duration;
import java.util.function.Supplier;

/** Polling until a condition holds. */
public final class Waits {

    /** A condition that may fail while it is not yet met. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    /** A condition's answer that waiting cannot change (a task FAILED, a process died): ends the wait at once. */
    public static class Hopeless extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Hopeless(String message) {
            super(message);
        }
    }

    private Waits() {
    }

    /** Polls every {@code pollMillis} until the condition holds; fails after {@code timeout} with the message. */
    public static void until(Condition condition, Duration timeout, long pollMillis, Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.met()) {
                    return;
                }
                last = null;
            } catch (InterruptedException | Hopeless e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                IllegalStateException failure = new IllegalStateException(message.get() + " (waited " + timeout.toSeconds()
                        + " s)");
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            Thread.sleep(pollMillis);
        }
    }
}
