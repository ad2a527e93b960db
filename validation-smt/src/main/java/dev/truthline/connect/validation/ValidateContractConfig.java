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

import dev.truthline.connect.core.KeyedConfigException;

/** The configuration of {@link ValidateContract}: its keys, their documentation and their checks. */
public final class ValidateContractConfig extends AbstractConfig {

    public static final String CONTRACT_ID = "contract.id";
    public static final String CONTRACT_VERSION = "contract.version";
    public static final String CONTRACT_FILE = ContractSources.CONTRACT_FILE;
    public static final String CONTRACT_TEXT = ContractSources.CONTRACT_TEXT;
    public static final String CONTRACT_SCHEMA = ContractSources.CONTRACT_SCHEMA;
    public static final String CONTRACT_UNSUPPORTED = ContractSources.CONTRACT_UNSUPPORTED;
    public static final String CONTRACT_CLASS = ContractSources.CONTRACT_CLASS;
    public static final String CONTRACT_THRESHOLDS = ContractSources.CONTRACT_THRESHOLDS;
    public static final String RULES = "rules";
    public static final String ENVELOPE = "envelope";
    public static final String ON_FAILURE = "on.failure";
    public static final String QUARANTINE_TOPIC = "quarantine.topic";
    public static final String MODE = "mode";
    public static final String HEADERS_PREFIX = "headers.prefix";
    public static final String INCLUDE_VALUES = "violations.include.values";

    public static final String TOPIC_PLACEHOLDER = "${topic}";

    enum Envelope { AUTO, DEBEZIUM, NONE }

    enum OnFailure { FAIL, QUARANTINE, TAG, DROP }

    enum Mode { ENFORCE, SHADOW }

    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern TOPIC_CHARS = Pattern.compile("[A-Za-z0-9._-]+");

