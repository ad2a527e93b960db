package dev.truthline.connect.privacy;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

import dev.truthline.connect.core.RecordSide;

/**
 * Reveals fields that {@link ProtectFields} protected, with the same rules and keysets; {@link Value} works on record values, {@link Key} on keys. See {@link PrivacyConfig} for the keys.
 */
public abstract class RevealFields<R extends ConnectRecord<R>> extends FieldsTransform<R> {

    public static final String OVERVIEW_DOC = "Reveals what ProtectFields protected, for an authorised sink: configured with the same rules and keysets, it decrypts token, encrypt and fpe fields back to their original values and schemas (hash, mask and redact cannot be undone: those fields pass as they are). A keyset that was rotated still reveals values protected under its older keys (token, encrypt). Use <code>" + Value.class.getName() + "</code> for record values or <code>" + Key.class.getName() + "</code> for keys.";

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
        return false;
    }

    RevealFields(RecordSide side) {
        super(side);
    }

    /** Works on the record value. */
    public static class Value<R extends ConnectRecord<R>> extends RevealFields<R> {
        public Value() {
            super(RecordSide.VALUE);
        }
    }

    /** Works on the record key. */
    public static class Key<R extends ConnectRecord<R>> extends RevealFields<R> {
        public Key() {
            super(RecordSide.KEY);
        }
    }
}
