package dev.truthline.connect.dedupe;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;

/**
 * Check-and-remember at 1,000,000 entries: Deduplicate's {@link DedupeWindow} against a Caffeine
 * cache doing the same job ({@link CaffeineWindow}), on the same precomputed stream of 128-bit ids
 * ({@link IdStream}: ~80% new ids, each evicting the oldest, ~17% duplicates, ~3% replays).
 *
 * <p>One op = one id checked and, when new, remembered; {@code Mode.AverageTime}, ns/op, one thread.
 *
 * <p>Every iteration (warm-up included) measures a freshly built window, filled to its capacity
 * before the iteration starts, so every measured op runs against a full window. Before and after
 * each iteration, a sample of the stream must give exactly the outcomes a first-in-first-out window
 * of 1,000,000 ids gives (NEW, DUPLICATE, REPLAY), or the run fails: a window that forgets or
 * confuses ids could be fast for the wrong reason. Fresh windows are needed for Caffeine: its
 * W-TinyLFU hill climber re-sizes the admission window every 10 × maximumSize requests, and its
 * first step (a decrease of 6.25% of maximumSize, against a window of 1%) shrinks the window to
 * nothing; from then on a new id is refused admission at once, and ~90% of this stream's duplicates
 * pass as new until the next step, 10 million requests later. An iteration must therefore stay
 * well below 10 million ops (with the prefill): at 2 s that holds down to ~250 ns/op for
 * Caffeine; on a faster machine use shorter iterations ({@code -r 500ms}). The check after each
 * iteration fails the run if it did not.
 *
 * <p>Both read the clock on every op, as Deduplicate does: DedupeWindow is passed
 * {@code System.currentTimeMillis()}, Caffeine reads its own ticker for {@code expireAfterWrite}.
 * Caffeine's key and value are allocated per op (an id arrives as two longs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class DedupeWindowBenchmark {

    /** Operations checked before and after each iteration. */
    static final int SAMPLE = 1 << 18;

    /** A window, the cursor over the stream, and the checks; the subclasses supply the window. */
    abstract static class WindowState implements IdStream.Window {
        IdStream stream;
        IdStream.Cursor cursor;
        private int iterations;
        private long verified;

        abstract String name();

        /** Drops the previous window, if any, and builds an empty one. */
        abstract void build();

        @Setup(Level.Trial)
        public void loadStream() {
            stream = IdStream.get();
            cursor = new IdStream.Cursor(stream);
        }

        @Setup(Level.Iteration)
        public void freshFullWindow() {
            build();
            // The previous window is garbage now: collect it here rather than during the iteration.
            System.gc();
            cursor.restart();
            IdStream.prefill(name(), this);
            IdStream.verify(name(), this, cursor, stream, SAMPLE);
            verified += SAMPLE;
        }

        @TearDown(Level.Iteration)
        public void verifyAgain() {
            IdStream.verify(name(), this, cursor, stream, SAMPLE);
            verified += SAMPLE;
            iterations++;
        }

        @TearDown(Level.Trial)
        public void summary() {
            System.out.printf("%n%s: %d iterations, each on a new window filled to %,d ids; %,d sample operations"
                    + " before and after them all gave the outcomes of a FIFO window%n", name(), iterations,
                    IdStream.CAPACITY, verified);
        }
    }

    /** Deduplicate's window. */
    @State(Scope.Thread)
    public static class Primitive extends WindowState {
        DedupeWindow window;

        @Override
        String name() {
            return "DedupeWindow";
        }

        @Override
        void build() {
            window = null;
            window = new DedupeWindow(IdStream.CAPACITY, IdStream.TTL_MS);
        }

        @Override
        public Outcome check(long hi, long lo, long posA, long posB, long nowMs) {
            return window.check(hi, lo, posA, posB, nowMs, null);
        }

        @Override
        public long size() {
            return window.size();
        }
    }

    /** A Caffeine window; the subclasses differ in where Caffeine runs its maintenance. */
    abstract static class CaffeineState extends WindowState {
        CaffeineWindow window;

        abstract Executor executor();

        @Override
        void build() {
            window = null;
            window = new CaffeineWindow(IdStream.CAPACITY, IdStream.TTL_MS, executor());
        }

        @Override
        public Outcome check(long hi, long lo, long posA, long posB, long nowMs) {
            return window.check(hi, lo, posA, posB);
        }

        @Override
        public long size() {
            return window.size();
        }
    }

    /** Caffeine maintained on the calling thread: all of its work is in the score. */
    @State(Scope.Thread)
    public static class CaffeineInline extends CaffeineState {
        @Override
        String name() {
            return "Caffeine";
        }

        @Override
        Executor executor() {
            return Runnable::run;
        }
    }

    /**
     * Caffeine with its default executor: eviction and expiry run on ForkJoinPool.commonPool(), so
     * part of the work leaves the measured thread (on a 2-core machine, for the other core). Shown for
     * reference; the comparison is against {@link CaffeineInline}.
     */
    @State(Scope.Thread)
    public static class CaffeineCommonPool extends CaffeineState {
        @Override
        String name() {
            return "Caffeine (commonPool maintenance)";
        }

        @Override
        Executor executor() {
            return null;
        }
    }

    /** a. DedupeWindow.check on a full window of 1,000,000 ids. */
    @Benchmark
    public Outcome dedupeWindow(Primitive s) {
        IdStream.Cursor c = s.cursor;
        int b = c.advance() * 4;
        long[] ops = c.ops;
        return s.window.check(ops[b] ^ c.salt, ops[b + 1], ops[b + 2], ops[b + 3], System.currentTimeMillis(), null);
    }

    /** b. Caffeine putIfAbsent and a position compare, on a full cache of 1,000,000 ids, maintained inline. */
    @Benchmark
    public Outcome caffeineWindow(CaffeineInline s) {
        IdStream.Cursor c = s.cursor;
        int b = c.advance() * 4;
        long[] ops = c.ops;
        return s.window.check(ops[b] ^ c.salt, ops[b + 1], ops[b + 2], ops[b + 3]);
    }

    /** c. As b, with Caffeine's maintenance on ForkJoinPool.commonPool() (reference only). */
    @Benchmark
    public Outcome caffeineWindowCommonPool(CaffeineCommonPool s) {
        IdStream.Cursor c = s.cursor;
        int b = c.advance() * 4;
        long[] ops = c.ops;
        return s.window.check(ops[b] ^ c.salt, ops[b + 1], ops[b + 2], ops[b + 3]);
    }
}
