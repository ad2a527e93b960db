package dev.truthline.replay;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorDiscovery;
import dev.truthline.audit.OptionException;
import dev.truthline.audit.TopicRanges;
import dev.truthline.audit.defects.DefectPlan;

/**
 * {@code truthline replay} in a JVM of its own (the command line starts it on this module's class path, as it starts
 * the audit): {@code name=value} settings ({@link ReplaySettings}). Reads the pipeline's quarantine topics and
 * dead-letter queues, keeps the selected defects, re-validates each against the contract deployed now, skips what
 * earlier replays wrote, and writes the rest back in one transaction. Exit code 0 when every selected defect was
 * written or already replayed, 1 when some still fail, 2 when it cannot run.
 */
public final class ReplayMain {

    public static final int DONE = 0;
    public static final int STILL_FAILING = 1;
    public static final int CANNOT_RUN = 2;

    private static final String COMMAND = "truthline replay";

    private ReplayMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        ReplaySettings settings;
        try {
            settings = ReplaySettings.fromArguments(args);
        } catch (IllegalArgumentException | OptionException e) {
            err.println(COMMAND + ": " + e.getMessage());
            return CANNOT_RUN;
        }
        try {
            Map<String, Map<String, String>> connectors = settings.pipeline.connectorConfigs();
            ConfigValues values = new ConfigValues(settings.pipeline.operatorValues());
            DefectPlan plan = ConnectorDiscovery.discoverDefects(connectors, values, settings.pipeline.landing,
                    settings.pipeline.bootstrapServers);
            ReplayPipeline pipeline = new ReplayPipeline(connectors, values);
            List<ReplayDecisions.Decision> decisions;
            long withoutContext;
            try (Revalidation revalidation = new Revalidation(pipeline);
                    TopicRanges topics = TopicRanges.kafka(plan.bootstrapServers())) {
                DefectRecords defects = new DefectRecords(plan, revalidation);
                List<ReplayCandidate> selected = defects.read(topics, settings.selection);
                withoutContext = defects.withoutContext();
                decisions = ReplayDecisions.decide(selected, settings.selection, revalidation::recheck,
                        (topic, sinceMs) -> ReplayLedger.read(topics, topic, sinceMs), settings.again,
                        settings.replayId, settings.operator);
            }
            List<ReplayCandidate> toWrite = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (ReplayDecisions.Decision d : decisions) {
                if (d.fate() == ReplayDecisions.Fate.WRITE) {
                    toWrite.add(d.candidate());
                    records.add(d.record());
                }
            }
            if (!settings.beyondWindow) {
                List<EntityVersionGuard.Refusal> refused = EntityVersionGuard.check(pipeline, toWrite,
                        System.currentTimeMillis());
                if (!refused.isEmpty()) {
                    err.println(COMMAND + ": --beyond-window: refusing " + refused.size() + " record(s) older than a "
                            + "current-state sink's entity_version window (past it an older version could overwrite "
                            + "a newer row):");
                    refused.stream().limit(20).forEach(r -> err.println("  " + r.describe()));
                    return CANNOT_RUN;
                }
            }
            List<RecordMetadata> written = settings.dryRun || records.isEmpty() ? List.of()
                    : ReplayWriter.write(plan.bootstrapServers(), settings.replayId, records);
            ReplayReport report = ReplayReport.of(settings.replayId, settings.operator, settings.dryRun, decisions,
                    written);
            report.deadLettersWithoutContext = withoutContext;
            settings.selection.causes.stream().filter(c -> !report.causes.containsKey(c))
                    .forEach(report.unmatchedCauses::add);
            ObjectNode json = report.json();
            if ("json".equals(settings.format)) {
                out.println(ReplayReport.jsonText(json));
            } else {
                report.console(out);
            }
            if (settings.jsonOutput != null) {
                ReplayReport.writeJson(json, settings.jsonOutput);
            }
            out.flush();
            return report.exitCode();
        } catch (CannotJudgeException e) {
            err.println(COMMAND + ": cannot run: " + e.getMessage());
            return CANNOT_RUN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(COMMAND + ": interrupted");
            return CANNOT_RUN;
        } catch (Exception e) {
            err.println(COMMAND + ": cannot run: " + e);
            return CANNOT_RUN;
        }
    }
}
