package dev.truthline.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a run tells its user as it goes — steps with their elapsed time, progress lines — and the notes it
 * collects for the report (overrides it applied, tasks it restarted, waits that timed out).
 */
final class Console {

    private final PrintWriter out;
    private final long startedNanos = System.nanoTime();
    private final List<String> notes = new ArrayList<>();

    Console(PrintWriter out) {
        this.out = out;
    }

    void step(String what) {
        out.printf("  %-28s ", what + " ...");
        out.flush();
    }

    void done(String detail) {
        out.printf("%s (%d s)%n", detail, seconds());
        out.flush();
    }

    void printf(String format, Object... args) {
        out.printf(format, args);
        out.flush();
    }

    PrintWriter out() {
        return out;
    }

    /** Seconds since the run started. */
    long seconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    double exactSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }
}
