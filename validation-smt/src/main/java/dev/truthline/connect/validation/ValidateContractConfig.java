package dev.truthline.connect.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import com.google.re2j.Pattern;

/** The configuration of {@link ValidateContract}: its keys, their documentation and their checks. */
final class ValidateContractConfig extends AbstractConfig {

    static final String CONTRACT_ID = "contract.id";
    static final String CONTRACT_VERSION = "contract.version";
    static final String RULES = "rules";
    static final String ENVELOPE = "envelope";
    static final String ON_FAILURE = "on.failure";
    static final String QUARANTINE_TOPIC = "quarantine.topic";
    static final String MODE = "mode";
    static final String HEADERS_PREFIX = "headers.prefix";
    static final String INCLUDE_VALUES = "violations.include.values";

    static final String TOPIC_PLACEHOLDER = "${topic}";

    enum Envelope { AUTO, DEBEZIUM, NONE }

    enum OnFailure { FAIL, QUARANTINE, TAG, DROP }

    enum Mode { ENFORCE, SHADOW }

    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern TOPIC_CHARS = Pattern.compile("[A-Za-z0-9._-]+");

    static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CONTRACT_ID, Type.STRING, null, Importance.MEDIUM,
                    "The contract's identity. Stamped on every verdict as the dq.contract header "
                            + "(<id>@<version>, or <id> without a version); no dq.contract header when unset.")
            .define(CONTRACT_VERSION, Type.STRING, null, Importance.LOW,
                    "The contract's version, stamped after the id in dq.contract.")
            .define(RULES, Type.LIST, List.of(), ConfigDef.LambdaValidator.with(
                    ValidateContractConfig::checkRuleNames, () -> "unique names of letters, digits, _ and -"),
                    Importance.HIGH,
                    "Names of the inline rules, comma-separated; each is configured under rules.<name>.* "
                            + "(rules.<name>.type, .field and the type's parameters; see the rule keys below).")
            .define(ENVELOPE, Type.STRING, "auto", CaseInsensitiveValidString.in("auto", "debezium", "none"),
                    Importance.MEDIUM,
                    "How to find the row in the value. auto: recognise Debezium change events and validate the "
                            + "after image (before for deletes; truncate and message events pass untouched); "
                            + "debezium: expect a Debezium envelope and treat anything else as a violation of "
                            + "the rule 'envelope'; none: validate the value as it is.")
            .define(ON_FAILURE, Type.STRING, "fail", CaseInsensitiveValidString.in("fail", "quarantine", "tag", "drop"),
                    Importance.HIGH,
                    "What to do with an invalid record. fail: throw a DataException naming the failed rules, "
                            + "so Connect's error handling (errors.tolerance, the sink DLQ) takes it; quarantine: "
                            + "route it to quarantine.topic with its dq.* headers; tag: only add the headers and "
                            + "let it continue; drop: discard it (counted in records-dropped).")
            .define(QUARANTINE_TOPIC, Type.STRING, TOPIC_PLACEHOLDER + ".quarantine",
                    ConfigDef.LambdaValidator.with(ValidateContractConfig::checkQuarantineTopic,
                            () -> "a topic name; ${topic} stands for the record's topic"),
                    Importance.MEDIUM,
                    "The topic invalid records are routed to when on.failure=quarantine; ${topic} stands for "
                            + "the record's own topic.")
            .define(MODE, Type.STRING, "enforce", CaseInsensitiveValidString.in("enforce", "shadow"), Importance.MEDIUM,
                    "enforce: apply on.failure. shadow: evaluate, tag and count every record but never route, "
                            + "drop or fail one; for trying a contract on live traffic.")
            .define(HEADERS_PREFIX, Type.STRING, "dq.", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Prefix of the verdict headers (status, contract, violations, rules, warnings).")
            .define(INCLUDE_VALUES, Type.BOOLEAN, false, Importance.LOW,
                    "Copy offending values (at most " + ViolationsJson.MAX_VALUE_CHARS + " characters each) into the "
                            + "violations header. Off by default: payload values may be personal data.");

    ValidateContractConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    String contractLabel() {
        String id = getString(CONTRACT_ID);
        String version = getString(CONTRACT_VERSION);
        if (id == null || id.isBlank()) {
            return null;
        }
        return version == null || version.isBlank() ? id : id + "@" + version;
    }

    List<String> ruleNames() {
        return getList(RULES);
    }

    Envelope envelope() {
        return Envelope.valueOf(getString(ENVELOPE).toUpperCase(Locale.ROOT));
    }

    OnFailure onFailure() {
        return OnFailure.valueOf(getString(ON_FAILURE).toUpperCase(Locale.ROOT));
    }

    Mode mode() {
        return Mode.valueOf(getString(MODE).toUpperCase(Locale.ROOT));
    }

    String quarantineTopic() {
        return getString(QUARANTINE_TOPIC);
    }

    String headersPrefix() {
        return getString(HEADERS_PREFIX);
    }

    boolean includeValues() {
        return getBoolean(INCLUDE_VALUES);
    }

    private static void checkRuleNames(String key, Object value) {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) value;
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!RULE_NAME.matches(name)) {
                throw new ConfigException(key, value, "rule name '" + name
                        + "' must be letters, digits, '_' or '-' (it becomes part of the keys rules.<name>.*)");
            }
            if (!seen.add(name)) {
                throw new ConfigException(key, value, "rule name '" + name + "' is listed twice");
            }
        }
    }

    private static void checkQuarantineTopic(String key, Object value) {
        String template = (String) value;
        if (template == null || template.isBlank()) {
            throw new ConfigException(key, value, "must not be empty");
        }
        String sample = template.replace(TOPIC_PLACEHOLDER, "t");
        if (!TOPIC_CHARS.matches(sample) || sample.length() > 249) {
            throw new ConfigException(key, value,
                    "must be a legal topic name (letters, digits, '.', '_', '-'; ${topic} for the record's topic)");
        }
    }
}
