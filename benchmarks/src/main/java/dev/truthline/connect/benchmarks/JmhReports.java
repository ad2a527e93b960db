package dev.truthline.connect.benchmarks;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** What the report mains share: running JMH with the usual options, and reading scores as ns per op. */
public final class JmhReports {

    private JmhReports() {
    }

    /**
     * Runs JMH with the given command-line options; without an include pattern, runs every benchmark
     * of the given classes. Exits with status 2 on options JMH cannot parse.
     */
    public static Collection<RunResult> run(String[] args, Class<?>... benchmarks) throws RunnerException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing the JMH options: " + e.getMessage());
            System.exit(2);
            return null;
        }
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            for (Class<?> benchmark : benchmarks) {
                builder.include(benchmark.getName() + "\\.");
            }
        }
        return new Runner(builder.build()).run();
    }

    /** Exits with status 1 unless every run produced a score (a failed setup check produces none). */
    public static void requireScores(Collection<RunResult> results, int scored) {
        if (results.isEmpty() || scored != results.size()) {
            System.err.println("Some benchmarks produced no score; see the JMH output above.");
            System.exit(1);
        }
    }

    /** Converts a JMH score to ns per op, for AverageTime/SampleTime ("ns/op") or Throughput ("ops/s") units. */
    public static double toNanos(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            return Double.NaN;
        }
        if (parts[1].equals("op")) {
            return score * nanosIn(parts[0]);
        }
        if (parts[0].equals("ops")) {
            return nanosIn(parts[1]) / score;
        }
        return Double.NaN;
    }

    private static double nanosIn(String unit) {
        switch (unit) {
            case "ns":
                return 1;
            case "us":
                return TimeUnit.MICROSECONDS.toNanos(1);
            case "ms":
                return TimeUnit.MILLISECONDS.toNanos(1);
            case "s":
                return TimeUnit.SECONDS.toNanos(1);
            case "min":
                return TimeUnit.MINUTES.toNanos(1);
            default:
                return Double.NaN;
        }
    }
}
