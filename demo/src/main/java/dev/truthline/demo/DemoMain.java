package dev.truthline.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo in a JVM of its own, as {@code truthline demo} starts it (so the command line carries no Iceberg,
 * Hadoop or PostgreSQL classes): {@code name=value} settings ({@link DemoSettings#fromArguments}), the repository
 * in {@code -Dtruthline.home}. Exit code 0 when the report holds (the audit explains every captured event, the
 * equation balances, the workload's checks agree with the audit) and the PII search finds no planted clear value
 * downstream, 1 when either fails, 2 for settings that do not go together.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(List<String> args, PrintWriter out, PrintWriter err) throws Exception {
        Path home = Path.of(System.getProperty("truthline.home", ".")).toAbsolutePath().normalize();
        DemoSettings settings;
        try {
            settings = DemoSettings.fromArguments(home, args, System.getenv());
            settings.check();
        } catch (IllegalArgumentException e) {
            err.println("truthline demo: " + e.getMessage());
            return 2;
        }
        out.printf("Truthline demo: the orders pipeline on this machine%n  connector files: %s%n  work directory: %s%n",
                settings.connectors, settings.workDir.toAbsolutePath());
        out.flush();
        DemoPipeline pipeline = new DemoPipeline(settings, out);
        try {
            TruthReport report = pipeline.run();
            if (settings.keepRunning) {
                pipeline.awaitShutdown();
            }
            return report.holds() && pipeline.privacy().clean() ? 0 : 1;
        } finally {
            if (!settings.keepRunning) {
                pipeline.close();
            }
        }
    }
}