    private static final String ODCS_MAPPING = "The schema object's properties become the same rules as inline "
            + "ones: required: true becomes required; logicalType a type check (integer: long, number: any number, "
            + "object: struct); logicalTypeOptions minimum, maximum, exclusiveMinimum, exclusiveMaximum a range, "
            + "minLength and maxLength (minItems and maxItems for arrays) a length, pattern a regex (RE2, whole "
            + "value), format email, uuid, ipv4, hostname or byte a regex and i8 to u64 a range; enum an in rule; "
            + "quality rules nullValues (mustBe: 0) required, invalidValues with validValues or a pattern in or "
            + "regex, custom rules with engine cel a cel rule. Nested properties are dotted paths, array items "
            + "[*]; rules are named <field>:<what>, e.g. amount:range. ";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CONTRACT_ID, Type.STRING, null, Importance.MEDIUM,
                    "The contract's identity. Stamped on every verdict as the dq.contract header "
                            + "(<id>@<version>, or <id> without a version); no dq.contract header when unset. "
                            + "Defaults to the id of the ODCS contract of contract.file or contract.text.")
            .define(CONTRACT_VERSION, Type.STRING, null, Importance.LOW,
                    "The contract's version, stamped after the id in dq.contract. Defaults to the version of the "
                            + "ODCS contract of contract.file or contract.text.")
            .define(CONTRACT_FILE, Type.STRING, null, ContractSources.odcsValidator(), Importance.HIGH,
                    "Path to an ODCS v3 data contract (YAML) on every worker. " + ODCS_MAPPING
                            + "What cannot be checked record by record (duplicateValues, rowCount, sql, unique, "
                            + "custom rules of other engines, multipleOf...) is an error naming each such rule, "
                            + "unless contract.unsupported=skip. Inline rules may be added: they run after the "
                            + "contract's. Not with contract.text or contract.class.",
                    null, -1, ConfigDef.Width.NONE, CONTRACT_FILE, ContractSources.CHECKS_TOGETHER)
            .define(CONTRACT_TEXT, Type.STRING, null, ContractSources.odcsValidator(), Importance.HIGH,
                    "The YAML text of an ODCS v3 data contract, carried in the connector configuration so that no "
                            + "file has to be copied onto every worker (in JSON, a string with \\n line breaks). "
                            + "Read exactly as contract.file; set one of the two.",
                    null, -1, ConfigDef.Width.NONE, CONTRACT_TEXT, ContractSources.CHECKS_TOGETHER)
            .define(CONTRACT_SCHEMA, Type.STRING, null, Importance.MEDIUM,
                    "The name of the schema object of the ODCS contract to enforce. Required when the contract "
                            + "has more than one.",
                    null, -1, ConfigDef.Width.NONE, CONTRACT_SCHEMA, ContractSources.CHECKS_TOGETHER)
            .define(CONTRACT_UNSUPPORTED, Type.STRING, "fail", CaseInsensitiveValidString.in("fail", "skip"),
                    Importance.MEDIUM,
                    "What to do with the rules of an ODCS contract that cannot be checked record by record. "
                            + "fail: a configuration error that names each of them. skip: enforce the rest, and "
                            + "log the skipped ones once, at WARN, when the transform is configured.")
            .define(CONTRACT_THRESHOLDS, Type.STRING, "unsupported",
                    CaseInsensitiveValidString.in("unsupported", "alert"), Importance.MEDIUM,
                    "What to do with the quality rules of an ODCS contract that allow some records to fail: "
                            + "nullValues, missingValues or invalidValues with mustBeLessThan or "
                            + "mustBeLessOrEqualTo above zero, in rows or percent (\"fewer than 5 % invalid\"). "
                            + "unsupported: like any rule that cannot be checked record by record (see "
                            + "contract.unsupported). alert: check every record against the rule's condition as a "
                            + "warn-severity rule under the rule's own name: counted in violations-total and named "
                            + "in the dq.warnings header, never failing a record. The threshold itself belongs to "
                            + "Prometheus: truthline contracts alerts turns it into an alert rule over those "
                            + "counters.")
            .define(CONTRACT_CLASS, Type.STRING, null, BeanContract.classValidator(), Importance.HIGH,
                    "Fully qualified name of a record or class annotated with Jakarta Bean Validation constraints "
                            + "(@NotNull, @Min, @Pattern, @Size, @Valid for nested objects and lists, custom "
                            + "constraints); put its jar in the Truthline plugin directory. Each record (the row "
                            + "image with a Debezium envelope) is bound to it with Jackson, snake_case field names "
                            + "to camelCase properties (customer_id fills customerId; @JsonProperty overrides), "
                            + "unknown fields ignored, and validated with Hibernate Validator. A violated "
                            + "constraint is a violation of rule bean:<Constraint> (bean:NotNull, bean:Min...) at "
                            + "the field path, e.g. items[1].qty; a value of the wrong type is a violation of "
                            + "bean:mapping. Dates, times and timestamps arrive as ISO-8601 text (for LocalDate, "
                            + "Instant...). Inline rules may be added. Not with contract.file or contract.text.",
                    null, -1, ConfigDef.Width.NONE, CONTRACT_CLASS, ContractSources.CHECKS_TOGETHER)
            .define(RULES, Type.LIST, List.of(), ConfigDef.LambdaValidator.with(
                    ValidateContractConfig::checkRuleNames, () -> "unique names of letters, digits, _ and -"),
                    Importance.HIGH,
                    "Names of the inline rules, comma-separated; each is configured under rules.<name>.* "
                            + "(rules.<name>.type, .field and the type's parameters; see the rule keys below). "
                            + "Needed unless a contract is set (contract.file, contract.text or contract.class); "
                            + "with one, the inline rules run after the contract's.")
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

    /**
     * {@code <id>@<version>}: the configured id and version, each defaulting to the ODCS contract's own.
     *
     * @param contractId      the contract document's id, or null
     * @param contractVersion the contract document's version, or null
     * @return null when there is no id
     */
    String contractLabel(String contractId, String contractVersion) {
        String id = orElse(getString(CONTRACT_ID), contractId);
        String version = orElse(getString(CONTRACT_VERSION), contractVersion);
        if (id == null) {
            return null;
        }
        return version == null ? id : id + "@" + version;
    }

    private static String orElse(String configured, String fromContract) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return fromContract == null || fromContract.isBlank() ? null : fromContract;
    }

    String contractClass() {
        String name = getString(CONTRACT_CLASS);
        return name == null || name.isBlank() ? null : name.trim();
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
                throw new KeyedConfigException(key, value, "rule name '" + name
                        + "' must be letters, digits, '_' or '-' (it becomes part of the keys rules.<name>.*)");
            }
            if (!seen.add(name)) {
                throw new KeyedConfigException(key, value, "rule name '" + name + "' is listed twice");
            }
        }
    }

    private static void checkQuarantineTopic(String key, Object value) {
        String template = (String) value;
        if (template == null || template.isBlank()) {
            throw new KeyedConfigException(key, value, "must not be empty");
        }
        String sample = template.replace(TOPIC_PLACEHOLDER, "t");
        if (!TOPIC_CHARS.matches(sample) || sample.length() > 249) {
            throw new KeyedConfigException(key, value,
                    "must be a legal topic name (letters, digits, '.', '_', '-'; ${topic} for the record's topic)");
        }
    }
}
