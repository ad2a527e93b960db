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
 * {@code truthline replay}: sends chosen quarantined and dead-lettered records back to the topic they should have
 * reached. It runs in a JVM of its own on the replay module's class path ({@code replay/target/truthline-replay.jar}
 * and {@code replay/target/lib/}), as the audit does: this class turns the options into the replay's
 * {@code name=value} settings and passes its output and exit code through.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends selected defects (source-quarantine records into their change topic, sink dead letters "
                + "into the sink's input topic) back through the pipeline: each is re-validated against the contract "
                + "deployed now (one that still fails stays where it is and is reported by rule), written with "
                + "truthline.replay.* provenance headers in one Kafka transaction, and never twice (a defect an "
                + "earlier replay wrote is skipped unless --again).",
                "Exit code 0 when every selected defect was written or already replayed, 1 when some still fail, "
                        + "2 when it cannot run."})
final class ReplayCommand implements Callable<Integer> {

    static final String REPLAY_MAIN = "dev.truthline.replay.ReplayMain";

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--cause", paramLabel = "ID", description = "A defect cause id as truthline triage prints it "
            + "(q-…, d-…); repeatable.")
    List<String> causes = new ArrayList<>();

    @Option(names = "--position", paramLabel = "TOPIC/PARTITION/OFFSET[-OFFSET2]", description = "A defect record's "
            + "position, or the captured position it stands for; an offset range is inclusive; repeatable.")
    List<String> positions = new ArrayList<>();

    @Option(names = "--key", paramLabel = "TEXT", description = "The record key: its bytes as text, the key as "
            + "Connect data, or one field of a key struct; repeatable.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only defects whose record time is at or after this: a duration back from now (7d, 24h, "
                    + "PT1H), an ISO-8601 instant or epoch ms (as truthline triage reads it).")
    String since;

    @Option(names = "--all", description = "Replay every defect (without it, at least one selector is needed).")
    boolean all;

    @Option(names = "--again", description = "Also replay defects an earlier replay already wrote.")
    boolean again;

    @Option(names = "--dry-run", description = "Do everything but the write; the same report.")
    boolean dryRun;

    @Option(names = "--beyond-window", description = "Replay records older than a current-state sink's "
            + "entity_version window (Deduplicate window.ttl.ms) too: past it an older version could overwrite a "
            + "newer row.")
    boolean beyondWindow;

    @Option(names = "--replay-id", paramLabel = "ID",
            description = "This run's id (default: replay-<UTC yyyyMMdd'T'HHmmss'Z'>).")
    String replayId;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who runs it (default: the OS user).")
    String operator;

    @Option(names = "--json", description = "The report as JSON on standard output.")
    boolean json;

    @Option(names = "--json-output", paramLabel = "FILE", description = "Also write the JSON report here.")
    Path jsonOutput;

    @Spec
    CommandSpec spec;

    /** The options as the replay's {@code name=value} settings. */
    List<String> settingsArguments() {
        List<String> a = pipeline.settingsArguments();
        causes.forEach(c -> a.add("cause=" + c));
        positions.forEach(p -> a.add("position=" + p));
        keys.forEach(k -> a.add("key=" + k));
        PipelineOptions.add(a, "since", since);
        flag(a, "all", all);
        flag(a, "again", again);
        flag(a, "dryRun", dryRun);
        flag(a, "beyondWindow", beyondWindow);
        PipelineOptions.add(a, "replayId", replayId);
        PipelineOptions.add(a, "operator", operator);
        if (json) {
            a.add("format=json");
        }
        PipelineOptions.add(a, "jsonOutput", jsonOutput == null ? null : jsonOutput.toAbsolutePath().toString());
        a.addAll(pipeline.envArguments());
        return a;
    }

    private static void flag(List<String> a, String name, boolean on) {
        if (on) {
            a.add(name + "=true");
        }
    }

    @Override
    public Integer call() throws Exception {
        return ChildJvm.runModule("replay", "replay", REPLAY_MAIN, settingsArguments(), Map.of(), spec.commandLine());
    }
}
