package dev.truthline.connect.dedupe;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.function.Supplier;

import org.openjdk.jol.info.GraphLayout;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Retained heap per entry of {@link DedupeWindow} and of the Caffeine window of
 * {@link DedupeWindowBenchmark} ({@link CaffeineWindow}), each filled to 1,000,000 entries:
 *
 * <pre>java -Xmx4g -cp benchmarks/target/benchmarks.jar dev.truthline.connect.dedupe.DedupeWindowFootprint [entries]</pre>
 *
 * <p>Two measurements of each window, built and filled alone:
 * <ul>
 *   <li><b>JOL</b>: {@code GraphLayout.parseInstance(window).totalSize()}, the exact size of every
 *       object reachable from the window (for Caffeine from the cache: map, nodes, keys, values,
 *       frequency sketch, buffers). This is the figure reported against the target.
 *   <li><b>heap delta</b>: used heap after a full GC with the filled window alive, minus used heap
 *       after a full GC before it was built ({@link MemoryMXBean}). A cross-check, and the fallback
 *       when JOL cannot walk the graph (then the figure says so).
 * </ul>
 * The ids are generated on the fly (as in the benchmark's prefill), so nothing but the window is
 * retained. Target (issue 3): DedupeWindow at most 64 bytes per entry.
 */
public final class DedupeWindowFootprint {

    static final double TARGET_MAX_BYTES_PER_ENTRY = 64;

    private DedupeWindowFootprint() {
    }

    public static void main(String[] args) {
        // JOL cannot take field offsets of records (Caffeine's key and value here) through Unsafe;
        // this switches it to reading them from the Field objects. Must be set before JOL loads.
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        int entries = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : IdStream.CAPACITY;
        long ttlMs = IdStream.TTL_MS;

        Figure dedupe = measure("DedupeWindow", entries, () -> {
            DedupeWindow window = new DedupeWindow(entries, ttlMs);
            long now = System.currentTimeMillis();
            for (int i = 0; i < entries; i++) {
                window.check(IdStream.prefillHi(i), IdStream.prefillLo(i), 0, i, now, null);
            }
            if (window.size() != entries) {
                throw new IllegalStateException("DedupeWindow holds " + window.size() + " ids, expected " + entries);
            }
            return window;
        });
        Figure caffeine = measure("Caffeine", entries, () -> {
            CaffeineWindow window = new CaffeineWindow(entries, ttlMs, Runnable::run);
            for (int i = 0; i < entries; i++) {
                window.check(IdStream.prefillHi(i), IdStream.prefillLo(i), 0, i);
            }
            if (window.size() != entries) {
                throw new IllegalStateException("Caffeine holds " + window.size() + " ids, expected " + entries);
            }
            return window;
        });

        System.out.println();
        System.out.printf(Locale.ROOT, "DedupeWindow: %.1f bytes/entry (%s); Caffeine: %.1f bytes/entry (%s); %,d entries%n",
                dedupe.bytesPerEntry(), dedupe.method, caffeine.bytesPerEntry(), caffeine.method, entries);
        System.out.printf(Locale.ROOT, "Caffeine / DedupeWindow: %.2fx the heap per entry%n",
                caffeine.bytesPerEntry() / dedupe.bytesPerEntry());
        System.out.printf(Locale.ROOT, "Target: DedupeWindow <= %.0f bytes/entry: %s (%s)%n", TARGET_MAX_BYTES_PER_ENTRY,
                dedupe.bytesPerEntry() <= TARGET_MAX_BYTES_PER_ENTRY ? "met" : "MISSED", dedupe.method);
        if (dedupe.g1Bytes > 0) {
            System.out.printf(Locale.ROOT, "        as G1 stores it in this JVM (%d MB regions): %.1f bytes/entry: %s%n",
                    dedupe.region >> 20, (double) dedupe.g1Bytes / entries,
                    (double) dedupe.g1Bytes / entries <= TARGET_MAX_BYTES_PER_ENTRY ? "met" : "MISSED");
        }
    }

    /**
     * One window's retained size: JOL's when it worked, else the heap delta; and, with JOL under G1,
     * the size with humongous objects rounded to whole regions (else 0).
     */
    record Figure(long bytes, int entries, String method, long g1Bytes, long region) {
        double bytesPerEntry() {
            return (double) bytes / entries;
        }
    }

    private static Figure measure(String name, int entries, Supplier<Object> build) {
        long before = usedAfterGc();
        Object window = build.get();
        long after = usedAfterGc();
        long delta = after - before;

        Long jol = null;
        Long g1 = null;
        String jolProblem = null;
        String classes = null;
        long region = g1RegionSize();
        try {
            GraphLayout layout = GraphLayout.parseInstance(window);
            jol = layout.totalSize();
            classes = layout.toFootprint();
            if (region > 0) {
                g1 = g1Size(layout, region);
            }
        } catch (RuntimeException | LinkageError e) {
            jolProblem = e.toString();
        }
        System.out.printf(Locale.ROOT, "%s, %,d entries:%n", name, entries);
        if (jol != null) {
            System.out.printf(Locale.ROOT, "  JOL GraphLayout.totalSize: %,14d bytes = %6.1f bytes/entry%n", jol,
                    (double) jol / entries);
        } else {
            System.out.printf("  JOL could not walk the window (%s); using the heap delta%n", jolProblem);
        }
        if (g1 != null) {
            System.out.printf(Locale.ROOT, "  as G1 stores it:            %,14d bytes = %6.1f bytes/entry"
                    + " (%d MB regions; an object of half a region or more takes whole regions)%n", g1,
                    (double) g1 / entries, region >> 20);
        }
        System.out.printf(Locale.ROOT, "  heap delta after full GC:  %,14d bytes = %6.1f bytes/entry%n", delta,
                (double) delta / entries);
        if (classes != null) {
            System.out.println(classes.replaceAll("(?m)^", "    "));
        }
        Reference.reachabilityFence(window);
        return jol != null ? new Figure(jol, entries, "JOL GraphLayout", g1 == null ? 0 : g1, region)
                : new Figure(delta, entries, "heap delta", 0, region);
    }

    /** G1's region size, or 0 when G1 is not the collector. */
    private static long g1RegionSize() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(hotspot.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * The layout's size with G1's humongous objects (at least half a region) rounded up to whole
     * regions, which is what they take from the heap: the tail of their last region stays unused.
     */
    private static long g1Size(GraphLayout layout, long region) {
        long total = 0;
        for (long address : layout.addresses()) {
            long size = layout.record(address).size();
            total += size >= region / 2 ? (size + region - 1) / region * region : size;
        }
        return total;
    }

    /** Used heap after the collector settled: full GCs until the figure stops falling. */
    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
