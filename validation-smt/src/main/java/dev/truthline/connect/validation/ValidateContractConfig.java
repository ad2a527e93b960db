package dev.truthline.connect.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import com.google.re2j.Pattern;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.config.ClientKeys;

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
    public static final String DEAD_LETTER_PREFIX = "dead.letter.";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    public static final String DEAD_LETTER_BOOTSTRAP_SERVERS = "dead.letter.bootstrap.servers";
    public static final String DEAD_LETTER_TIMEOUT_MS = "dead.letter.timeout.ms";
    public static final String DEAD_LETTER_KEY_CONVERTER = "dead.letter.key.converter";
    public static final String DEAD_LETTER_VALUE_CONVERTER = "dead.letter.value.converter";
    public static final String DEAD_LETTER_HEADER_CONVERTER = "dead.letter.header.converter";

    /** The dead-letter producer's keys: every other dead.letter.<name> goes to it as <name>; its secrets are passwords. */
    static final ClientKeys DEAD_LETTER_CLIENT = new ClientKeys(DEAD_LETTER_PREFIX, Set.of("topic", "timeout.ms"));

    public static final String TOPIC_PLACEHOLDER = "${topic}";

    enum Envelope { AUTO, DEBEZIUM, NONE }

    enum OnFailure { FAIL, QUARANTINE, TAG, DROP, DEAD_LETTER }

    enum Mode { ENFORCE, SHADOW }

    private static final String DEAD_LETTER_GROUP = "Dead letters (on.failure=dead_letter)";

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
            .define(ON_FAILURE, Type.STRING, "fail", CaseInsensitiveValidString.in("fail", "quarantine", "tag", "drop",
                            "dead_letter"),
                    Importance.HIGH,
                    "What to do with an invalid record. fail: throw a DataException naming the failed rules, "
                            + "so Connect's error handling (errors.tolerance, the sink DLQ) takes it; quarantine: "
                            + "route it to quarantine.topic with its dq.* headers; tag: only add the headers and "
                            + "let it continue; drop: discard it (counted in records-dropped); dead_letter (sink "
                            + "connectors): write it to dead.letter.topic with Connect's context headers and wait "
                            + "for the brokers' acknowledgement before it leaves the chain, so no offset after it "
                            + "is committed before the DLQ has it (Connect's own DLQ does not wait: a worker that "
                            + "dies in between loses the record).")
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
                            + "violations header. Off by default: payload values may be personal data.")
            .define(DEAD_LETTER_TOPIC, Type.STRING, "", Importance.HIGH,
                    "on.failure=dead_letter: the dead-letter topic (the connector's "
                            + "errors.deadletterqueue.topic.name, so converter failures and rejected records are in one "
                            + "place; Connect creates that topic when a task starts).", DEAD_LETTER_GROUP, 1,
                    ConfigDef.Width.MEDIUM, "Dead-letter topic")
            .define(DEAD_LETTER_BOOTSTRAP_SERVERS, Type.STRING, "", Importance.HIGH,
                    "on.failure=dead_letter: the brokers of the dead-letter topic (host:port, comma-separated; a "
                            + "${env:...} reference works). Every other dead.letter.<name> key is passed to the "
                            + "producer as <name> (security.protocol, sasl.mechanism, ...); it writes with acks=all and "
                            + "idempotence unless told otherwise.", DEAD_LETTER_GROUP, 2, ConfigDef.Width.LONG,
                    "Dead-letter brokers")
            .define(DEAD_LETTER_TIMEOUT_MS, Type.LONG, 120_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Longest wait for the brokers to acknowledge one dead letter, in milliseconds. When it passes, "
                            + "the task stops (an error Connect does not tolerate) before the record's offset is "
                            + "committed; once restarted, it is handed the record again. Keep it below the sink's "
                            + "max.poll.interval.ms.", DEAD_LETTER_GROUP, 3, ConfigDef.Width.SHORT, "Dead-letter timeout")
            .define(DEAD_LETTER_KEY_CONVERTER, Type.STRING, ClientKeys.JSON_CONVERTER, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "Converter that writes the dead letter's key: the connector's key.converter "
                            + "(its settings as dead.letter.key.converter.<name>, e.g. schemas.enable; JsonConverter's "
                            + "default is schemas.enable=true, as the worker's), so the dead letter holds the bytes "
                            + "the record came with.", DEAD_LETTER_GROUP, 4, ConfigDef.Width.LONG,
                    "Dead-letter key converter")
            .define(DEAD_LETTER_VALUE_CONVERTER, Type.STRING, ClientKeys.JSON_CONVERTER, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "Converter that writes the dead letter's value: the connector's "
                            + "value.converter (settings as dead.letter.value.converter.<name>).", DEAD_LETTER_GROUP, 5,
                    ConfigDef.Width.LONG, "Dead-letter value converter")
            .define(DEAD_LETTER_HEADER_CONVERTER, Type.STRING, ClientKeys.SIMPLE_HEADER_CONVERTER,
                    new ConfigDef.NonEmptyString(), Importance.LOW, "Converter that writes the record's own headers: "
                            + "the connector's header.converter.", DEAD_LETTER_GROUP, 6, ConfigDef.Width.LONG,
                    "Dead-letter header converter");

    static {
        DEAD_LETTER_CLIENT.defineSecrets(CONFIG_DEF, "dead-letter producer", DEAD_LETTER_GROUP, 7);
    }

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

    /**
     * The dead-letter writer of on.failure=dead_letter, its producer made by {@code producers} from the producer
     * properties; names the missing key when the topic or the brokers are unset.
     */
    DeadLetterWriter deadLetterWriter(Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        for (String key : List.of(DEAD_LETTER_TOPIC, DEAD_LETTER_BOOTSTRAP_SERVERS)) {
            if (getString(key).isBlank()) {
                throw new KeyedConfigException(key, getString(key), "is required with " + ON_FAILURE + "=dead_letter");
            }
        }
        return new DeadLetterWriter(getString(DEAD_LETTER_TOPIC).trim(), DEAD_LETTER_CLIENT.clientProperties(this),
                ClientKeys.converter(this, DEAD_LETTER_KEY_CONVERTER, true),
                ClientKeys.converter(this, DEAD_LETTER_VALUE_CONVERTER, false),
                ClientKeys.headerConverter(this, DEAD_LETTER_HEADER_CONVERTER), getLong(DEAD_LETTER_TIMEOUT_MS),
                producers);
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
