package dev.truthline.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A source contract judged a row before the rest of the source's chain ran; its quarantine record holds what the
 * chain wrote after. Where a later {@code ProtectFields} replaced a field (a token for {@code customer_id}), a rule on
 * that field cannot be re-checked on the quarantine record: the original value is not there. Such a rule keeps its
 * capture-time verdict — it passed then unless the record's own {@code <prefix>rules} names it — and the replay
 * reports it as not re-checked. Every other rule is judged anew.
 */
final class RewrittenFields {

    static final String PROTECT_FIELDS = "dev.truthline.connect.privacy.ProtectFields$";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A field every path of the chain's ProtectFields may name (it picks its fields from a contract). */
    static final String ANY = "*";

    private RewrittenFields() {
    }

    /**
     * The fields transforms after {@code alias} in the chain rewrite, as a row's field names (a Debezium envelope's
     * {@code after.}/{@code before.} dropped) and as written; {@link #ANY} when a ProtectFields chooses its fields
     * from a contract's classifications.
     */
    static Set<String> after(Map<String, Map<String, String>> chain, String alias) {
        Set<String> fields = new LinkedHashSet<>();
        boolean later = false;
        for (Map.Entry<String, Map<String, String>> e : chain.entrySet()) {
            if (e.getKey().equals(alias)) {
                later = true;
                continue;
            }
            String type = e.getValue().get("type");
            if (!later || type == null || !type.startsWith(PROTECT_FIELDS)) {
                continue;
            }
            e.getValue().forEach((k, v) -> {
                if (k.startsWith("classification.")) {
                    fields.add(ANY);
                } else if (k.startsWith("rules.") && k.endsWith(".fields")) {
                    for (String path : v.split(",")) {
                        String p = path.strip();
                        fields.add(p);
                        if (p.startsWith("after.") || p.startsWith("before.")) {
                            fields.add(p.substring(p.indexOf('.') + 1));
                        }
                    }
                }
            });
        }
        return fields;
    }

    /**
     * The rules of a tag-mode verdict on {@code record} (under {@code prefix}) that failed only on rewritten fields
     * and did not fail at capture ({@code capturedRules}, the quarantine record's own {@code <prefix>rules}).
     */
    static Set<String> notRecheckable(ConnectRecord<?> record, String prefix, Set<String> rewritten,
            Set<String> capturedRules) {
        Set<String> excused = new LinkedHashSet<>();
        if (rewritten.isEmpty()) {
            return excused;
        }
        Map<String, Boolean> onlyRewritten = new LinkedHashMap<>();
        for (JsonNode v : violations(record, prefix)) {
            if ("warn".equals(v.path("severity").asText(null)) || !v.hasNonNull("rule")) {
                continue;
            }
            String field = v.path("field").asText("");
            boolean isRewritten = rewritten.contains(ANY) || rewritten.contains(field);
            onlyRewritten.merge(v.get("rule").asText(), isRewritten, Boolean::logicalAnd);
        }
        onlyRewritten.forEach((rule, only) -> {
            if (only && !capturedRules.contains(rule)) {
                excused.add(rule);
            }
        });
        return excused;
    }

    /**
     * The record with its verdict under {@code prefix} rewritten without the {@code excused} rules: valid when no
     * other rule failed, their violations taken out.
     */
    static <R extends ConnectRecord<R>> R withoutExcused(R record, String prefix, Set<String> excused) {
        ArrayNode kept = JSON.createArrayNode();
        Set<String> stillFailing = new LinkedHashSet<>();
        for (JsonNode v : violations(record, prefix)) {
            String rule = v.path("rule").asText("");
            if (excused.contains(rule)) {
                continue;
            }
            kept.add(v);
            if (!"warn".equals(v.path("severity").asText(null))) {
                stillFailing.add(rule);
            }
        }
        Headers headers = record.headers().duplicate();
        headers.remove(prefix + "status").remove(prefix + "rules").remove(prefix + "violations");
        headers.addString(prefix + "status", stillFailing.isEmpty() ? "valid" : "invalid");
        if (!kept.isEmpty()) {
            headers.addString(prefix + "violations", kept.toString());
        }
        if (!stillFailing.isEmpty()) {
            headers.addString(prefix + "rules", String.join(",", stillFailing));
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }

    private static List<JsonNode> violations(ConnectRecord<?> record, String prefix) {
        List<JsonNode> found = new ArrayList<>();
        org.apache.kafka.connect.header.Header h = record.headers().lastWithName(prefix + "violations");
        if (h == null || h.value() == null) {
            return found;
        }
        try {
            JSON.readTree(String.valueOf(h.value())).forEach(found::add);
        } catch (java.io.IOException unreadable) {
            // no violations to read: nothing is excused
        }
        return found;
    }

    /** The rule names of a {@code <prefix>rules} header's text. */
    static Set<String> names(String rules) {
        Set<String> names = new HashSet<>();
        if (rules != null) {
            for (String r : rules.split(",")) {
                if (!r.isBlank()) {
                    names.add(r.strip());
                }
            }
        }
        return names;
    }
}
