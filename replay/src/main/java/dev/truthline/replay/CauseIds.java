package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A defect's cause ids as the design fixes them: {@code q-}/{@code d-} and the first 10 hex characters of the
 * sha256 of the cause's canonical text. A quarantine record's causes are its contract with each failed rule and field
 * ({@code <prefix>violations}; else {@code <prefix>rules} without fields); a dead letter's is its sink connector,
 * Connect's error stage, failing class, exception class and the exception message without its position.
 */
final class CauseIds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CauseIds() {
    }

    static List<String> quarantine(Headers headers, String prefix) {
        String contract = text(headers, prefix + "contract");
        Set<String> canonical = new LinkedHashSet<>();
        String violations = text(headers, prefix + "violations");
        if (violations != null) {
            try {
                for (JsonNode v : JSON.readTree(violations)) {
                    if (!"warn".equals(v.path("severity").asText())) {
                        canonical.add(quarantineText(contract, v.path("rule").asText(), v.path("field").asText(null)));
                    }
                }
            } catch (java.io.IOException notJson) {
                canonical.clear();
            }
        }
        String rules = text(headers, prefix + "rules");
        if (canonical.isEmpty() && rules != null) {
            for (String r : rules.split(",")) {
                if (!r.isBlank()) {
                    canonical.add(quarantineText(contract, r.strip(), null));
                }
            }
        }
        if (canonical.isEmpty()) {
            canonical.add(quarantineText(contract, null, null));
        }
        List<String> ids = new ArrayList<>();
        canonical.forEach(t -> ids.add(id("q-", t)));
        return ids;
    }

    static List<String> deadLetter(Headers headers, String connector) {
        String message = text(headers, "__connect.errors.exception.message");
        String shown = message == null ? null : message.replaceAll(" [(]topic [^)]*[)]", "");
        return List.of(id("d-", String.join("\n", "connector=" + connector,
                "stage=" + text(headers, "__connect.errors.stage"),
                "class=" + text(headers, "__connect.errors.class.name"),
                "exception=" + text(headers, "__connect.errors.exception.class.name"),
                "message=" + shown)));
    }

    private static String quarantineText(String contract, String rule, String field) {
        return String.join("\n", "contract=" + contract, "rule=" + rule, "field=" + field);
    }

    static String id(String kind, String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return kind + HexFormat.of().formatHex(hash).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
