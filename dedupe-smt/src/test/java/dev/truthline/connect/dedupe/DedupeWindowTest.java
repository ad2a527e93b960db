package dev.truthline.connect.dedupe;

import static dev.truthline.connect.dedupe.DedupeWindow.Outcome.DUPLICATE;
import static dev.truthline.connect.dedupe.DedupeWindow.Outcome.NEW;
import static dev.truthline.connect.dedupe.DedupeWindow.Outcome.REPLAY;
import static dev.truthline.connect.dedupe.DedupeWindow.Outcome.REPLAYED;
import static dev.truthline.connect.dedupe.DedupeWindow.Outcome.STALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;

/**
 * {@link DedupeWindow}: outcomes, entity versions, eviction by size and TTL, probe-chain collisions
 * and a randomized comparison against a simple {@link LinkedHashMap}-based reference window.
 */
class DedupeWindowTest {

    private static final long TTL = 1_000_000L;

    /** Table size the window uses for a capacity (mirrors the constructor, to craft colliding ids). */
    private static int tableSize(int capacity) {
        return Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
    }

    /** The home cell of an id in a table of {@code size} cells (mirrors DedupeWindow.mix). */
    private static int home(long hi, long lo, int size) {
        return (int) (hi ^ (lo >>> 29)) & (size - 1);
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new DedupeWindow(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DedupeWindow(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DedupeWindow(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DedupeWindow(10, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Ids {

        @Test
        void firstSightingIsNewAndRemembered() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            assertThat(w.size()).isZero();
            assertThat(w.check(1, 2, 7, 100, 0, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(1);
            assertThat(w.evictions()).isZero();
        }

        @Test
        void sameIdSamePositionIsReplayAndNotStoredTwice() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.check(1, 2, 7, 100, 0, null);
            long[] seen = {-1, -1};
            assertThat(w.check(1, 2, 7, 100, 5, seen)).isEqualTo(REPLAY);
            assertThat(w.check(1, 2, 7, 100, 6, seen)).isEqualTo(REPLAY);
            assertThat(seen).containsExactly(-1, -1);
            assertThat(w.size()).isEqualTo(1);
        }

        @Test
        void sameIdOtherPositionIsDuplicateAndReportsFirstSeen() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.check(1, 2, 7, 100, 0, null);
            long[] seen = new long[2];
            assertThat(w.check(1, 2, 7, 101, 1, seen)).isEqualTo(DUPLICATE);
            assertThat(seen).containsExactly(7, 100);
            seen = new long[2];
            assertThat(w.check(1, 2, 8, 100, 1, seen)).isEqualTo(DUPLICATE);
            assertThat(seen).containsExactly(7, 100);
            // A duplicate is not remembered: the first position stays the reference.
            assertThat(w.check(1, 2, 8, 100, 2, null)).isEqualTo(DUPLICATE);
            assertThat(w.check(1, 2, 7, 100, 2, null)).isEqualTo(REPLAY);
            assertThat(w.size()).isEqualTo(1);
        }

        @Test
        void duplicateWithoutFirstSeenArrayIsFine() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.check(1, 2, 7, 100, 0, null);
            assertThat(w.check(1, 2, 7, 101, 1, null)).isEqualTo(DUPLICATE);
        }

        @Test
        void idsDifferingInOneHalfAreDistinct() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            assertThat(w.check(1, 2, 0, 1, 0, null)).isEqualTo(NEW);
            assertThat(w.check(1, 3, 0, 2, 0, null)).isEqualTo(NEW);
            assertThat(w.check(4, 2, 0, 3, 0, null)).isEqualTo(NEW);
            assertThat(w.check(0, 0, 0, 4, 0, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(4);
        }

        @Test
        void extremePositionValuesRoundTrip() {
            DedupeWindow w = new DedupeWindow(4, TTL);
            w.check(9, 9, Long.MIN_VALUE, Long.MAX_VALUE, 0, null);
            long[] seen = new long[2];
            assertThat(w.check(9, 9, Long.MIN_VALUE, Long.MIN_VALUE, 0, seen)).isEqualTo(DUPLICATE);
            assertThat(seen).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(w.check(9, 9, Long.MIN_VALUE, Long.MAX_VALUE, 0, null)).isEqualTo(REPLAY);
        }
    }

    @Nested
    class Versions {

        @Test
        void firstVersionIsNew() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            assertThat(w.checkVersion(1, 1, 5, 0, 10, 0, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(1);
        }

        @Test
        void newerVersionPassesAndBecomesNewest() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 0, 10, 0, null);
            assertThat(w.checkVersion(1, 1, 6, 0, 11, 1, null)).isEqualTo(NEW);
            assertThat(w.size()).as("the entity is still one entry").isEqualTo(1);
            long[] newest = new long[2];
            // 6 is now the newest: 6 again elsewhere is stale and names offset 11.
            assertThat(w.checkVersion(1, 1, 6, 0, 12, 2, newest)).isEqualTo(STALE);
            assertThat(newest).containsExactly(0, 11);
            assertThat(w.checkVersion(1, 1, 7, 0, 13, 3, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(1);
            assertThat(w.evictions()).isZero();
        }

        @Test
        void equalOrOlderVersionElsewhereIsStaleAndReportsNewest() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 3, 10, 0, null);
            long[] newest = new long[2];
            assertThat(w.checkVersion(1, 1, 5, 3, 11, 1, newest)).isEqualTo(STALE);
            assertThat(newest).containsExactly(3, 10);
            newest = new long[2];
            assertThat(w.checkVersion(1, 1, 4, 3, 12, 1, newest)).isEqualTo(STALE);
            assertThat(newest).containsExactly(3, 10);
            assertThat(w.checkVersion(1, 1, Long.MIN_VALUE, 3, 12, 1, null)).isEqualTo(STALE);
        }

        @Test
        void redeliveryAtNewestPositionIsReplay() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 0, 10, 0, null);
            w.checkVersion(1, 1, 9, 0, 20, 1, null);
            // The rewound record at offset 20 carries version 9 again: pass, it may never have reached the sink.
            assertThat(w.checkVersion(1, 1, 9, 0, 20, 2, null)).isEqualTo(REPLAY);
            assertThat(w.size()).isEqualTo(1);
        }

        @Test
        void redeliveryOfSupersededRecordIsStale() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 0, 10, 0, null);
            w.checkVersion(1, 1, 9, 0, 20, 1, null);
            long[] newest = new long[2];
            assertThat(w.checkVersion(1, 1, 5, 0, 10, 2, newest)).isEqualTo(STALE);
            assertThat(newest).containsExactly(0, 20);
        }

