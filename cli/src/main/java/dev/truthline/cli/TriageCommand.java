package dev.truthline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code truthline triage}: a pipeline's quarantined and dead-lettered records grouped by cause. It runs in a JVM of
 * its own on the audit module's class path, as {@code truthline audit} does ({@link AuditCommand}): this class turns
 * the options into {@code name=value} settings and passes its output and exit code through.
 */
@Command(name = "triage", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads a pipeline's source quarantine topic and the dead-letter queue of every sink of its change "
                + "topic, and groups the records by cause: contract, rule and field for a quarantined record; sink, "
                + "stage, class and exception for a dead letter. Per cause: its id (for truthline replay --cause), "
                + "records, distinct captured events, first and last seen, a trend per day (per hour under two days), "
                + "the connectors and source tables involved and example positions. Never a payload value or key.",
                "Discovers the pipeline as truthline audit does. Exit code 0 whatever the defects, 2 when it cannot "
                        + "read them."})
final class TriageCommand implements Callable<Integer> {

    static final String TRIAGE_MAIN = "dev.truthline.audit.defects.TriageMain";

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only defects recorded since: a duration back from now (7d, 24h, 90m, PT1H) or an ISO-8601 "
                    + "instant (default: everything the topics hold).")
    String since;

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @Option(names = "--json-output", paramLabel = "FILE", description = "Also write the JSON here.")
    Path jsonOutput;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the defects view as one self-contained HTML page here (a trend chart per cause).")
    Path html;

    @Spec
    CommandSpec spec;

    /** The options as triage's {@code name=value} settings. */
    List<String> settingsArguments() {
        List<String> a = new ArrayList<>(pipeline.settingsArguments());
        PipelineOptions.add(a, "since", since);
        if (json) {
            a.add("format=json");
        }
        PipelineOptions.add(a, "jsonOutput", jsonOutput == null ? null : jsonOutput.toAbsolutePath().toString());
        PipelineOptions.add(a, "htmlOutput", html == null ? null : html.toAbsolutePath().toString());
        a.addAll(pipeline.envArguments());
        return a;
    }

    @Override
    public Integer call() throws Exception {
        return ChildJvm.runModule("triage", "audit", TRIAGE_MAIN, settingsArguments(), Map.of(), spec.commandLine());
    }
}
