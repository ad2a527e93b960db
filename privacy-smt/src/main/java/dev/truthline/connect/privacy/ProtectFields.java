package dev.truthline.connect.privacy;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

import dev.truthline.connect.core.RecordSide;

/**
 * Protects the fields named by its rules; {@link Value} works on record values, {@link Key} on keys. See {@link PrivacyConfig} for the keys.
 */
public abstract class ProtectFields<R extends ConnectRecord<R>> extends FieldsTransform<R> {

    public static final String OVERVIEW_DOC = "Protects fields of each record with keys that rotate: token (deterministic AES-SIV, joinable, reversible), encrypt (randomized AES-GCM, reversible), fpe (format-preserving FF1: same length and alphabet, reversible), hash (keyed HMAC-SHA256), mask (keep the last characters) or redact. Keys are Tink keysets given through a ConfigProvider. Works on Struct values with schemas (a changed field type gets a new schema that records the original) and on schemaless maps; nested structs, arrays of structs ([*]) and maps. Nulls, absent fields and tombstones pass untouched. Undo with RevealFields. Use <code>" + Value.class.getName() + "</code> for record values or <code>" + Key.class.getName() + "</code> for keys.";

    public static final ConfigDef CONFIG_DEF = PrivacyConfig.CONFIG_DEF;

    /** The documented keys of each rule, under {@code rules.<name>.}. */
    public static final ConfigDef RULE_CONFIG_DEF = PrivacyConfig.RULE_CONFIG_DEF;

    /** How users write the keys of {@link #RULE_CONFIG_DEF}; read by the config-docs generator. */
    public static final String RULE_KEY_PREFIX = PrivacyConfig.RULES_PREFIX + "<name>.";

    /** The {@code classification.<value>=<method>} keys that let a contract choose the fields. */
    public static final ConfigDef CLASSIFICATION_CONFIG_DEF = PrivacyConfig.CLASSIFICATION_CONFIG_DEF;

    /** How users write the keys of {@link #CLASSIFICATION_CONFIG_DEF}. */
    public static final String CLASSIFICATION_KEY_PREFIX = PrivacyConfig.CLASSIFICATION_PREFIX;

    @Override
    boolean protecting() {
        return true;
    }

    ProtectFields(RecordSide side) {
        super(side);
    }

    /** Works on the record value. */
    public static class Value<R extends ConnectRecord<R>> extends ProtectFields<R> {
        public Value() {
            super(RecordSide.VALUE);
        }
    }

    /** Works on the record key. */
    public static class Key<R extends ConnectRecord<R>> extends ProtectFields<R> {
        public Key() {
            super(RecordSide.KEY);
        }
    }
}
