package dev.truthline.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.RecordMetadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A replay's report, per cause and in total: selected, still failing (by rule), already replayed (by replay id) and
 * written (per target partition, the offset range). Names, counts and positions only: never a payload value.
 * Totals count distinct defects (a record that broke two rules is in two causes).
 */
final class ReplayReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One cause's counts. */
    static final class Tally {
        final String kind;
        final String connector;
        long selected;
        long stillFailing;
        final Map<String, Long> failingRules = new TreeMap<>();
        long alreadyReplayed;
        final Map<String, Long> replayedBy = new TreeMap<>();
        long written;
        /** {@code topic/partition} → {first, last} offset written. */
        final Map<String, long[]> ranges = new TreeMap<>();
        boolean withoutContract;
        /** Rules on fields the source rewrote after its contract: capture-time verdict kept, per rule. */
        final Map<String, Long> notRechecked = new TreeMap<>();

        Tally(String kind, String connector) {
            this.kind = kind;
            this.connector = connector;
        }

        void count(ReplayDecisions.Decision d, RecordMetadata m) {
            selected++;
            if (d.recheck().contracts() == 0) {
                withoutContract = true;
            }
            d.recheck().notRechecked().forEach(r -> notRechecked.merge(r, 1L, Long::sum));
            switch (d.fate()) {
                case STILL_FAILING -> {
                    stillFailing++;
                    d.recheck().failedRules().forEach(r -> failingRules.merge(r, 1L, Long::sum));
                }
                case ALREADY_REPLAYED -> {
                    alreadyReplayed++;
                    replayedBy.merge(d.replayedBy(), 1L, Long::sum);
                }
                case WRITE -> {
                    written++;
                    if (m != null) {
                        ranges.merge(m.topic() + "/" + m.partition(), new long[] {m.offset(), m.offset()},
                                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                    }
                }
                default -> throw new IllegalStateException(d.fate().name());
            }
        }
    }

    final String replayId;
    final String operator;
    final boolean dryRun;
    final Map<String, Tally> causes = new LinkedHashMap<>();
    final Tally total = new Tally("all", null);
    long deadLettersWithoutContext;
    /** Cause ids asked for ({@code --cause}) that no selected defect was selected under. */
    final List<String> unmatchedCauses = new java.util.ArrayList<>();

    ReplayReport(String replayId, String operator, boolean dryRun) {
        this.replayId = replayId;
        this.operator = operator;
        this.dryRun = dryRun;
    }

    /** Counts the decisions; {@code written} holds the write's metadata in the order of the WRITE decisions. */
    static ReplayReport of(String replayId, String operator, boolean dryRun, List<ReplayDecisions.Decision> decisions,
            List<RecordMetadata> written) {
        ReplayReport report = new ReplayReport(replayId, operator, dryRun);
        int w = 0;
        for (ReplayDecisions.Decision d : decisions) {
            RecordMetadata m = d.fate() == ReplayDecisions.Fate.WRITE && written != null && w < written.size()
                    ? written.get(w++) : null;
            String cause = d.cause() == null ? "(no cause)" : d.cause();
            report.causes.computeIfAbsent(cause, k -> new Tally(
                    d.candidate().kind() == ReplayCandidate.Kind.QUARANTINE ? "quarantine" : "dead_letter",
                    d.candidate().connector())).count(d, m);
            report.total.count(d, m);
        }
        return report;
    }

    /** 0: every selected defect was written (or would be: dry run) or already replayed; 1: some still fail. */
    int exitCode() {
        return total.stillFailing == 0 ? 0 : 1;
    }

    void console(PrintWriter out) {
        out.println("truthline replay " + replayId + (dryRun ? " (dry run: nothing written)" : "") + " by "
                + operator);
        if (causes.isEmpty()) {
            out.println("  no defect matches the selection");
        }
        unmatchedCauses.forEach(c -> out.println("  cause " + c + ": no defect selected under it (truthline triage "
                + "lists the causes)"));
        for (Map.Entry<String, Tally> e : causes.entrySet()) {
            Tally t = e.getValue();
            out.println("  cause " + e.getKey() + " (" + t.kind + ", " + t.connector + "): " + t.selected
                    + " selected");
            line(out, t);
        }
        out.println("  total: " + total.selected + " selected");
        line(out, total);
        if (deadLettersWithoutContext > 0) {
            out.println("  " + deadLettersWithoutContext + " dead letter(s) name no input position "
                    + "(errors.deadletterqueue.context.headers.enable=false): not replayable");
        }
        out.flush();
    }

    private void line(PrintWriter out, Tally t) {
        if (t.withoutContract && t != total) {
            out.println("    " + t.connector + " has no ValidateContract: passes without re-validation");
        }
        if (!t.notRechecked.isEmpty()) {
            out.println("    not re-checked (a field the source rewrote after its contract; passed at capture): "
                    + t.notRechecked);
        }
        if (t.stillFailing > 0) {
            out.println("    still failing: " + t.stillFailing + " " + t.failingRules + " (left where they are)");
        }
        if (t.alreadyReplayed > 0) {
            out.println("    already replayed: " + t.alreadyReplayed + " (by " + t.replayedBy + ")");
        }
        if (t.written > 0 || dryRun) {
            out.println("    " + (dryRun ? "would write: " : "written: ") + t.written + (t.ranges.isEmpty() ? ""
                    : " " + rangesText(t.ranges)));
        }
    }

    private static String rangesText(Map<String, long[]> ranges) {
        Set<String> parts = new LinkedHashSet<>();
        ranges.forEach((p, r) -> parts.add(p + " @" + r[0] + (r[1] == r[0] ? "" : "-" + r[1])));
        return String.join(", ", parts);
    }

    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("replay_id", replayId);
        root.put("operator", operator);
        root.put("dry_run", dryRun);
        ObjectNode causesJson = root.putObject("causes");
        causes.forEach((id, t) -> tally(causesJson.putObject(id), t));
        tally(root.putObject("total"), total);
        root.put("dead_letters_without_context", deadLettersWithoutContext);
        unmatchedCauses.forEach(root.putArray("unmatched_causes")::add);
        root.put("exit_code", exitCode());
        return root;
    }

    private static void tally(ObjectNode n, Tally t) {
        if (t.connector != null) {
            n.put("kind", t.kind);
            n.put("connector", t.connector);
            n.put("without_contract", t.withoutContract);
        }
        n.put("selected", t.selected);
        n.put("still_failing", t.stillFailing);
        ObjectNode rules = n.putObject("still_failing_by_rule");
        t.failingRules.forEach(rules::put);
        ObjectNode kept = n.putObject("not_rechecked_by_rule");
        t.notRechecked.forEach(kept::put);
        n.put("already_replayed", t.alreadyReplayed);
        ObjectNode by = n.putObject("already_replayed_by");
        t.replayedBy.forEach(by::put);
        n.put("written", t.written);
        ObjectNode ranges = n.putObject("written_offsets");
        t.ranges.forEach((p, r) -> ranges.putObject(p).put("first", r[0]).put("last", r[1]));
    }

    static String jsonText(ObjectNode json) throws IOException {
        return JSON.writeValueAsString(json);
    }

    static void writeJson(ObjectNode json, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, jsonText(json) + System.lineSeparator());
    }
}
