package dev.truthline.audit.defects;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.AuditResult;
import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorDiscovery;
import dev.truthline.audit.OptionException;

/**
 * {@code truthline triage} in a JVM of its own (the command line starts it on the audit's class path, as it starts
 * the audit): {@code name=value} settings ({@link TriageSettings}). Reads the pipeline's quarantine and every
 * dead-letter queue, groups the defects by cause and prints them (console or JSON), optionally as an HTML page. Exit
 * code 0 whatever the defects (they are data, not a failure), 2 when it cannot judge.
 */
public final class TriageMain {

    static final String COMMAND = "truthline triage";
    /** Triage ran: whatever the defects, they are data. */
    public static final int DONE = 0;
    /** It could not read the configs or the topics (the audit's code for it). */
    public static final int CANNOT_JUDGE = AuditResult.CANNOT_JUDGE;

    private TriageMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        Instant now = Instant.now();
        TriageSettings settings;
        try {
            settings = TriageSettings.fromArguments(args, now);
        } catch (IllegalArgumentException | OptionException e) {
            err.println(COMMAND + ": " + e.getMessage());
            return CANNOT_JUDGE;
        }
        try {
            DefectPlan plan = ConnectorDiscovery.discoverDefects(settings.pipeline.connectorConfigs(),
                    new ConfigValues(settings.pipeline.operatorValues()), settings.pipeline.landing,
                    settings.pipeline.bootstrapServers);
            Triage triage = new Triage(settings.since, now);
            Defects.read(plan, settings.since, triage::add);
            return report(plan, triage.result(), settings, now, out);
        } catch (CannotJudgeException e) {
            err.println(COMMAND + ": cannot judge: " + e.getMessage());
            return CANNOT_JUDGE;
        } catch (Exception e) {
            err.println(COMMAND + ": cannot judge: " + e);
            return CANNOT_JUDGE;
        }
    }

    /** Prints and writes the triage; 0. */
    static int report(DefectPlan plan, Triage.Result result, TriageSettings settings, Instant now, PrintWriter out)
            throws IOException {
        ObjectNode json = TriageReport.json(plan, result);
        if ("json".equals(settings.format)) {
            out.println(TriageReport.jsonText(json));
        } else {
            TriageReport.console(plan, result, out);
        }
        if (settings.jsonOutput != null) {
            write(TriageReport.jsonText(json), settings.jsonOutput);
        }
        if (settings.htmlOutput != null) {
            write(DefectsHtml.page(plan, result, now), settings.htmlOutput);
        }
        out.flush();
        return DONE;
    }

    private static void write(String text, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
