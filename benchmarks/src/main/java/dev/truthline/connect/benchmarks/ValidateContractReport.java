package dev.truthline.connect.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link ValidateContractBenchmark} (JMH options on the command line as for
 * {@code org.openjdk.jmh.Main}) and prints, after JMH's own table, records per second and the
 * ratios the targets are stated in:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.truthline.connect.benchmarks.ValidateContractReport [JMH options]</pre>
 *
 * Exits with status 1 when a benchmark failed to produce a score; targets that are missed are
 * reported, not failed, because numbers on a shared or small machine are only indicative.
 */
public final class ValidateContractReport {

    static final double TARGET_RECORDS_PER_SECOND = 3_000_000;
    static final double TARGET_MAX_FLOOR_RATIO = 2.0;
    static final double TARGET_MIN_GROOVY_RATIO = 50.0;
    static final double TARGET_MAX_CEL_NS = 1_000;

    private ValidateContractReport() {
    }

    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = JmhReports.run(args, ValidateContractBenchmark.class);

        Map<String, Double> nsPerOp = new HashMap<>();
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            String method = run.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            double ns = JmhReports.toNanos(primary.getScore(), primary.getScoreUnit());
            if (!Double.isNaN(ns)) {
                nsPerOp.put(method, ns);
            }
        }
        System.out.println();
        System.out.println("Per record, one thread (records/s = 1e9 / ns/op):");
        for (String method : new String[] {"handWrittenFloor", "validateContract8Rules", "validateContractCel",
                "validateContractBeanClass", "groovyScriptingFilter", "groovyScriptingFilterPlain"}) {
            Double ns = nsPerOp.get(method);
            if (ns != null) {
                System.out.printf(Locale.ROOT, "  %-28s %12.1f ns/op %,16.0f records/s%n", method, ns, 1e9 / ns);
            }
        }
        System.out.println();
        System.out.println("Targets:");
        Double eight = nsPerOp.get("validateContract8Rules");
        Double floor = nsPerOp.get("handWrittenFloor");
        Double groovy = nsPerOp.get("groovyScriptingFilter");
        Double groovyPlain = nsPerOp.get("groovyScriptingFilterPlain");
        Double cel = nsPerOp.get("validateContractCel");
        if (eight != null) {
            report("ValidateContract (8 rules) >= 3,000,000 records/s", 1e9 / eight,
                    1e9 / eight >= TARGET_RECORDS_PER_SECOND, "%,.0f records/s");
        }
        if (eight != null && floor != null) {
            report("ValidateContract / hand-written floor <= 2x", eight / floor,
                    eight / floor <= TARGET_MAX_FLOOR_RATIO, "%.2fx");
        }
        if (eight != null && groovy != null) {
            report("Groovy Filter (best case) / ValidateContract >= 50x", groovy / eight,
                    groovy / eight >= TARGET_MIN_GROOVY_RATIO, "%.1fx");
        }
        if (eight != null && groovyPlain != null) {
            report("Groovy Filter (plain) / ValidateContract >= 50x", groovyPlain / eight,
                    groovyPlain / eight >= TARGET_MIN_GROOVY_RATIO, "%.1fx");
        }
        if (cel != null) {
            report("CEL rule <= 1 us per record", cel, cel <= TARGET_MAX_CEL_NS, "%.1f ns");
        }
        JmhReports.requireScores(results, nsPerOp.size());
    }

    private static void report(String target, double value, boolean met, String format) {
        System.out.printf(Locale.ROOT, "  %-52s %-22s %s%n", target, String.format(Locale.ROOT, format, value),
                met ? "met" : "MISSED");
    }
}
