package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The cached writer of {@code dq.violations} writes exactly what the plain one writes. */
class ViolationsJsonTest {

    @Test
    void cachedWriterAgreesWithThePlainOneAcrossCollisionsAndEscapes() throws Exception {
        Random random = new Random(7);
        // More distinct violations than the cache has slots, with text that needs escaping.
        List<Violation> kinds = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            kinds.add(new Violation("rule_" + (i % 40), "field." + (i % 7) + (i % 11 == 0 ? "[3]" : ""),
                    i % 5 == 0 ? "a \"quoted\" \\ message\n" + i : "is not one of the allowed values",
                    i % 3 == 0 ? RuleSeverity.WARN : RuleSeverity.ERROR, "value-" + i));
        }
        ViolationsJson.Cached cached = new ViolationsJson.Cached();
        ObjectMapper json = new ObjectMapper();
        for (int round = 0; round < 5_000; round++) {
            List<Violation> record = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                Violation kind = kinds.get(random.nextInt(kinds.size()));
                // A fresh String with the same text: the cache must compare text, not identity only.
                record.add(random.nextBoolean() ? kind : new Violation(new String(kind.rule()), new String(kind.field()),
                        new String(kind.message()), kind.severity(), kind.value()));
            }
            String expected = ViolationsJson.write(record, false);
            assertThat(cached.write(record)).isEqualTo(expected);
            JsonNode parsed = json.readTree(expected);
            assertThat(parsed.size()).isEqualTo(n);
            assertThat(parsed.get(0).has("value")).isFalse();
        }
    }
}
