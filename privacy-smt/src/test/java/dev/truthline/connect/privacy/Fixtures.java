package dev.truthline.connect.privacy;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** Keysets, configs and records for the tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A new keyset for {@code method}, in Tink's JSON format. */
    static String keyset(Method method) {
        try {
            return Keysets.toJson(Keysets.create(method));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String rotated(String keyset) {
        try {
            return Keysets.toJson(Keysets.rotate(Keysets.parse(keyset, "test")));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code rules=<name>} with the rule's fields, method and extra keys (pairs). */
    static Map<String, String> rule(String name, String fields, String method, String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("rules", name);
        props.putAll(ruleKeys(name, fields, method, extra));
        return props;
    }

    static Map<String, String> ruleKeys(String name, String fields, String method, String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("rules." + name + ".fields", fields);
        props.put("rules." + name + ".method", method);
        for (int i = 0; i < extra.length; i += 2) {
            props.put("rules." + name + "." + extra[i], extra[i + 1]);
        }
        return props;
    }

    static <T extends FieldsTransform<SourceRecord>> T configured(T transform, Map<String, String> props) {
        transform.configure(props);
        return transform;
    }

    static ProtectFields<SourceRecord> protect(Map<String, String> props) {
        return configured(new ProtectFields.Value<>(), props);
    }

    static RevealFields<SourceRecord> reveal(Map<String, String> props) {
        return configured(new RevealFields.Value<>(), props);
    }

    static SourceRecord record(Schema schema, Object value) {
        return new SourceRecord(Map.of("db", "orders"), Map.of("lsn", 1L), "orders", 0, Schema.STRING_SCHEMA, "k",
                schema, value, 1_700_000_000_000L);
    }

    static SinkRecord sinkRecord(Schema schema, Object value) {
        return new SinkRecord("orders", 0, Schema.STRING_SCHEMA, "k", schema, value, 42L);
    }

    static <R extends ConnectRecord<R>> Object value(R record) {
        return record.value();
    }
}
