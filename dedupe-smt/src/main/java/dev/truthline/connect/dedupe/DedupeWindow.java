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
 * versions the log needs a single spare slot.
 *
 * <p>Speed and pauses. Each table cell holds, beside the log slot, the bits the slot number leaves
 * free (12 at a million entries): how far the cell lies from the id's home cell (4 bits; the last value
 * means "further") and, in the rest, bits of the id's hash. A probe that meets another id is almost
 * always told apart without reading the log, and removing an id shifts the cells after it back
 * without reading the log to find their home cells: the log is far larger than the caches, and
 * those reads were most of an eviction's cost. Nothing grows by copying the whole window in
 * one record's time: the log is allocated in chunks of {@value #CHUNK} entries as the window fills
 * (its ring has its full size from the start; only touched chunks exist), and when the table must
 * double, the new table is filled from the log a few entries per later check while the old one
 * still answers (incremental rehash). A quiet task holds little memory; a full one about 56 bytes
 * per entry (48 in the log, 8 in the table at a load factor of at most 1/2), 62 with versions,
 * and no Java object per entry.
 *
 * <p>Replays. An id entry remembers whether it was read back from the log by a rebuild (its VERSION
 * slot, unused without versions, holds {@link #REBUILT}) or judged live. A record written again by
 * {@code truthline replay} names the position it replays; {@link #checkReplay} lets it through when
 * the id's entry was rebuilt at exactly that position (the original sits in the log but no live
 * check ever passed it: it was rejected before it reached the transform) and moves the entry to
 * the replay's position, so a second replay is a duplicate of the first. An entry judged live is
 * not released: its original passed. For versions, {@link #checkVersionReplay} releases the newest
 * version's own position whoever judged it: the replay carries that very version.
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
        STALE,
        /**
         * A replay of the record the id's entry was remembered from (ids: read back by a rebuild, never
         * judged live; versions: the newest version's own record): pass; the entry now sits at the
         * replay's position.
         */
        REPLAYED
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
    /** VERSION of an id entry (no versions) read back from the log by a rebuild; 0 when judged live. */
    private static final long REBUILT = 1;

    /** Log entries per chunk: a chunk is allocated when the log first reaches it. */
    static final int CHUNK = 1 << 12;
    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_MASK = CHUNK - 1;

    /** Entries the table is first sized for; it doubles as the window fills, up to the maximum. */
    static final int INITIAL_ENTRIES = 16;

    /** Log entries moved into a growing table per check: the old table is retired before the next doubling. */
    private static final int REHASH_STEP = 4;

    /** Most live entries. */
    private final int capacity;
    private final long ttlMs;
    /** Whether entries move on a newer version, leaving dead slots behind (entity_version). */
    private final boolean versions;
    /** Log slots: capacity plus slack for the dead slots versions leave behind. */
    private final int slots;
    private long[][] chunks;
    /** Table size once the window is full. */
    private final int finalTableSize;
    /**
     * Low {@code slotBits} of a cell: log slot + 1 (0 for an empty cell); above them {@code distanceBits}: the
     * cell's distance from the id's home cell, {@link #farDistance} when that far or further; the top bits: a
     * fingerprint of the id.
     */
    private final int slotBits;
    private final int slotMask;
    private final int distanceBits;
    private final int farDistance;
    private final int fingerprintBits;

    /** The table new entries go into. */
    private int[] table;
    private int mask;
    /** While the table grows: the previous one, still holding the entries not yet moved; else null. */
    private int[] oldTable;
    private int oldMask;
    /** While the table grows: the log sequence numbers still to index in the new table. */
    private long rehashNext;
    private long rehashEnd;

    /** Sequence number of the head slot (slot = sequence mod slots); the tail is head + used. */
    private long headSeq;
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
        this.slots = Math.addExact(maxEntries, versions ? Math.max(1, maxEntries / 8) : 1);
        this.finalTableSize = tableSizeFor(maxEntries);
        this.slotBits = 32 - Integer.numberOfLeadingZeros(slots);
        this.slotMask = (int) ((1L << slotBits) - 1);
        int spare = 32 - slotBits;
        this.distanceBits = Math.min(4, spare / 2);
        this.farDistance = (1 << distanceBits) - 1;
        this.fingerprintBits = spare - distanceBits;
        reset();
    }

    private static int tableSizeFor(int entries) {
        return Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
    }

    private void reset() {
        chunks = new long[(slots + CHUNK - 1) >>> CHUNK_SHIFT][];
        table = new int[tableSizeFor(Math.min(capacity, INITIAL_ENTRIES))];
        mask = table.length - 1;
        oldTable = null;
        headSeq = 0;
        used = 0;
        live = 0;
    }

    /**
     * Checks an id judged live and remembers it when new. A redelivery of a rebuilt entry's record
     * makes the entry live: this task has now passed that record.
     *
     * @param firstSeen if not null and the outcome is {@link Outcome#DUPLICATE}, receives the
     *                  position where the id was first seen
     */
    synchronized Outcome check(long hi, long lo, long posA, long posB, long nowMs, long[] firstSeen) {
        expire(nowMs);
        return checkId(slotOf(hi, lo), hi, lo, posA, posB, false, nowMs, firstSeen);
    }

    /** As {@link #check}, for an id read back from the log by a rebuild: a new entry is marked rebuilt. */
    synchronized Outcome checkRebuilt(long hi, long lo, long posA, long posB, long nowMs) {
        expire(nowMs);
        return checkId(slotOf(hi, lo), hi, lo, posA, posB, true, nowMs, null);
    }

    /**
     * Checks an id of a record that names the position {@code ofA}/{@code ofB} it replays: when the
     * id's entry sits there and was rebuilt, the original never passed a live check, so the replay
     * passes ({@link Outcome#REPLAYED}) and the entry moves to the replay's position, in place (its
     * time and eviction order stay those of the original's entry); it stays marked rebuilt when
     * {@code rebuilt} (the replay itself read back by a rebuild). Otherwise as {@link #check} or
     * {@link #checkRebuilt}.
     */
    synchronized Outcome checkReplay(long hi, long lo, long posA, long posB, long ofA, long ofB, boolean rebuilt,
            long nowMs, long[] firstSeen) {
        expire(nowMs);
        int slot = slotOf(hi, lo);
        if (slot >= 0) {
            long[] chunk = chunks[slot >>> CHUNK_SHIFT];
            int base = (slot & CHUNK_MASK) * STRIDE;
            if (chunk[base + VERSION] == REBUILT && chunk[base + POS_A] == ofA && chunk[base + POS_B] == ofB
                    && !(posA == ofA && posB == ofB)) {
                chunk[base + POS_A] = posA;
                chunk[base + POS_B] = posB;
                chunk[base + VERSION] = rebuilt ? REBUILT : 0;
                return Outcome.REPLAYED;
            }
        }
        return checkId(slot, hi, lo, posA, posB, rebuilt, nowMs, firstSeen);
    }

    private Outcome checkId(int slot, long hi, long lo, long posA, long posB, boolean rebuilt, long nowMs,
            long[] firstSeen) {
        if (slot >= 0) {
            long[] chunk = chunks[slot >>> CHUNK_SHIFT];
            int base = (slot & CHUNK_MASK) * STRIDE;
            if (chunk[base + POS_A] == posA && chunk[base + POS_B] == posB) {
                if (!rebuilt) {
                    chunk[base + VERSION] = 0;
                }
                return Outcome.REPLAY;
            }
            if (firstSeen != null) {
                firstSeen[0] = chunk[base + POS_A];
                firstSeen[1] = chunk[base + POS_B];
            }
            return Outcome.DUPLICATE;
        }
        insert(hi, lo, posA, posB, rebuilt ? REBUILT : 0, nowMs);
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
        return checkVersionAt(slotOf(hi, lo), hi, lo, version, posA, posB, nowMs, newest);
    }

    /**
     * Checks an entity's version in a record that names the position {@code ofA}/{@code ofB} it
     * replays: when the entity's newest version sits there and the record carries that very version,
     * the replay passes ({@link Outcome#REPLAYED}; an upsert of the same version is idempotent) and the
     * entity moves to the replay's position (and the log's tail, as a newer version does). Otherwise as
     * {@link #checkVersion}: a replayed older version with a newer one seen is stale.
     */
    synchronized Outcome checkVersionReplay(long hi, long lo, long version, long posA, long posB, long ofA, long ofB,
            long nowMs, long[] newest) {
        expire(nowMs);
        int slot = slotOf(hi, lo);
        if (slot >= 0) {
            long[] chunk = chunks[slot >>> CHUNK_SHIFT];
            int base = (slot & CHUNK_MASK) * STRIDE;
            if (chunk[base + POS_A] == ofA && chunk[base + POS_B] == ofB && chunk[base + VERSION] == version
                    && !(posA == ofA && posB == ofB)) {
                supersede(hi, lo, slot, version, posA, posB, nowMs);
                return Outcome.REPLAYED;
            }
        }
        return checkVersionAt(slot, hi, lo, version, posA, posB, nowMs, newest);
    }

    private Outcome checkVersionAt(int slot, long hi, long lo, long version, long posA, long posB, long nowMs,
            long[] newest) {
        if (slot < 0) {
            insert(hi, lo, posA, posB, version, nowMs);
            return Outcome.NEW;
        }
        long[] chunk = chunks[slot >>> CHUNK_SHIFT];
        int base = (slot & CHUNK_MASK) * STRIDE;
        if (chunk[base + POS_A] == posA && chunk[base + POS_B] == posB) {
            return Outcome.REPLAY;
        }
        if (version > chunk[base + VERSION]) {
            supersede(hi, lo, slot, version, posA, posB, nowMs);
            return Outcome.NEW;
        }
        if (newest != null) {
            newest[0] = chunk[base + POS_A];
            newest[1] = chunk[base + POS_B];
        }
        return Outcome.STALE;
    }

    /** Moves an entity to the log's tail with a new position and version, so eviction order follows the last change. */
    private void supersede(long hi, long lo, int slot, long version, long posA, long posB, long nowMs) {
        unindex(hi, lo, slot);
        chunks[slot >>> CHUNK_SHIFT][(slot & CHUNK_MASK) * STRIDE + TIME] = DEAD;
        live--;
        insert(hi, lo, posA, posB, version, nowMs);
    }

    /** The most ids remembered at once. */
    int capacity() {
        return capacity;
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
        reset();
    }

    private int slotAt(long seq) {
        return (int) (seq % slots);
    }

    private long[] chunkFor(int slot) {
        long[] chunk = chunks[slot >>> CHUNK_SHIFT];
        if (chunk == null) {
            int entries = Math.min(CHUNK, slots - (slot & ~CHUNK_MASK));
            chunk = new long[entries * STRIDE];
            chunks[slot >>> CHUNK_SHIFT] = chunk;
        }
        return chunk;
    }

    private void insert(long hi, long lo, long posA, long posB, long version, long nowMs) {
        while (live == capacity) {
            evictHead();
        }
        if (used == slots) {
            compact();
        }
        if (oldTable != null) {
            rehashSome(REHASH_STEP);
        } else if (live + 1 > table.length / 2 && table.length < finalTableSize) {
            startGrowth();
        }
        int slot = slotAt(headSeq + used);
        long[] chunk = chunkFor(slot);
        int base = (slot & CHUNK_MASK) * STRIDE;
        chunk[base + HI] = hi;
        chunk[base + LO] = lo;
        chunk[base + POS_A] = posA;
        chunk[base + POS_B] = posB;
        chunk[base + VERSION] = version;
        chunk[base + TIME] = nowMs;
        used++;
        live++;
        index(table, mask, hi, lo, slot);
    }

    /** Starts doubling the table: new entries go to the new one, the live ones follow a few per insert. */
    private void startGrowth() {
        oldTable = table;
        oldMask = mask;
        table = new int[table.length * 2];
        mask = table.length - 1;
        rehashNext = headSeq;
        rehashEnd = headSeq + used;
        rehashSome(REHASH_STEP);
    }

    /** Indexes up to {@code count} more log entries of the old table in the new one; retires the old when done. */
    private void rehashSome(int count) {
        if (rehashNext < headSeq) {
            rehashNext = headSeq;
        }
        for (int i = 0; i < count && rehashNext < rehashEnd; i++, rehashNext++) {
            int slot = slotAt(rehashNext);
            long[] chunk = chunks[slot >>> CHUNK_SHIFT];
            int base = (slot & CHUNK_MASK) * STRIDE;
            if (chunk[base + TIME] != DEAD) {
                index(table, mask, chunk[base + HI], chunk[base + LO], slot);
            }
        }
        if (rehashNext >= rehashEnd) {
            oldTable = null;
        }
    }

    private int fingerprint(long lo) {
        return fingerprintBits == 0 ? 0 : (int) (lo >>> (64 - fingerprintBits));
    }

    /** The cell's bits above the slot: fingerprint and distance from home (capped). */
    private int tag(int fingerprint, int distance) {
        return fingerprint << distanceBits | Math.min(distance, farDistance);
    }

    private void index(int[] t, int m, long hi, long lo, int slot) {
        int home = (int) mix(hi, lo) & m;
        int cell = home;
        while (t[cell] != 0) {
            cell = (cell + 1) & m;
        }
        t[cell] = tag(fingerprint(lo), (cell - home) & m) << slotBits | (slot + 1);
    }

    /** The log slot of the id, or -1. */
    private int slotOf(long hi, long lo) {
        int cell = find(table, mask, hi, lo);
        if (cell >= 0) {
            return (table[cell] & slotMask) - 1;
        }
        if (oldTable != null) {
            cell = find(oldTable, oldMask, hi, lo);
            if (cell >= 0) {
                return (oldTable[cell] & slotMask) - 1;
            }
        }
        return -1;
    }

    /** Removes the id's cells that point at {@code slot} from the table(s). */
    private void unindex(long hi, long lo, int slot) {
        int cell = find(table, mask, hi, lo);
        if (cell >= 0 && (table[cell] & slotMask) - 1 == slot) {
            removeCell(table, mask, cell);
        }
        if (oldTable != null) {
            cell = find(oldTable, oldMask, hi, lo);
            if (cell >= 0 && (oldTable[cell] & slotMask) - 1 == slot) {
                removeCell(oldTable, oldMask, cell);
            }
        }
    }

    private void expire(long nowMs) {
        long oldest = nowMs - ttlMs;
        while (used > 0) {
            int head = slotAt(headSeq);
            long time = chunks[head >>> CHUNK_SHIFT][(head & CHUNK_MASK) * STRIDE + TIME];
            if (time != DEAD && time > oldest) {
                return;
            }
            evictHead();
        }
    }

    /** Drops the oldest log slot; counts it as an eviction when it held a live entry. */
    private void evictHead() {
        int head = slotAt(headSeq);
        long[] chunk = chunks[head >>> CHUNK_SHIFT];
        int base = (head & CHUNK_MASK) * STRIDE;
        if (chunk[base + TIME] != DEAD) {
            unindex(chunk[base + HI], chunk[base + LO], head);
            live--;
            evictions++;
        }
        headSeq++;
        used--;
    }

    /**
     * Moves the live entries of the log together towards its head, in order, dropping dead slots.
     * Runs when the log is full of live and dead slots (only with versions); at least slots -
     * capacity are dead then. A growing table is finished first, so only one table points into the log.
     */
    private void compact() {
        if (oldTable != null) {
            rehashSome(Integer.MAX_VALUE);
        }
        int write = 0;
        for (int read = 0; read < used; read++) {
            int from = slotAt(headSeq + read);
            long[] fromChunk = chunks[from >>> CHUNK_SHIFT];
            int fromBase = (from & CHUNK_MASK) * STRIDE;
            if (fromChunk[fromBase + TIME] == DEAD) {
                continue;
            }
            if (write != read) {
                int to = slotAt(headSeq + write);
                int cell = find(table, mask, fromChunk[fromBase + HI], fromChunk[fromBase + LO]);
                System.arraycopy(fromChunk, fromBase, chunkFor(to), (to & CHUNK_MASK) * STRIDE, STRIDE);
                table[cell] = (table[cell] & ~slotMask) | (to + 1);
            }
            write++;
        }
        used = write;
    }

    /** The cell of table {@code t} holding the id, or -1. */
    private int find(int[] t, int m, long hi, long lo) {
        int fingerprint = fingerprint(lo);
        int cell = (int) mix(hi, lo) & m;
        for (int distance = 0; ; distance++) {
            int entry = t[cell];
            if (entry == 0) {
                return -1;
            }
            // The id's own cell carries its fingerprint and lies exactly its recorded distance from home.
            if (entry >>> slotBits == tag(fingerprint, distance)) {
                int slot = (entry & slotMask) - 1;
                long[] chunk = chunks[slot >>> CHUNK_SHIFT];
                int base = (slot & CHUNK_MASK) * STRIDE;
                if (chunk[base + HI] == hi && chunk[base + LO] == lo) {
                    return cell;
                }
            }
            cell = (cell + 1) & m;
        }
    }

    /** Empties a cell and shifts back the cells after it that probed past it (linear probing). */
    private void removeCell(int[] t, int m, int cell) {
        int hole = cell;
        int next = (hole + 1) & m;
        int distanceMask = farDistance << slotBits;
        while (t[next] != 0) {
            int entry = t[next];
            int distance = (entry & distanceMask) >>> slotBits;
            int home;
            if (distance < farDistance) {
                home = (next - distance) & m;
            } else {
                // Far from home (rare at a load of at most a half): the log has the id, hence its home.
                int slot = (entry & slotMask) - 1;
                long[] chunk = chunks[slot >>> CHUNK_SHIFT];
                int base = (slot & CHUNK_MASK) * STRIDE;
                home = (int) mix(chunk[base + HI], chunk[base + LO]) & m;
            }
            // Move the entry back into the hole unless its home lies cyclically in (hole, next].
            boolean homeAfterHole = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
            if (!homeAfterHole) {
                int fingerprintAndSlot = entry & ~distanceMask;
                t[hole] = fingerprintAndSlot | Math.min((hole - home) & m, farDistance) << slotBits;
                hole = next;
            }
            next = (next + 1) & m;
        }
        t[hole] = 0;
    }

    private static long mix(long hi, long lo) {
        // The id hash is already uniform; fold both halves so either carries the table index.
        return hi ^ (lo >>> 29);
    }
}
