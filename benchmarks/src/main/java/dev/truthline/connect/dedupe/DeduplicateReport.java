package dev.truthline.connect.dedupe;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import dev.truthline.connect.benchmarks.JmhReports;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link DedupeWindowBenchmark} and {@link DeduplicateBenchmark} (JMH options on the command line,
 * as for {@code org.openjdk.jmh.Main}; a benchmark pattern narrows the run) and prints, after JMH's
 * table, the window ratio and the SMT's cost per record against issue 3's targets:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.truthline.connect.dedupe.DeduplicateReport [JMH options]</pre>
 *
 * The heap target is measured by {@link DedupeWindowFootprint}, in a JVM of its own. Exits with status
 * 1 when a benchmark produced no score (a failed setup check); a missed target is reported, not failed.
 */
public final class DeduplicateReport {

    static final double TARGET_MIN_WINDOW_SPEEDUP = 3.0;

    private DeduplicateReport() {
    }

    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = JmhReports.run(args, DedupeWindowBenchmark.class, DeduplicateBenchmark.class);

        Map<String, Double> ns = new LinkedHashMap<>();
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            String method = run.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String tables = run.getParams().getParam("tables");
            if (tables != null && !tables.equals("1")) {
                method += "[tables=" + tables + "]";
            }
            double score = JmhReports.toNanos(primary.getScore(), primary.getScoreUnit());
            if (!Double.isNaN(score)) {
                ns.put(method, score);
            }
        }

        System.out.println();
        System.out.println("Per op, one thread (ops/s = 1e9 / ns/op):");
        ns.forEach((method, score) -> System.out.printf(Locale.ROOT, "  %-36s %10.1f ns/op %,14.0f ops/s%n",
                method, score, 1e9 / score));
        System.out.println();
        Double window = ns.get("dedupeWindow");
        Double caffeine = ns.get("caffeineWindow");
        if (window != null && caffeine != null) {
            double speedup = caffeine / window;
            System.out.printf(Locale.ROOT, "  %-52s %-10s %s%n", "DedupeWindow >= 3x as fast as Caffeine (inline)",
                    String.format(Locale.ROOT, "%.2fx", speedup), speedup >= TARGET_MIN_WINDOW_SPEEDUP ? "met" : "MISSED");
        }
        Double commonPool = ns.get("caffeineWindowCommonPool");
        if (window != null && commonPool != null) {
            System.out.printf(Locale.ROOT, "  %-52s %.2fx (reference)%n", "Caffeine (commonPool) / DedupeWindow",
                    commonPool / window);
        }
        net(ns, "eventId", "eventIdReadOnly");
        net(ns, "debezium", "debeziumReadOnly");
        System.out.println("  Heap per entry: run DedupeWindowFootprint (target: DedupeWindow <= 64 bytes/entry).");

        JmhReports.requireScores(results, ns.size());
    }

    private static void net(Map<String, Double> ns, String smt, String floor) {
        Double total = ns.get(smt);
        Double read = ns.get(floor);
        if (total != null && read != null) {
            System.out.printf(Locale.ROOT, "  %-52s %.1f ns/record (%.1f - %.1f for fetching the record)%n",
                    "Deduplicate " + smt + ", net of reading the input", total - read, total, read);
        }
    }
}
