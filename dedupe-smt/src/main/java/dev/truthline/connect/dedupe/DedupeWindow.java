package dev.truthline.connect.dedupe;

/**
 * A bounded memory of the ids a task has seen, and where it first saw each one.
 *
 * <p>Each entry is an id's 128-bit hash, the position where the id was first seen (two longs:
 * for sink records topic/partition and offset, for source records a fingerprint of the source
 * partition and offset), an optional version and the time it was stored. Entries live in a
 * circular log of primitive longs, in insertion order, so the oldest is evicted first; an
 * open-addressing table of ints finds an id's log slot. A newer version moves its entity to the
 * log's tail and leaves a dead slot behind; the log has one eighth more slots than entries, and
 * when it fills the live entries are compacted towards its head (amortized constant time); without
 * versions the log needs a single spare slot. The
 * arrays start small and double as the window fills, so a quiet task does not hold the memory of
 * a full one. There is no Java object per entry: about 56 bytes each at full capacity (48 in the
 * log, 8 in the table at a load factor of at most 1/2), 62 with versions.
 *
 * <p>All methods are synchronized: Connect calls one transform instance from one task thread,
 * so the lock is uncontended; it only keeps concurrent use (and metric reads) safe.
 */
final class DedupeWindow {

    /** What {@link #check} and {@link #checkVersion} found. */
    enum Outcome {
        /** Not seen before (or, for versions, newer than what was seen): remembered, pass. */
        NEW,
        /** Seen at this very position: a redelivery of the same record, pass. */
        REPLAY,
        /** Seen at another position: a duplicate. */
        DUPLICATE,
        /** For versions: not newer than the newest version seen at another position. */
        STALE
    }

    private static final int STRIDE = 6;
    private static final int HI = 0;
    private static final int LO = 1;
    private static final int POS_A = 2;
    private static final int POS_B = 3;
    private static final int VERSION = 4;
    private static final int TIME = 5;
    /** TIME of a log slot whose entry moved to a newer slot. */
    private static final long DEAD = Long.MIN_VALUE;

    /** Entries the arrays are first sized for; they double as the window fills, up to the maximum. */
    static final int INITIAL_ENTRIES = 16;

    /** Most live entries. */
    private final int capacity;
    private final long ttlMs;
    /** Entries the arrays hold now (at most capacity). */
    private int allocated;
    /** Whether entries move on a newer version, leaving dead slots behind (entity_version). */
    private final boolean versions;
    /** Log slots now: allocated plus slack for the dead slots versions leave behind. */
    private int slots;
    private long[] log;
    /** Log slot + 1 for each used table cell, 0 for empty. */
    private int[] table;
    private int mask;
    private int head;
    /** Log slots in use between head and tail, dead ones included. */
    private int used;
    private int live;
    private long evictions;

    /**
     * @param maxEntries most ids remembered at once
     * @param ttlMs      how long an id is remembered after it was stored
     */
    DedupeWindow(int maxEntries, long ttlMs) {
        this(maxEntries, ttlMs, true);
    }

    /**
     * @param versions whether {@link #checkVersion} will be used: only then does the log need slack
     *                 for the slots that version moves leave dead
     */
    DedupeWindow(int maxEntries, long ttlMs, boolean versions) {
        if (maxEntries < 1 || ttlMs < 1) {
            throw new IllegalArgumentException("window bounds must be positive");
        }
        this.versions = versions;
        this.capacity = maxEntries;
        this.ttlMs = ttlMs;
        allocate(Math.min(maxEntries, INITIAL_ENTRIES));
    }

    /** Sizes the arrays for {@code entries} live entries (they must be empty or about to be refilled). */
    private void allocate(int entries) {
        allocated = entries;
        slots = entries + (versions ? Math.max(1, entries / 8) : 1);
        log = new long[Math.multiplyExact(slots, STRIDE)];
        int tableSize = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
        table = new int[tableSize];
        mask = tableSize - 1;
        head = 0;
        used = 0;
    }

    /** The most ids remembered at once. */
    int capacity() {
        return capacity;
    }

    /** Doubles the arrays (up to capacity), keeping the live entries in order. */
    private void grow() {
        long[] oldLog = log;
        int oldSlots = slots;
        int oldHead = head;
        int oldUsed = used;
        allocate((int) Math.min(capacity, 2L * allocated));
        for (int k = 0; k < oldUsed; k++) {
            int base = ((oldHead + k) % oldSlots) * STRIDE;
            if (oldLog[base + TIME] == DEAD) {
                continue;
            }
            System.arraycopy(oldLog, base, log, used * STRIDE, STRIDE);
            index(oldLog[base + HI], oldLog[base + LO], used);
            used++;
        }
    }

    /**
     * Checks an id and remembers it when new.
     *
     * @param firstSeen if not null and the outcome is {@link Outcome#DUPLICATE}, receives the
     *                  position where the id was first seen
     */
    synchronized Outcome check(long hi, long lo, long posA, long posB, long nowMs, long[] firstSeen) {
        expire(nowMs);
        int cell = find(hi, lo);
        if (cell >= 0) {
            int base = (table[cell] - 1) * STRIDE;
            if (log[base + POS_A] == posA && log[base + POS_B] == posB) {
                return Outcome.REPLAY;
            }
            if (firstSeen != null) {
                firstSeen[0] = log[base + POS_A];
                firstSeen[1] = log[base + POS_B];
            }
            return Outcome.DUPLICATE;
        }
        insert(hi, lo, posA, posB, 0, nowMs);
        return Outcome.NEW;
    }

