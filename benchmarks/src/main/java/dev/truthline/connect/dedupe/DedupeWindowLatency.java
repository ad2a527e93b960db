package dev.truthline.connect.dedupe;

import java.util.Arrays;
import java.util.Locale;

/**
 * The worst single-record latency of {@link DedupeWindow#check} while a window grows from empty to
 * 1,000,000 entries and then runs full: the growth steps (and, for {@code entity_version}, the
 * compactions) are the only operations that touch more than a few entries, so they decide the
 * worst case. Every check is timed with {@link System#nanoTime()}; the run is repeated (fresh window
 * each round) and the report gives, per round, the largest single check, the largest check among
 * those where the window grows (at 16 x 2^k entries), the 99.99th percentile and the mean, and at the
 * end the median of the rounds' maxima.
 *
 * <pre>java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.truthline.connect.dedupe.DedupeWindowLatency [rounds] [entries]</pre>
 *
 * Not a JMH benchmark (JMH reports averages, and a one-off pause is the point here); run on an
 * otherwise idle machine, as GC and other processes also show up as single slow checks. The
 * figure that matters is the gap between the worst check and the 99.99th percentile.
 */
public final class DedupeWindowLatency {

    private DedupeWindowLatency() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : IdStream.CAPACITY;
        // Fill to capacity, then as many more new ids again: every growth step and a full window's eviction.
        int ops = 2 * entries;
        long[] nanos = new long[ops];
        long[] maxima = new long[rounds];
        long[] growthMaxima = new long[rounds];
        for (int round = -2; round < rounds; round++) {
            DedupeWindow window = new DedupeWindow(entries, IdStream.TTL_MS, false);
            System.gc();
            long now = System.currentTimeMillis();
            int worstAt = 0;
            for (int i = 0; i < ops; i++) {
                long hi = IdStream.prefillHi(i);
                long lo = IdStream.prefillLo(i);
                long start = System.nanoTime();
                window.check(hi, lo, 0, i, now, null);
                nanos[i] = System.nanoTime() - start;
                if (nanos[i] > nanos[worstAt]) {
                    worstAt = i;
                }
            }
            if (window.size() != entries) {
                throw new IllegalStateException("window holds " + window.size() + " ids, expected " + entries);
            }
            long worst = nanos[worstAt];
            // The checks that grow the window: its arrays double when it holds 16 x 2^k entries.
            long growth = 0;
            int growthAt = 0;
            for (int size = DedupeWindow.INITIAL_ENTRIES; size < entries; size *= 2) {
                if (nanos[size] > growth) {
                    growth = nanos[size];
                    growthAt = size;
                }
            }
            double mean = Arrays.stream(nanos).average().orElse(0);
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            long p9999 = sorted[(int) (ops * 0.9999)];
            if (round >= 0) {
                maxima[round] = worst;
                growthMaxima[round] = growth;
                System.out.printf(Locale.ROOT, "round %d: worst %,12d ns (at entry %,9d)   worst growth step %,12d ns"
                        + " (at %,9d)   p99.99 %,9d ns   mean %5.0f ns%n", round + 1, worst, worstAt, growth, growthAt,
                        p9999, mean);
            }
        }
        Arrays.sort(maxima);
        Arrays.sort(growthMaxima);
        System.out.printf(Locale.ROOT, "median of %d rounds: worst single check %,d ns (%.2f ms), worst growth step %,d ns"
                + " (%.2f ms)%n", rounds, maxima[rounds / 2], maxima[rounds / 2] / 1e6, growthMaxima[rounds / 2],
                growthMaxima[rounds / 2] / 1e6);
        // On a busy machine any check can be descheduled; the least of the rounds' worst growth steps
        // is the growth's own cost.
        System.out.printf(Locale.ROOT, "least of %d rounds' worst growth step: %,d ns (%.2f ms)%n", rounds,
                growthMaxima[0], growthMaxima[0] / 1e6);
    }
}
