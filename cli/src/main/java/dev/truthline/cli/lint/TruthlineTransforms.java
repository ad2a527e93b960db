package dev.truthline.cli.lint;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

import dev.truthline.cli.connector.ConnectorConfig;
import dev.truthline.cli.connector.ConnectorConfig.Transform;
import dev.truthline.connect.dedupe.Deduplicate;
import dev.truthline.connect.privacy.ProtectFields;
import dev.truthline.connect.privacy.RevealFields;
import dev.truthline.connect.validation.ValidateContract;

/** The Truthline SMTs as a connector config names them, and a way to configure one as Connect would. */
final class TruthlineTransforms {

    static final String PACKAGE = "dev.truthline.";
    static final String VALIDATE_VALUE = ValidateContract.Value.class.getName();
    static final String VALIDATE_KEY = ValidateContract.Key.class.getName();
    static final String DEDUPLICATE = Deduplicate.class.getName();
    static final String PROTECT_VALUE = ProtectFields.Value.class.getName();
    static final String PROTECT_KEY = ProtectFields.Key.class.getName();
    static final String REVEAL_VALUE = RevealFields.Value.class.getName();
    static final String REVEAL_KEY = RevealFields.Key.class.getName();

    private static final Map<String, Supplier<Transformation<SinkRecord>>> CLASSES = Map.of(
            VALIDATE_VALUE, ValidateContract.Value::new,
            VALIDATE_KEY, ValidateContract.Key::new,
            DEDUPLICATE, Deduplicate::new,
            PROTECT_VALUE, ProtectFields.Value::new,
            PROTECT_KEY, ProtectFields.Key::new,
            REVEAL_VALUE, RevealFields.Value::new,
            REVEAL_KEY, RevealFields.Key::new);

    private static final Map<String, ConfigDef> DEFINITIONS = Map.of(
            VALIDATE_VALUE, ValidateContract.CONFIG_DEF,
            VALIDATE_KEY, ValidateContract.CONFIG_DEF,
            DEDUPLICATE, Deduplicate.CONFIG_DEF,
            PROTECT_VALUE, ProtectFields.CONFIG_DEF,
            PROTECT_KEY, ProtectFields.CONFIG_DEF,
            REVEAL_VALUE, RevealFields.CONFIG_DEF,
            REVEAL_KEY, RevealFields.CONFIG_DEF);

    private TruthlineTransforms() {
    }

    static boolean isTruthline(Transform t) {
        return t.type() != null && t.type().startsWith(PACKAGE);
    }

    static boolean isValidateContract(Transform t) {
        return VALIDATE_VALUE.equals(t.type()) || VALIDATE_KEY.equals(t.type());
    }

    static boolean isPrivacy(Transform t) {
        return t.type() != null && t.type().startsWith(ProtectFields.class.getPackageName() + ".");
    }

    static boolean isDeduplicate(Transform t) {
        return DEDUPLICATE.equals(t.type());
    }

    /** A new, unconfigured instance, or null when the class is not one of Truthline's transforms. */
    static Transformation<SinkRecord> instantiate(String type) {
        Supplier<Transformation<SinkRecord>> constructor = CLASSES.get(type);
        return constructor == null ? null : constructor.get();
    }

    static String knownClasses() {
        return String.join(", ", VALIDATE_VALUE, VALIDATE_KEY, DEDUPLICATE, PROTECT_VALUE, PROTECT_KEY, REVEAL_VALUE)
                + " or " + REVEAL_KEY;
    }

    /**
     * A transform's own key, lower-cased, or the default its {@code ConfigDef} declares when absent (a list
     * comma-separated); null when a ConfigProvider supplies it.
     *
     * @param key one of the transform's public key constants
     */
    static String setting(Transform t, String key) {
        String value = t.props().get(key);
        if (value == null) {
            ConfigDef.ConfigKey definition = DEFINITIONS.get(t.type()).configKeys().get(key);
            Object defaultValue = definition.defaultValue;
            return defaultValue == null ? null
                    : ConfigDef.convertToString(defaultValue, definition.type).toLowerCase(Locale.ROOT);
        }
        return ConnectorConfig.isProviderReference(value) ? null : value.trim().toLowerCase(Locale.ROOT);
    }
}
