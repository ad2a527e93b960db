package dev.truthline.audit;

import java.io.PrintWriter;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A current-state reconciliation as text for a console and as JSON (the audit report's {@code reconciliation}). */
public final class ReconciliationReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReconciliationReport() {
    }

    /** What a state means, in one line (the console and the HTML page). */
    static String meaning(String state) {
        return switch (state) {
            case "equal" -> "current row = source row";
            case "stale" -> "the current row is an older version: a newer change of the key was rejected";
            case "absent" -> "in the source, not current: every change of the key was rejected";
            case "extra" -> "current, not in the source, and no rejected delete explains it";
            default -> "a difference no rejected change explains";
        };
    }

    public static void console(ReconcilePlan plan, Reconciliation.Result r, long millis, PrintWriter out) {
        out.printf("reconciliation: %s (source) vs %s (current, %s), by key%n", plan.source().table(),
                plan.current().table(), plan.currentConnector());
        if (!plan.notCompared().isEmpty()) {
            out.printf("  not compared: %s (protected at the source: the current table holds tokens)%n",
                    String.join(", ", plan.notCompared()));
        }
        out.printf("  source rows    %,12d%n  current rows   %,12d%n", r.sourceRows(), r.currentRows());
        for (String state : Reconciliation.STATES) {
            out.printf("  %-14s %,12d  %s%n", state, r.count(state), meaning(state));
            for (Reconciliation.Key k : r.examples().getOrDefault(state, List.of())) {
                if (k.rejectedAt() == null) {
                    out.printf("      key %s%s%n", k.entity(), k.rowLsn() == null ? "" : " (row at LSN " + k.rowLsn() + ")");
                } else {
                    out.printf("      key %s%s: %s at %s (LSN %d)%n", k.entity(),
                            k.rowLsn() == null ? "" : " (row at LSN " + k.rowLsn() + ")", k.reason(), k.rejectedAt(),
                            k.rejectedLsn());
                }
            }
        }
        long rows = r.sourceRows() + r.currentRows();
        out.printf("%s (exit %d). %,d rows in %.1f s (%,.0f rows/s).%n",
                r.exitCode() == AuditResult.EXPLAINED ? "Every difference explained" : "NOT every difference explained",
                r.exitCode(), rows, millis / 1000.0, millis == 0 ? 0.0 : rows * 1000.0 / millis);
        out.flush();
    }

    public static ObjectNode json(ReconcilePlan plan, Reconciliation.Result r, long millis) {
        ObjectNode root = JSON.createObjectNode();
        root.put("source_table", plan.source().table());
        root.put("current_table", plan.current().table());
        root.put("current_connector", plan.currentConnector());
        plan.notCompared().forEach(root.putArray("not_compared")::add);
        root.put("source_rows", r.sourceRows());
        root.put("current_rows", r.currentRows());
        ObjectNode counts = root.putObject("counts");
        r.counts().forEach(counts::put);
        ObjectNode examples = root.putObject("keys");
        r.examples().forEach((state, keys) -> {
            ArrayNode list = examples.putArray(state);
            for (Reconciliation.Key k : keys) {
                ObjectNode n = list.addObject().put("key", k.entity());
                if (k.rowLsn() != null) {
                    n.put("row_lsn", k.rowLsn());
                }
                if (k.rejectedAt() != null) {
                    n.put("rejected_at", k.rejectedAt()).put("rejected_lsn", k.rejectedLsn()).put("reason", k.reason());
                }
            }
        });
        root.put("millis", millis);
        root.put("exit_code", r.exitCode());
        return root;
    }
}