    /**
     * Checks an entity's version: newer than the newest seen is remembered and passes; the newest's
     * own position passes as a redelivery; anything else is stale.
     *
     * @param newest if not null and the outcome is {@link Outcome#STALE}, receives the position where
     *               the newest version was first seen
     */
    synchronized Outcome checkVersion(long hi, long lo, long version, long posA, long posB, long nowMs,
            long[] newest) {
        expire(nowMs);
        int cell = find(hi, lo);
        if (cell < 0) {
            insert(hi, lo, posA, posB, version, nowMs);
            return Outcome.NEW;
        }
        int slot = table[cell] - 1;
        int base = slot * STRIDE;
        if (log[base + POS_A] == posA && log[base + POS_B] == posB) {
            return Outcome.REPLAY;
        }
        if (version > log[base + VERSION]) {
            // Move the entity to the tail, so eviction order follows the last change.
            removeCell(cell);
            log[base + TIME] = DEAD;
            live--;
            insert(hi, lo, posA, posB, version, nowMs);
            return Outcome.NEW;
        }
        if (newest != null) {
            newest[0] = log[base + POS_A];
            newest[1] = log[base + POS_B];
        }
        return Outcome.STALE;
    }

    /** Ids currently remembered. */
    synchronized int size() {
        return live;
    }

    /** Entries dropped to respect the bounds (size or TTL) since creation. */
    synchronized long evictions() {
        return evictions;
    }

    synchronized void clear() {
        allocate(Math.min(capacity, INITIAL_ENTRIES));
        live = 0;
    }

    private void insert(long hi, long lo, long posA, long posB, long version, long nowMs) {
        while (live == capacity) {
            evictHead();
        }
        if (live == allocated) {
            grow();
        } else if (used == slots) {
            compact();
        }
        int slot = head + used;
        if (slot >= slots) {
            slot -= slots;
        }
        int base = slot * STRIDE;
        log[base + HI] = hi;
        log[base + LO] = lo;
        log[base + POS_A] = posA;
        log[base + POS_B] = posB;
        log[base + VERSION] = version;
        log[base + TIME] = nowMs;
        used++;
        live++;
        index(hi, lo, slot);
    }

    private void index(long hi, long lo, int slot) {
        int cell = (int) mix(hi, lo) & mask;
        while (table[cell] != 0) {
            cell = (cell + 1) & mask;
        }
        table[cell] = slot + 1;
    }

    private void expire(long nowMs) {
        long oldest = nowMs - ttlMs;
        while (used > 0) {
            long time = log[head * STRIDE + TIME];
            if (time != DEAD && time > oldest) {
                return;
            }
            evictHead();
        }
    }

    /** Drops the oldest log slot; counts it as an eviction when it held a live entry. */
    private void evictHead() {
        int base = head * STRIDE;
        if (log[base + TIME] != DEAD) {
            int cell = find(log[base + HI], log[base + LO]);
            if (cell >= 0 && table[cell] - 1 == head) {
                removeCell(cell);
            }
            live--;
            evictions++;
        }
        head = head + 1 == slots ? 0 : head + 1;
        used--;
    }

    /**
     * Moves the live entries of the log together towards its head, in order, dropping dead slots.
     * Runs when the log is full of live and dead slots; at least slots - capacity are dead then.
     */
    private void compact() {
        int write = 0;
        for (int read = 0; read < used; read++) {
            int from = (head + read) % slots;
            int fromBase = from * STRIDE;
            if (log[fromBase + TIME] == DEAD) {
                continue;
            }
            if (write != read) {
                int to = (head + write) % slots;
                int cell = find(log[fromBase + HI], log[fromBase + LO]);
                System.arraycopy(log, fromBase, log, to * STRIDE, STRIDE);
                table[cell] = to + 1;
            }
            write++;
        }
        used = write;
    }

    /** The table cell holding the id, or -1. */
    private int find(long hi, long lo) {
        int cell = (int) mix(hi, lo) & mask;
        while (true) {
            int entry = table[cell];
            if (entry == 0) {
                return -1;
            }
            int base = (entry - 1) * STRIDE;
            if (log[base + HI] == hi && log[base + LO] == lo) {
                return cell;
            }
            cell = (cell + 1) & mask;
        }
    }

    /** Empties a cell and shifts back the cells after it that probed past it (linear probing). */
    private void removeCell(int cell) {
        int hole = cell;
        int next = (hole + 1) & mask;
        while (table[next] != 0) {
            int base = (table[next] - 1) * STRIDE;
            int home = (int) mix(log[base + HI], log[base + LO]) & mask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, next].
            boolean homeAfterHole = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
            if (!homeAfterHole) {
                table[hole] = table[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        table[hole] = 0;
    }

    private static long mix(long hi, long lo) {
        // The id hash is already uniform; fold both halves so either carries the table index.
        return hi ^ (lo >>> 29);
    }
}
