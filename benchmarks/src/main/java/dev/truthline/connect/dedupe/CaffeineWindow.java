package dev.truthline.connect.dedupe;

import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;

/**
 * The baseline of {@link DedupeWindowBenchmark}: the same job as {@link DedupeWindow#check} done
 * the usual way, with a Caffeine cache from a 128-bit id to the position where it was first seen,
 * bounded by {@code maximumSize} and {@code expireAfterWrite}. Check-and-remember is one
 * {@code putIfAbsent}: absent means new (and now remembered); present at the same position is a
 * redelivery; anywhere else a duplicate.
 *
 * <p>Caffeine evicts by W-TinyLFU, not oldest-first, so it is not the same window as
 * {@link DedupeWindow} in general: an id seen once may be forgotten long before a million newer
 * ids arrived. Fresh, with its admission window at 1% of maximumSize, it gives the same outcomes as
 * {@link DedupeWindow} on the benchmark's stream (repeats reach at most {@value IdStream#RECENT} new
 * ids back), which the benchmark checks before and after each iteration. After 10 × maximumSize
 * requests its hill climber shrinks that window to nothing and it forgets most new ids at once
 * (see {@link DedupeWindowBenchmark}); the benchmark keeps each window below that.
 */
final class CaffeineWindow {

    /** The key: an id's 128-bit hash. */
    record IdKey(long hi, long lo) {
    }

    /** The value: where the id was first seen. */
    record Position(long posA, long posB) {
    }

    private final Cache<IdKey, Position> cache;
    private final ConcurrentMap<IdKey, Position> map;

    /**
     * @param executor where Caffeine runs its maintenance (eviction, expiry); {@code Runnable::run}
     *                 for the calling thread, null for Caffeine's default (ForkJoinPool.commonPool())
     */
    CaffeineWindow(int maxEntries, long ttlMs, Executor executor) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(Duration.ofMillis(ttlMs));
        if (executor != null) {
            builder.executor(executor);
        }
        cache = builder.build();
        map = cache.asMap();
    }

    Outcome check(long hi, long lo, long posA, long posB) {
        Position first = map.putIfAbsent(new IdKey(hi, lo), new Position(posA, posB));
        if (first == null) {
            return Outcome.NEW;
        }
        return first.posA() == posA && first.posB() == posB ? Outcome.REPLAY : Outcome.DUPLICATE;
    }

    /** Ids held, after pending maintenance has run. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** The cache itself, for measuring what it retains. */
    Cache<IdKey, Position> cache() {
        return cache;
    }
}
