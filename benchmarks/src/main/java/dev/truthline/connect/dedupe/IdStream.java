package dev.truthline.connect.dedupe;

import java.util.SplittableRandom;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;

/**
 * The input of {@link DedupeWindowBenchmark}: {@value #OPS} precomputed check-and-remember
 * operations (a 128-bit id hash and a position each), with the outcome a window that remembers the
 * last {@value #CAPACITY} ids in insertion order must give for each:
 *
 * <ul>
 *   <li>~80% {@link Outcome#NEW}: an id not seen before; once the window is full, each evicts the oldest;
 *   <li>~17% {@link Outcome#DUPLICATE}: the id of one of the last {@value #RECENT} new ids, at this
 *       operation's own (different) position;
 *   <li>~3% {@link Outcome#REPLAY}: the id of one of the last {@value #RECENT} new ids, at the very
 *       position where it was first seen (a redelivery).
 * </ul>
 *
 * <p>Built once per JVM from a fixed seed. Every operation has its own position (partition
 * {@code i % 8}, offset {@code i / 8}), except replays, which copy their original's. The stream
 * cycles; each pass XORs a different {@link #salt(int) salt} into the high half of every id, so a
 * pass never meets the ids of an earlier one and every pass has the same outcomes. The windows are
 * prefilled with {@value #CAPACITY} other ids ({@link #prefillHi}, {@link #prefillLo}), so the first
 * new id already evicts.
 */
final class IdStream {

    /** window.max.entries of both windows. */
    static final int CAPACITY = 1_000_000;
    /** Operations in one pass; a power of two. About 1.68 million of them are new ids per pass. */
    static final int OPS = 1 << 21;
    /** How far back (in new ids) a duplicate or replay reaches. */
    static final int RECENT = 4096;
    static final double NEW_SHARE = 0.80;
    static final double DUPLICATE_SHARE = 0.17;
    /** TTL of both windows: long enough that nothing expires during a run. */
    static final long TTL_MS = 24L * 3600 * 1000;

    private static final long SEED = 0x7472_7574_686c_696eL;
    private static final int STRIDE = 4;

    /** hi, lo, posA, posB of each operation. */
    final long[] ops = new long[OPS * STRIDE];
    final Outcome[] expected = new Outcome[OPS];
    int newIds;
    int duplicates;
    int replays;

    private static IdStream instance;

    static synchronized IdStream get() {
        if (instance == null) {
            instance = new IdStream();
        }
        return instance;
    }

    private IdStream() {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] recentOps = new int[RECENT];
        for (int i = 0; i < OPS; i++) {
            int b = i * STRIDE;
            double r = random.nextDouble();
            int available = Math.min(newIds, RECENT);
            if (available == 0 || r < NEW_SHARE) {
                ops[b] = random.nextLong();
                ops[b + 1] = random.nextLong();
                ops[b + 2] = i & 7;
                ops[b + 3] = i >>> 3;
                expected[i] = Outcome.NEW;
                recentOps[newIds % RECENT] = i;
                newIds++;
            } else {
                // One of the last `available` new ids.
                int back = 1 + random.nextInt(available);
                int original = recentOps[(newIds - back) % RECENT] * STRIDE;
                ops[b] = ops[original];
                ops[b + 1] = ops[original + 1];
                if (r < NEW_SHARE + DUPLICATE_SHARE) {
                    ops[b + 2] = i & 7;
                    ops[b + 3] = i >>> 3;
                    expected[i] = Outcome.DUPLICATE;
                    duplicates++;
                } else {
                    ops[b + 2] = ops[original + 2];
                    ops[b + 3] = ops[original + 3];
                    expected[i] = Outcome.REPLAY;
                    replays++;
                }
            }
        }
        if (newIds <= CAPACITY) {
            throw new IllegalStateException("a pass must hold more new ids than the window, or passes would meet");
        }
    }

    /** XORed into the high half of every id of pass {@code pass}. */
    static long salt(int pass) {
        return mix64(SEED + 0x9e37_79b9_7f4a_7c15L * (pass + 1));
    }

    /** High half of the i-th prefill id; disjoint from the stream's ids with overwhelming probability. */
    static long prefillHi(int i) {
        return mix64(~SEED ^ (2L * i));
    }

    static long prefillLo(int i) {
        return mix64(~SEED ^ (2L * i + 1));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser (as in SplitMix64). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    /** Where one window is in the stream, with the salt of its current pass. */
    static final class Cursor {
        final long[] ops;
        private int next;
        private int pass;
        long salt = salt(0);
        /** Operations taken since the last {@link #restart()}. */
        long taken;

        Cursor(IdStream stream) {
            this.ops = stream.ops;
        }

        /** Advances and returns the operation's index; the operation's fields are at {@code index * 4}. */
        int advance() {
            int i = next;
            if (i == OPS) {
                i = 0;
                pass++;
                salt = salt(pass);
            }
            next = i + 1;
            taken++;
            return i;
        }

        /** Starts a new pass, for a new window: no repeat then reaches back to ids the window never saw. */
        void restart() {
            next = 0;
            pass++;
            salt = salt(pass);
            taken = 0;
        }
    }

    /** A window under test, as the checks below see it. */
    interface Window {
        Outcome check(long hi, long lo, long posA, long posB, long nowMs);

        long size();
    }

    /** Fills a window with {@value #CAPACITY} ids that the stream never uses, and checks it is full. */
    static void prefill(String name, Window window) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < CAPACITY; i++) {
            Outcome outcome = window.check(prefillHi(i), prefillLo(i), 1L << 32, i, now);
            if (outcome != Outcome.NEW) {
                throw new IllegalStateException(name + ": prefill id " + i + " was " + outcome + ", expected NEW");
            }
        }
        if (window.size() != CAPACITY) {
            throw new IllegalStateException(name + ": holds " + window.size() + " ids after the prefill, expected "
                    + CAPACITY);
        }
    }

    /**
     * Runs {@code count} operations from the cursor through the window and fails unless every outcome
     * is the expected one and the window is still full.
     */
    static void verify(String name, Window window, Cursor cursor, IdStream stream, int count) {
        long before = cursor.taken;
        int mismatches = 0;
        String first = null;
        for (int n = 0; n < count; n++) {
            int i = cursor.advance();
            int b = i * STRIDE;
            Outcome outcome = window.check(stream.ops[b] ^ cursor.salt, stream.ops[b + 1], stream.ops[b + 2],
                    stream.ops[b + 3], System.currentTimeMillis());
            if (outcome != stream.expected[i]) {
                mismatches++;
                if (first == null) {
                    first = "operation " + i + " gave " + outcome + ", expected " + stream.expected[i];
                }
            }
        }
        if (mismatches > 0) {
            throw new IllegalStateException(String.format("%s does not do the job: %d of %d outcomes (after %,d"
                    + " operations on this window, plus its prefill) differ from those of a first-in-first-out window"
                    + " of %d ids; first: %s", name, mismatches, count, before, CAPACITY, first));
        }
        if (window.size() != CAPACITY) {
            throw new IllegalStateException(name + ": holds " + window.size() + " ids, expected " + CAPACITY);
        }
    }
}
