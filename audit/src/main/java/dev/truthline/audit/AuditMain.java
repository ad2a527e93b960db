package dev.truthline.audit;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.defects.AuditDefects;

/**
 * {@code truthline audit} in a JVM of its own (the command line starts it on this module's class path, as it starts
 * the demo): {@code name=value} settings ({@link AuditSettings}). Exit code 0 when every captured event has a fate,
 * 1 when anything is unexplained, 2 when the audit cannot judge.
 */
public final class AuditMain {

    private AuditMain() {
    }

    /**
     * What runs the audit once its settings are read and its pipeline discovered: the embedded DuckDB of one machine
     * ({@link #ONE_MACHINE}), or Spark ({@code audit-spark}). Everything around it — the settings, the discovery, the
     * report and the exit code — is {@link #run(List, PrintWriter, PrintWriter, Engine)}'s, the same for both.
     */
    public interface Engine {

        /** The command as messages name it: {@code truthline audit}. */
        String command();

        /** Refuses settings this engine does not serve, with an {@link OptionException} naming the option. */
        default void refuse(AuditSettings settings) {
        }

        /** Reads the stores and assigns the fates and, when {@code reconcile} is given, reconciles the tables. */
        PipelineAudit.Outcome audit(AuditSettings settings, AuditPlan plan, ReconcilePlan reconcile) throws Exception;

        /** Adds what names the engine to the JSON report. */
        default void describe(ObjectNode json) {
        }
    }

    /** The one-machine audit: the embedded DuckDB. */
    public static final Engine ONE_MACHINE = new Engine() {
        @Override
        public String command() {
            return "truthline audit";
        }

        @Override
        public PipelineAudit.Outcome audit(AuditSettings settings, AuditPlan plan, ReconcilePlan reconcile)
                throws Exception {
            return PipelineAudit.run(plan, Checkpoint.read(settings.checkpoint), settings.range(), settings.listLimit,
                    reconcile);
        }
    };

    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The one-machine audit. */
    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, ONE_MACHINE);
    }

    /** The audit on {@code engine}: settings, discovery, the engine's run, the report; returns the exit code. */
    public static int run(List<String> args, PrintWriter out, PrintWriter err, Engine engine) {
        AuditSettings settings;
        try {
            settings = AuditSettings.fromArguments(args);
            engine.refuse(settings);
        } catch (IllegalArgumentException | OptionException e) {
            err.println(engine.command() + ": " + e.getMessage());
            return AuditResult.CANNOT_JUDGE;
        }
        try {
            Map<String, Map<String, String>> connectors = settings.connectorConfigs();
            Files.createDirectories(settings.workDir);
            ConfigValues values = new ConfigValues(settings.operatorValues());
            AuditPlan plan = ConnectorDiscovery.discover(connectors, values, settings.landing,
                    settings.bootstrapServers, settings.memoryLimit,
                    Files.createTempDirectory(settings.workDir.toAbsolutePath(), "spill"));
            ReconcilePlan reconcile = settings.reconcile ? CurrentStateDiscovery.discover(connectors, values,
                    plan.changeTopic(), settings.reconcileGiven()) : null;
            PipelineAudit.Outcome outcome = engine.audit(settings, plan, reconcile);
            ObjectNode json = AuditReport.json(plan, outcome);
            engine.describe(json);
            if (outcome.reconciliation() != null) {
                json.set("reconciliation", ReconciliationReport.json(reconcile, outcome.reconciliation(),
                        outcome.reconciliationMillis()));
                json.put("exit_code", outcome.exitCode());
            }
            json.put("peak_heap_bytes", peakHeap());
            if (outcome.latency() != null) {
                LandingLatency.json(outcome.latency(), json.putObject("landing_latency_ms"));
            }
            String html = "html".equals(settings.format) || settings.htmlOutput != null
                    ? AuditDefects.addTo(HtmlReport.page(plan, outcome, reconcile, Instant.now()), connectors, values,
                            settings) : null;
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
            err.println(engine.command() + ": cannot judge: " + e.getMessage());
            return cannotJudgePage(settings, e.getMessage(), err);
        } catch (Exception e) {
            err.println(engine.command() + ": cannot judge: " + e);
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
