package dev.truthline.audit;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code truthline audit} in a JVM of its own (the command line starts it on this module's class path, as it starts
 * the demo): {@code name=value} settings ({@link AuditSettings}). Exit code 0 when every captured event has a fate,
 * 1 when anything is unexplained, 2 when the audit cannot judge.
 */
public final class AuditMain {

    private AuditMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        AuditSettings settings;
        try {
            settings = AuditSettings.fromArguments(args);
        } catch (IllegalArgumentException e) {
            err.println("truthline audit: " + e.getMessage());
            return AuditResult.CANNOT_JUDGE;
        }
        try {
            Map<String, Map<String, String>> connectors = settings.connectorConfigs();
            Files.createDirectories(settings.workDir);
            AuditPlan plan = ConnectorDiscovery.discover(connectors, new ConfigValues(settings.operatorValues()),
                    settings.landing, settings.bootstrapServers, settings.memoryLimit,
                    Files.createTempDirectory(settings.workDir.toAbsolutePath(), "spill"));
            ConfigValues values = new ConfigValues(settings.operatorValues());
            ReconcilePlan reconcile = settings.reconcile ? CurrentStateDiscovery.discover(connectors, values,
                    plan.changeTopic(), settings.reconcileGiven()) : null;
            PipelineAudit.Outcome outcome = PipelineAudit.run(plan, Checkpoint.read(settings.checkpoint),
                    settings.range(), settings.listLimit, reconcile);
            ObjectNode json = AuditReport.json(plan, outcome);
            if (outcome.reconciliation() != null) {
                json.set("reconciliation", ReconciliationReport.json(reconcile, outcome.reconciliation(),
                        outcome.reconciliationMillis()));
                json.put("exit_code", outcome.exitCode());
            }
            json.put("peak_heap_bytes", peakHeap());
            LandingLatency.json(outcome.latency(), json.putObject("landing_latency_ms"));
            String html = "html".equals(settings.format) || settings.htmlOutput != null
                    ? HtmlReport.page(plan, outcome, reconcile, Instant.now()) : null;
            if ("json".equals(settings.format)) {
                out.println(AuditReport.jsonText(json));
            } else if ("html".equals(settings.format)) {
                out.print(html);
            } else {
                AuditReport.console(plan, outcome, out);
                if (outcome.reconciliation() != null) {
                    ReconciliationReport.console(reconcile, outcome.reconciliation(), outcome.reconciliationMillis(),
                            out);
                }
            }
            if (settings.jsonOutput != null) {
                AuditReport.writeJson(json, settings.jsonOutput);
            }
            if (settings.htmlOutput != null) {
                HtmlReport.write(html, settings.htmlOutput);
            }
            int exit = outcome.exitCode();
            if (settings.checkpoint != null && exit == AuditResult.EXPLAINED) {
                Checkpoint.write(settings.checkpoint, outcome.ranges());
            }
            out.flush();
            return exit;
        } catch (CannotJudgeException e) {
            err.println("truthline audit: cannot judge: " + e.getMessage());
            return cannotJudgePage(settings, e.getMessage(), err);
        } catch (Exception e) {
            err.println("truthline audit: cannot judge: " + e);
            return cannotJudgePage(settings, e.toString(), err);
        }
    }

    /** The HTML page of an audit that cannot judge, where one was asked for; exit 2 either way. */
    private static int cannotJudgePage(AuditSettings settings, String reason, PrintWriter err) {
        if (settings.htmlOutput != null) {
            String pipeline = settings.connectUrl != null ? settings.connectUrl : String.valueOf(settings.connectors);
            try {
                HtmlReport.write(HtmlReport.cannotJudge(new HtmlReport.Heading(pipeline, null, null, null,
                        Instant.now()), reason), settings.htmlOutput);
            } catch (java.io.IOException e) {
                err.println("truthline audit: cannot write " + settings.htmlOutput + ": " + e.getMessage());
            }
        }
        return AuditResult.CANNOT_JUDGE;
    }

    /** The heap's peak use over the run, summed over its pools (what the JVM itself measured). */
    static long peakHeap() {
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