        @Test
        void negativeVersionsCompareAsSignedNumbers() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, -10, 0, 1, 0, null);
            assertThat(w.checkVersion(1, 1, -3, 0, 2, 0, null)).isEqualTo(NEW);
            assertThat(w.checkVersion(1, 1, -4, 0, 3, 0, null)).isEqualTo(STALE);
        }

        @Test
        void entitiesAreIndependent() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 100, 0, 1, 0, null);
            assertThat(w.checkVersion(2, 2, 1, 0, 2, 0, null)).isEqualTo(NEW);
            assertThat(w.checkVersion(1, 1, 50, 0, 3, 0, null)).isEqualTo(STALE);
            assertThat(w.checkVersion(2, 2, 2, 0, 4, 0, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(2);
        }

        @Test
        void newerVersionRefreshesTtl() {
            DedupeWindow w = new DedupeWindow(10, 100);
            w.checkVersion(1, 1, 1, 0, 1, 0, null);
            w.checkVersion(1, 1, 2, 0, 2, 80, null);
            // 100 ms after the first version but only 20 after the newest: still remembered.
            assertThat(w.checkVersion(1, 1, 1, 0, 3, 100, null)).isEqualTo(STALE);
            assertThat(w.checkVersion(1, 1, 1, 0, 3, 179, null)).isEqualTo(STALE);
            assertThat(w.checkVersion(1, 1, 1, 0, 3, 180, null)).isEqualTo(NEW);
            assertThat(w.evictions()).isEqualTo(1);
        }

        @Test
        void newerVersionMovesEntityToTailOfEvictionOrder() {
            DedupeWindow w = new DedupeWindow(3, TTL);
            w.checkVersion(1, 1, 1, 0, 1, 0, null); // A
            w.checkVersion(2, 2, 1, 0, 2, 0, null); // B
            w.checkVersion(3, 3, 1, 0, 3, 0, null); // C
            w.checkVersion(1, 1, 2, 0, 4, 0, null); // A changes: now the youngest
            w.checkVersion(4, 4, 1, 0, 5, 0, null); // D: the window is full, B (oldest change) goes
            assertThat(w.size()).isEqualTo(3);
            assertThat(w.checkVersion(1, 1, 1, 0, 9, 0, null)).as("A is still known").isEqualTo(STALE);
            assertThat(w.checkVersion(3, 3, 0, 0, 9, 0, null)).as("C is still known").isEqualTo(STALE);
            assertThat(w.checkVersion(4, 4, 0, 0, 9, 0, null)).as("D is known").isEqualTo(STALE);
            assertThat(w.checkVersion(2, 2, 0, 0, 9, 0, null)).as("B was evicted").isEqualTo(NEW);
        }

        /**
         * A superseded version is not an id the window remembers: with two live entities in a window of
         * three, adding a third must not evict anything.
         */
        @Test
        void supersededVersionsDoNotCountAgainstCapacity() {
            DedupeWindow w = new DedupeWindow(3, TTL);
            w.checkVersion(1, 1, 1, 0, 1, 0, null); // A v1
            w.checkVersion(2, 2, 1, 0, 2, 0, null); // B v1
            w.checkVersion(2, 2, 2, 0, 3, 0, null); // B v2 supersedes B v1
            assertThat(w.size()).isEqualTo(2);
            w.checkVersion(3, 3, 1, 0, 4, 0, null); // C v1: 3 entities in a window of 3
            // An out-of-order older update of A must still be caught as stale ...
            assertThat(w.checkVersion(1, 1, 0, 0, 5, 0, null)).as("A v0 after A v1").isEqualTo(STALE);
            // ... because nothing had to be evicted.
            assertThat(w.evictions()).isZero();
            assertThat(w.size()).as("three entities fit in a window of three").isEqualTo(3);
        }
    }

    @Nested
    class Eviction {

        @Test
        void bySizeEvictsOldestFirst() {
            DedupeWindow w = new DedupeWindow(3, TTL);
            for (int i = 1; i <= 3; i++) {
                assertThat(w.check(i, i, 0, i, 0, null)).isEqualTo(NEW);
            }
            assertThat(w.size()).isEqualTo(3);
            assertThat(w.evictions()).isZero();
            assertThat(w.check(4, 4, 0, 4, 0, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(3);
            assertThat(w.evictions()).isEqualTo(1);
            // 2, 3 and 4 are still known (REPLAY does not change the window) ...
            assertThat(w.check(2, 2, 0, 2, 0, null)).isEqualTo(REPLAY);
            assertThat(w.check(3, 3, 0, 3, 0, null)).isEqualTo(REPLAY);
            assertThat(w.check(4, 4, 0, 4, 0, null)).isEqualTo(REPLAY);
            assertThat(w.check(4, 4, 0, 99, 0, null)).isEqualTo(DUPLICATE);
            // ... and 1, the oldest, is NEW again (which evicts 2).
            assertThat(w.check(1, 1, 0, 50, 0, null)).isEqualTo(NEW);
            assertThat(w.evictions()).isEqualTo(2);
            assertThat(w.check(2, 2, 0, 77, 0, null)).isEqualTo(NEW);
            assertThat(w.evictions()).isEqualTo(3);
            assertThat(w.size()).isEqualTo(3);
        }

        @Test
        void replayDoesNotRefreshEvictionOrder() {
            DedupeWindow w = new DedupeWindow(2, TTL);
            w.check(1, 1, 0, 1, 0, null);
            w.check(2, 2, 0, 2, 0, null);
            w.check(1, 1, 0, 1, 0, null); // replay of the oldest
            w.check(3, 3, 0, 3, 0, null); // evicts 1 all the same
            assertThat(w.check(2, 2, 0, 2, 0, null)).isEqualTo(REPLAY);
            assertThat(w.check(1, 1, 0, 9, 0, null)).isEqualTo(NEW);
        }

        @Test
        void capacityOfOne() {
            DedupeWindow w = new DedupeWindow(1, TTL);
            assertThat(w.check(1, 1, 0, 1, 0, null)).isEqualTo(NEW);
            assertThat(w.check(1, 1, 0, 2, 0, null)).isEqualTo(DUPLICATE);
            assertThat(w.check(2, 2, 0, 3, 0, null)).isEqualTo(NEW);
            assertThat(w.size()).isEqualTo(1);
            assertThat(w.evictions()).isEqualTo(1);
            assertThat(w.check(1, 1, 0, 2, 0, null)).isEqualTo(NEW);
            assertThat(w.check(1, 1, 0, 2, 0, null)).isEqualTo(REPLAY);
            assertThat(w.evictions()).isEqualTo(2);
        }

        @Test
        void byTtl() {
            DedupeWindow w = new DedupeWindow(100, 1000);
            w.check(1, 1, 0, 1, 0, null);
            w.check(2, 2, 0, 2, 500, null);
            assertThat(w.check(1, 1, 0, 9, 999, null)).as("1 ms before its TTL").isEqualTo(DUPLICATE);
            assertThat(w.evictions()).isZero();
            assertThat(w.size()).isEqualTo(2);
            assertThat(w.check(1, 1, 0, 9, 1000, null)).as("at its TTL the id is forgotten").isEqualTo(NEW);
            assertThat(w.evictions()).isEqualTo(1);
            assertThat(w.size()).isEqualTo(2);
            assertThat(w.check(2, 2, 0, 9, 1499, null)).isEqualTo(DUPLICATE);
            assertThat(w.check(2, 2, 0, 9, 1500, null)).isEqualTo(NEW);
            assertThat(w.evictions()).isEqualTo(2);
        }

        @Test
        void ttlExpiresEverythingOldAtOnceOnNextCall() {
            DedupeWindow w = new DedupeWindow(100, 10);
            for (int i = 0; i < 50; i++) {
                w.check(i, i, 0, i, i / 10, null);
            }
            assertThat(w.size()).isEqualTo(50);
            w.check(1000, 1000, 0, 0, 100, null);
            assertThat(w.size()).isEqualTo(1);
            assertThat(w.evictions()).isEqualTo(50);
            for (int i = 0; i < 50; i++) {
                assertThat(w.check(i, i, 0, i + 1, 100, null)).isEqualTo(NEW);
            }
        }

        @Test
        void replayDoesNotRefreshTtl() {
            DedupeWindow w = new DedupeWindow(10, 100);
            w.check(1, 1, 0, 1, 0, null);
            assertThat(w.check(1, 1, 0, 1, 90, null)).isEqualTo(REPLAY);
            assertThat(w.check(1, 1, 0, 2, 100, null)).isEqualTo(NEW);
        }

        @Test
        void clearForgetsEverything() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            for (int i = 0; i < 8; i++) {
                w.check(i, i, 0, i, 0, null);
            }
            w.clear();
            assertThat(w.size()).isZero();
            for (int i = 0; i < 8; i++) {
                assertThat(w.check(i, i, 0, 100 + i, 0, null)).isEqualTo(NEW);
            }
            assertThat(w.size()).isEqualTo(8);
        }

        @Test
        void logWrapsAroundManyTimes() {
            DedupeWindow w = new DedupeWindow(7, TTL);
            for (int i = 0; i < 10_000; i++) {
                assertThat(w.check(i * 31L, i, 0, i, 0, null)).isEqualTo(NEW);
                if (i >= 7) {
                    // the most recent seven are all there, the one before them is gone
                    for (int j = i - 6; j <= i; j++) {
                        assertThat(w.check(j * 31L, j, 0, j, 0, null)).isEqualTo(REPLAY);
                    }
                }
            }
            assertThat(w.size()).isEqualTo(7);
            assertThat(w.evictions()).isEqualTo(10_000 - 7);
        }
    }

    @Nested
    class Collisions {

        @Test
        void craftedIdsShareOneHomeCell() {
            int size = tableSize(16);
            assertThat(home(5, 0, size)).isEqualTo(home(5 + size, 0, size)).isEqualTo(home(5 + 7L * size, 1, size));
            assertThat(home(5, 1L << 29, size)).isEqualTo(home(4, 0, size));
        }

        @Test
        void probeChainSurvivesEvictionFromItsMiddle() {
            int capacity = 16;
            int size = tableSize(capacity);
            DedupeWindow w = new DedupeWindow(capacity, TTL);
            // 16 ids, all with home cell size-2 so the chain wraps around the end of the table.
            List<long[]> ids = new ArrayList<>();
            for (int k = 0; k < capacity; k++) {
                long hi = (size - 2) + (long) k * size;
                long lo = k % 3;
                assertThat(home(hi, lo, size)).isEqualTo(size - 2);
                ids.add(new long[] {hi, lo});
                assertThat(w.check(hi, lo, 0, k, 0, null)).isEqualTo(NEW);
            }
            // Interleave ids of neighbouring homes (size-1, 0, 1) that must probe past the chain.
            for (int k = 0; k < 6; k++) {
                long hi = ((size - 1 + k % 3) & (size - 1)) + (long) (100 + k) * size;
                ids.add(new long[] {hi, 0});
                assertThat(w.check(hi, 0, 0, 1000 + k, 0, null)).isEqualTo(NEW);
            }
            // Six inserts past capacity evicted the six oldest chain members, from the chain's start.
            assertThat(w.size()).isEqualTo(capacity);
            assertThat(w.evictions()).isEqualTo(6);
            for (int k = 6; k < capacity; k++) {
                assertThat(w.check(ids.get(k)[0], ids.get(k)[1], 0, k, 0, null)).as("chain id %d", k).isEqualTo(REPLAY);
            }
            for (int k = 0; k < 6; k++) {
                assertThat(w.check(ids.get(capacity + k)[0], ids.get(capacity + k)[1], 0, 1000 + k, 0, null))
                        .as("neighbour id %d", k).isEqualTo(REPLAY);
            }
            for (int k = 0; k < 6; k++) {
                long[] evicted = ids.get(k);
                assertThat(w.check(evicted[0], evicted[1], 0, 5000 + k, 0, null)).as("evicted id %d", k).isEqualTo(NEW);
            }
        }

        @Test
        void versionMovesDeleteFromTheMiddleOfProbeChains() {
            int capacity = 32;
            int size = tableSize(capacity);
            DedupeWindow w = new DedupeWindow(capacity, 100);
            int n = 10;
            long[] his = new long[n];
            for (int k = 0; k < n; k++) {
                his[k] = (size - 3) + (long) k * size; // one long chain wrapping around the table end
                assertThat(w.checkVersion(his[k], 0, 1, 0, k, 0, null)).isEqualTo(NEW);
            }
            // Move every other entity (delete its cell mid-chain, re-insert at the chain's end).
            for (int k = 0; k < n; k += 2) {
                assertThat(w.checkVersion(his[k], 0, 2, 0, 100 + k, 50, null)).isEqualTo(NEW);
            }
            assertThat(w.size()).isEqualTo(n);
            for (int k = 0; k < n; k++) {
                long expectedVersion = k % 2 == 0 ? 2 : 1;
                long expectedOffset = k % 2 == 0 ? 100 + k : k;
                long[] newest = new long[2];
                assertThat(w.checkVersion(his[k], 0, expectedVersion, 0, 999, 60, newest)).as("entity %d", k)
                        .isEqualTo(STALE);
                assertThat(newest).containsExactly(0, expectedOffset);
                assertThat(w.checkVersion(his[k], 0, expectedVersion, 0, expectedOffset, 60, null)).isEqualTo(REPLAY);
            }
            // At t=100 the unmoved (odd) entities expire, leaving holes all along the chain.
            for (int k = 0; k < n; k += 2) {
                assertThat(w.checkVersion(his[k], 0, 2, 0, 100 + k, 100, null)).as("moved entity %d", k)
                        .isEqualTo(REPLAY);
            }
            assertThat(w.size()).isEqualTo(n / 2);
            assertThat(w.evictions()).isEqualTo(n / 2);
            for (int k = 0; k < n; k += 2) {
                assertThat(w.checkVersion(his[k], 0, 1, 0, 999, 100, null)).as("moved entity %d", k).isEqualTo(STALE);
            }
            for (int k = 1; k < n; k += 2) {
                assertThat(w.checkVersion(his[k], 0, 0, 0, 999, 100, null)).as("expired entity %d", k).isEqualTo(NEW);
            }
        }

        @Test
        void ttlEvictionsFromManyChainsKeepTheRestFindable() {
            int capacity = 64;
            int size = tableSize(capacity);
            DedupeWindow w = new DedupeWindow(capacity, 100);
            Random random = new Random(7);
            List<long[]> ids = new ArrayList<>();
            for (int k = 0; k < capacity; k++) {
                int homeCell = new int[] {0, 1, size - 1, size / 2}[random.nextInt(4)];
                long hi = homeCell + (long) (k + 1) * size;
                long lo = random.nextInt(1 << 20);
                ids.add(new long[] {hi, lo});
                // the first half at t=0, the second half at t=50
                assertThat(w.check(hi, lo, 0, k, k < capacity / 2 ? 0 : 50, null)).isEqualTo(NEW);
            }
            // At t=100 the first half expires; a fresh id triggers it.
            assertThat(w.check(-1, -1, 0, -1, 100, null)).isEqualTo(NEW);
            assertThat(w.evictions()).isEqualTo(capacity / 2);
            assertThat(w.size()).isEqualTo(capacity / 2 + 1);
            for (int k = capacity / 2; k < capacity; k++) {
                assertThat(w.check(ids.get(k)[0], ids.get(k)[1], 0, k, 100, null)).as("id %d", k).isEqualTo(REPLAY);
            }
        }
    }

    // ------------------------------------------------------------------ randomized model comparison

    /** The reference: an insertion-ordered map, evicting the oldest when it holds maxEntries ids. */
    static final class ModelWindow {
        record Id(long hi, long lo) {
        }

        static final class Entry {
            final long posA;
            final long posB;
            final long version;
            final long time;
            /** Ids: read back by a rebuild and not judged live since. */
            final boolean rebuilt;

            Entry(long posA, long posB, long version, long time) {
                this(posA, posB, version, time, false);
            }

            Entry(long posA, long posB, long version, long time, boolean rebuilt) {
                this.posA = posA;
                this.posB = posB;
                this.version = version;
                this.time = time;
                this.rebuilt = rebuilt;
            }
        }

        final int capacity;
        final long ttl;
        final LinkedHashMap<Id, Entry> map = new LinkedHashMap<>();
        long evictions;

        ModelWindow(int capacity, long ttl) {
            this.capacity = capacity;
            this.ttl = ttl;
        }

        private void expire(long now) {
            Iterator<Map.Entry<Id, Entry>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                if (now - it.next().getValue().time >= ttl) {
                    it.remove();
                    evictions++;
                } else {
                    return;
                }
            }
        }

        private void insert(Id id, Entry entry) {
            if (map.size() == capacity) {
                Iterator<Id> it = map.keySet().iterator();
                it.next();
                it.remove();
                evictions++;
            }
            map.put(id, entry);
        }

        Outcome check(long hi, long lo, long posA, long posB, long now, long[] firstSeen) {
            return check(hi, lo, posA, posB, false, now, firstSeen);
        }

        Outcome check(long hi, long lo, long posA, long posB, boolean rebuilt, long now, long[] firstSeen) {
            expire(now);
            Id id = new Id(hi, lo);
            Entry e = map.get(id);
            if (e == null) {
                insert(id, new Entry(posA, posB, 0, now, rebuilt));
                return NEW;
            }
            if (e.posA == posA && e.posB == posB) {
                if (!rebuilt && e.rebuilt) {
                    map.put(id, new Entry(e.posA, e.posB, 0, e.time, false));
                }
                return REPLAY;
            }
            firstSeen[0] = e.posA;
            firstSeen[1] = e.posB;
            return DUPLICATE;
        }

        /** A replay naming ofA/ofB: released when the entry was rebuilt there; moved in place (time and order kept). */
        Outcome checkReplay(long hi, long lo, long posA, long posB, long ofA, long ofB, boolean rebuilt, long now,
                long[] firstSeen) {
            expire(now);
            Id id = new Id(hi, lo);
            Entry e = map.get(id);
            boolean elsewhere = posA != ofA || posB != ofB;
            if (e != null && e.rebuilt && e.posA == ofA && e.posB == ofB && elsewhere) {
                map.put(id, new Entry(posA, posB, 0, e.time, rebuilt));
                return REPLAYED;
            }
            return check(hi, lo, posA, posB, rebuilt, now, firstSeen);
        }

        /** A replay naming ofA/ofB: released when the newest version sits there with this version; moved to the tail. */
        Outcome checkVersionReplay(long hi, long lo, long version, long posA, long posB, long ofA, long ofB, long now,
                long[] newest) {
            expire(now);
            Id id = new Id(hi, lo);
            Entry e = map.get(id);
            boolean elsewhere = posA != ofA || posB != ofB;
            if (e != null && e.posA == ofA && e.posB == ofB && e.version == version && elsewhere) {
                map.remove(id);
                insert(id, new Entry(posA, posB, version, now));
                return REPLAYED;
            }
            return checkVersion(hi, lo, version, posA, posB, now, newest);
        }

        Outcome checkVersion(long hi, long lo, long version, long posA, long posB, long now, long[] newest) {
            expire(now);
            Id id = new Id(hi, lo);
            Entry e = map.get(id);
            if (e == null) {
                insert(id, new Entry(posA, posB, version, now));
                return NEW;
            }
            if (e.posA == posA && e.posB == posB) {
                return REPLAY;
            }
            if (version > e.version) {
                map.remove(id);
                insert(id, new Entry(posA, posB, version, now));
                return NEW;
            }
            newest[0] = e.posA;
            newest[1] = e.posB;
            return STALE;
        }
    }

    /** Ids from a small universe, mostly crafted to share a few home cells (chains that wrap around). */
    private static long[][] universe(int capacity, int count, Random random) {
        int size = tableSize(capacity);
        int[] homes = {0, 1, 2, size / 2, size - 2, size - 1};
        long[][] ids = new long[count][];
        for (int i = 0; i < count; i++) {
            if (i % 5 == 4) {
                ids[i] = new long[] {random.nextLong(), random.nextLong()};
            } else {
                int homeCell = homes[i % homes.length];
                long lo = (long) random.nextInt(4) << 29; // shifts the home by 0..3
                long hi = ((homeCell ^ (lo >>> 29)) & (size - 1)) + (long) (i + 1) * size;
                assertThat(home(hi, lo, size)).isEqualTo(homeCell);
                ids[i] = new long[] {hi, lo};
            }
        }
        return ids;
    }

    private static void compare(int capacity, long ttl, int operations, long seed, double versionShare, int maxStep,
            int universeSize) {
        Random random = new Random(seed);
        DedupeWindow window = new DedupeWindow(capacity, ttl);
        ModelWindow model = new ModelWindow(capacity, ttl);
        long[][] ids = universe(capacity, universeSize, random);
        // Ids used with check() and ids used with checkVersion() are kept apart, as in the SMT.
        int split = (int) (ids.length * (1 - versionShare));
        long now = 0;
        Map<Outcome, Integer> outcomes = new java.util.EnumMap<>(Outcome.class);
        for (int op = 0; op < operations; op++) {
            now += random.nextInt(maxStep + 1);
            boolean version = random.nextDouble() < versionShare;
            long[] id = version ? ids[split + random.nextInt(ids.length - split)] : ids[random.nextInt(Math.max(1, split))];
            long posA = random.nextInt(3);
            long posB = random.nextInt(4);
            long[] fromWindow = {-7, -7};
            long[] fromModel = {-7, -7};
            // Replays name a position from the same small range, so they often hit an entry's own.
            boolean replay = random.nextInt(4) == 0;
            long ofA = random.nextInt(3);
            long ofB = random.nextInt(4);
            boolean rebuilt = random.nextInt(3) == 0;
            Outcome expected;
            Outcome actual;
            if (version && replay) {
                long v = random.nextInt(6);
                expected = model.checkVersionReplay(id[0], id[1], v, posA, posB, ofA, ofB, now, fromModel);
                actual = window.checkVersionReplay(id[0], id[1], v, posA, posB, ofA, ofB, now, fromWindow);
            } else if (version) {
                long v = random.nextInt(6);
                expected = model.checkVersion(id[0], id[1], v, posA, posB, now, fromModel);
                actual = window.checkVersion(id[0], id[1], v, posA, posB, now, fromWindow);
            } else if (replay) {
                expected = model.checkReplay(id[0], id[1], posA, posB, ofA, ofB, rebuilt, now, fromModel);
                actual = window.checkReplay(id[0], id[1], posA, posB, ofA, ofB, rebuilt, now, fromWindow);
            } else if (rebuilt) {
                expected = model.check(id[0], id[1], posA, posB, true, now, fromModel);
                actual = window.checkRebuilt(id[0], id[1], posA, posB, now);
                fromModel[0] = -7;
                fromModel[1] = -7;
            } else {
                expected = model.check(id[0], id[1], posA, posB, now, fromModel);
                actual = window.check(id[0], id[1], posA, posB, now, fromWindow);
            }
            outcomes.merge(expected, 1, Integer::sum);
            final int at = op;
            assertThat(actual).as(() -> "operation " + at + " (seed " + seed + ")").isEqualTo(expected);
            assertThat(fromWindow).as(() -> "reported position at operation " + at).containsExactly(fromModel);
            assertThat(window.size()).as(() -> "size after operation " + at).isEqualTo(model.map.size());
            assertThat(window.evictions()).as(() -> "evictions after operation " + at).isEqualTo(model.evictions);
        }
        // The model must actually have exercised every path.
        assertThat(model.evictions).isPositive();
        assertThat(outcomes.getOrDefault(REPLAYED, 0)).as("replays released (seed %d)", seed).isPositive();
    }

    @Test
    void randomizedIdsMatchReferenceModel() {
        // Small capacity, TTL about as long as filling the window: both eviction kinds happen often.
        compare(16, 40, 200_000, 42L, 0.0, 3, 64);
    }

    @Test
    void randomizedIdsMatchReferenceModelWithOddCapacity() {
        compare(13, 25, 100_000, 4242L, 0.0, 2, 40);
    }

    @Test
    void randomizedIdsMatchReferenceModelWithSizeEvictionsOnly() {
        compare(8, Long.MAX_VALUE / 4, 100_000, 99L, 0.0, 0, 24);
    }

    @Test
    void randomizedVersionsMatchReferenceModelUnderTtl() {
        // Capacity far above what the TTL lets accumulate: only TTL evictions and version moves.
        compare(4096, 100, 200_000, 17L, 1.0, 2, 64);
    }

    @Test
    void randomizedIdsAndVersionsTogetherMatchReferenceModelUnderTtl() {
        compare(4096, 60, 200_000, 5L, 0.5, 2, 96);
    }

    /** Versions with the window full: superseded versions must not push live entities out early. */
    @Test
    void randomizedVersionsMatchReferenceModelUnderSizePressure() {
        compare(16, 1_000_000, 200_000, 23L, 1.0, 1, 48);
    }

    /** The arrays start at 16 entries and double: growth must keep every entry, in order, with versions. */
    @Test
    void randomizedMatchReferenceModelWhileTheArraysGrow() {
        compare(300, 1_000_000, 200_000, 77L, 0.3, 1, 1_000);
        compare(1_000, 500, 100_000, 78L, 0.5, 1, 3_000);
        // The table doubles by moving a few entries per insert while the old table still answers;
        // TTL evictions and version moves hit entries in either table meanwhile.
        compare(20_000, 6_000, 150_000, 79L, 0.2, 1, 40_000);
    }

    @Test
    void growsToItsCapacityAndFindsEveryId() {
        int capacity = 100_000;
        DedupeWindow w = new DedupeWindow(capacity, Long.MAX_VALUE / 4);
        Random random = new Random(3);
        long[][] ids = new long[capacity][];
        for (int i = 0; i < capacity; i++) {
            ids[i] = new long[] {random.nextLong(), random.nextLong()};
            assertThat(w.check(ids[i][0], ids[i][1], 0, i, 0, null)).isEqualTo(Outcome.NEW);
        }
        assertThat(w.size()).isEqualTo(capacity);
        assertThat(w.evictions()).isZero();
        for (int i = 0; i < capacity; i++) {
            assertThat(w.check(ids[i][0], ids[i][1], 0, i, 0, null)).isEqualTo(Outcome.REPLAY);
        }
        // Full: the next new id evicts the oldest.
        assertThat(w.check(1, 2, 0, -1, 0, null)).isEqualTo(Outcome.NEW);
        assertThat(w.check(ids[0][0], ids[0][1], 0, 0, 0, null)).isEqualTo(Outcome.NEW);
        assertThat(w.evictions()).isEqualTo(2);
    }

    /**
     * Without versions the log has a single spare slot; ids alone never leave dead slots behind (a
     * released replay moves its entry in place).
     */
    @Test
    void windowsWithoutVersionsMatchTheModelToo() {
        Random random = new Random(11);
        DedupeWindow w = new DedupeWindow(50, 30, false);
        ModelWindow model = new ModelWindow(50, 30);
        long now = 0;
        int released = 0;
        for (int op = 0; op < 100_000; op++) {
            now += random.nextInt(2);
            long hi = random.nextInt(120);
            long posB = random.nextInt(3);
            long ofB = random.nextInt(3);
            Outcome expected;
            Outcome actual;
            switch (random.nextInt(4)) {
                case 0 -> {
                    expected = model.check(hi, ~hi, 0, posB, true, now, new long[2]);
                    actual = w.checkRebuilt(hi, ~hi, 0, posB, now);
                }
                case 1 -> {
                    boolean rebuilt = random.nextBoolean();
                    expected = model.checkReplay(hi, ~hi, 0, posB, 0, ofB, rebuilt, now, new long[2]);
                    actual = w.checkReplay(hi, ~hi, 0, posB, 0, ofB, rebuilt, now, null);
                }
                default -> {
                    expected = model.check(hi, ~hi, 0, posB, now, new long[2]);
                    actual = w.check(hi, ~hi, 0, posB, now, null);
                }
            }
            assertThat(actual).as("operation %d", op).isEqualTo(expected);
            assertThat(w.size()).isEqualTo(model.map.size());
            released += expected == REPLAYED ? 1 : 0;
        }
        assertThat(model.evictions).isPositive();
        assertThat(released).isPositive();
    }

    @Nested
    class Replays {

        @Test
        void replayOfARebuiltEntryIsReleasedOnceAndMovesTheEntry() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            assertThat(w.checkRebuilt(1, 2, 7, 100, 0)).isEqualTo(NEW);
            // The replay at offset 300 names offset 100: the original was never judged live.
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, false, 1, null)).isEqualTo(REPLAYED);
            assertThat(w.size()).isEqualTo(1);
            // A second replay of the same original is a duplicate of the first replay.
            long[] seen = new long[2];
            assertThat(w.checkReplay(1, 2, 7, 400, 7, 100, false, 2, seen)).isEqualTo(DUPLICATE);
            assertThat(seen).containsExactly(7, 300);
            // The first replay redelivered passes as a redelivery; the original redelivered is now a duplicate.
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, false, 3, null)).isEqualTo(REPLAY);
            assertThat(w.check(1, 2, 7, 100, 3, null)).isEqualTo(DUPLICATE);
        }

        @Test
        void replayOfALiveEntryIsADuplicate() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            assertThat(w.check(1, 2, 7, 100, 0, null)).isEqualTo(NEW);
            long[] seen = new long[2];
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, false, 1, seen)).isEqualTo(DUPLICATE);
            assertThat(seen).containsExactly(7, 100);
        }

        @Test
        void aRebuiltEntryRedeliveredLiveIsNoLongerReleased() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            w.checkRebuilt(1, 2, 7, 100, 0);
            // The task is handed the original itself and passes it: now it was judged live.
            assertThat(w.check(1, 2, 7, 100, 1, null)).isEqualTo(REPLAY);
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, false, 2, null)).isEqualTo(DUPLICATE);
        }

        @Test
        void aRebuildReadingTheOriginalAgainKeepsItRebuilt() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            w.checkRebuilt(1, 2, 7, 100, 0);
            assertThat(w.checkRebuilt(1, 2, 7, 100, 1)).isEqualTo(REPLAY);
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, false, 2, null)).isEqualTo(REPLAYED);
        }

        @Test
        void aReplayReadBackByARebuildStaysRebuilt() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            w.checkRebuilt(1, 2, 7, 100, 0);
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, true, 1, null)).isEqualTo(REPLAYED);
            // A replay of the replay (say the sink rejected that one too) is released in its turn ...
            assertThat(w.checkReplay(1, 2, 7, 500, 7, 300, false, 2, null)).isEqualTo(REPLAYED);
            // ... and, released live, nothing after it is.
            assertThat(w.checkReplay(1, 2, 7, 600, 7, 500, false, 3, null)).isEqualTo(DUPLICATE);
        }

        @Test
        void aReplayOfAnUnknownIdIsNewAndLive() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 100, false, 0, null)).isEqualTo(NEW);
            assertThat(w.checkReplay(1, 2, 7, 400, 7, 100, false, 1, null)).isEqualTo(DUPLICATE);
            assertThat(w.checkReplay(1, 2, 7, 400, 7, 300, false, 1, null)).as("live: not released")
                    .isEqualTo(DUPLICATE);
        }

        @Test
        void aReplayNamingAnotherPositionIsJudgedAsAnyRecord() {
            DedupeWindow w = new DedupeWindow(10, TTL, false);
            w.checkRebuilt(1, 2, 7, 100, 0);
            assertThat(w.checkReplay(1, 2, 7, 300, 7, 101, false, 1, null)).isEqualTo(DUPLICATE);
            assertThat(w.checkReplay(1, 2, 7, 300, 8, 100, false, 1, null)).isEqualTo(DUPLICATE);
        }

        @Test
        void aReleasedEntryKeepsTheOriginalsTimeAndPlace() {
            DedupeWindow w = new DedupeWindow(10, 100, false);
            w.checkRebuilt(1, 2, 7, 100, 0);
            w.checkReplay(1, 2, 7, 300, 7, 100, false, 90, null);
            assertThat(w.checkReplay(1, 2, 7, 400, 7, 100, false, 99, null)).isEqualTo(DUPLICATE);
            assertThat(w.checkReplay(1, 2, 7, 400, 7, 100, false, 100, null)).as("the original's TTL is over")
                    .isEqualTo(NEW);
        }

        @Test
        void theNewestVersionsReplayPassesAndMoves() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 0, 10, 0, null);
            assertThat(w.checkVersionReplay(1, 1, 5, 0, 30, 0, 10, 1, null)).isEqualTo(REPLAYED);
            assertThat(w.size()).isEqualTo(1);
            long[] newest = new long[2];
            assertThat(w.checkVersionReplay(1, 1, 5, 0, 40, 0, 10, 2, newest)).as("a second replay").isEqualTo(STALE);
            assertThat(newest).containsExactly(0, 30);
            assertThat(w.checkVersion(1, 1, 5, 0, 30, 3, null)).isEqualTo(REPLAY);
        }

        @Test
        void aReplayedOlderVersionNeverPassesANewerOne() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 0, 10, 0, null);
            w.checkVersion(1, 1, 9, 0, 20, 1, null);
            long[] newest = new long[2];
            assertThat(w.checkVersionReplay(1, 1, 5, 0, 30, 0, 10, 2, newest)).isEqualTo(STALE);
            assertThat(newest).containsExactly(0, 20);
        }

        @Test
        void aReplayWhoseVersionIsNotTheNewestsIsJudgedByItsVersion() {
            DedupeWindow w = new DedupeWindow(10, TTL);
            w.checkVersion(1, 1, 5, 0, 10, 0, null);
            assertThat(w.checkVersionReplay(1, 1, 4, 0, 30, 0, 10, 1, null)).isEqualTo(STALE);
            assertThat(w.checkVersionReplay(1, 1, 6, 0, 31, 0, 10, 1, null)).isEqualTo(NEW);
        }

        @Test
        void aReleasedVersionMovesToTheTailOfEvictionOrder() {
            DedupeWindow w = new DedupeWindow(2, TTL);
            w.checkVersion(1, 1, 5, 0, 1, 0, null); // A
            w.checkVersion(2, 2, 5, 0, 2, 0, null); // B
            assertThat(w.checkVersionReplay(1, 1, 5, 0, 3, 0, 1, 0, null)).isEqualTo(REPLAYED); // A replayed: youngest
            w.checkVersion(3, 3, 5, 0, 4, 0, null); // C evicts B, the oldest change
            assertThat(w.checkVersion(1, 1, 5, 0, 9, 0, null)).isEqualTo(STALE);
            assertThat(w.checkVersion(2, 2, 5, 0, 9, 0, null)).isEqualTo(NEW);
        }
    }
}
