package dev.truthline.connect.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.config.KeyedConfig;

/**
 * The inline rules of a contract: {@code rules} names them, and each is configured under
 * {@code rules.<name>.*} with the keys of {@link #RULE_CONFIG_DEF}. Every mistake is a
 * {@link ConfigException} that names the full key.
 */
final class RuleDefinitions {

    static final String RULES_PREFIX = "rules.";

    static final String TYPE = "type";
    static final String FIELD = "field";
    static final String MIN = "min";
    static final String MAX = "max";
    static final String MIN_EXCLUSIVE = "min.exclusive";
    static final String MAX_EXCLUSIVE = "max.exclusive";
    static final String PATTERN = "pattern";
    static final String VALUES = "values";
    static final String IGNORE_CASE = "ignore.case";
    static final String EXPECTED = "expected";
    static final String EXPR = "expr";
    static final String MESSAGE = "message";
    static final String SEVERITY = "severity";

    /** The keys of one rule, without the {@code rules.<name>.} prefix. Used for parsing and for the docs. */
    static final ConfigDef RULE_CONFIG_DEF = new ConfigDef()
            .define(TYPE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    CaseInsensitiveValidString.in(labels(RuleType.all())), Importance.HIGH,
                    "The rule type: " + either(labels(RuleType.all())) + ".")
            .define(FIELD, Type.STRING, null, Importance.HIGH,
                    "The field the rule checks (every type but cel): dots for nesting, [*] for every element of an "
                            + "array, e.g. customer.address.country or items[*].qty. Except for required, a rule "
                            + "passes when its field is absent or null.")
            .define(MIN, Type.STRING, null, Importance.MEDIUM,
                    "range: the smallest allowed number (integers, decimals; inclusive unless min.exclusive). length: "
                            + "the smallest allowed length (a non-negative integer).")
            .define(MAX, Type.STRING, null, Importance.MEDIUM,
                    "range: the largest allowed number (inclusive unless max.exclusive). length: the largest allowed "
                            + "length.")
            .define(MIN_EXCLUSIVE, Type.BOOLEAN, false, Importance.LOW,
                    "range: true makes min exclusive, so the value must be greater than min.")
            .define(MAX_EXCLUSIVE, Type.BOOLEAN, false, Importance.LOW,
                    "range: true makes max exclusive, so the value must be less than max.")
            .define(PATTERN, Type.STRING, null, Importance.MEDIUM,
                    "regex: an RE2 regular expression the whole string value must match (linear-time matching; "
                            + "no backreferences or lookaround). Use (?i) for a case-insensitive match.")
            .define(VALUES, Type.LIST, null, Importance.MEDIUM,
                    "in: the allowed values, comma-separated. Numbers and booleans compare by their text form.")
            .define(IGNORE_CASE, Type.BOOLEAN, false, Importance.LOW,
                    "in: compare strings ignoring case.")
            .define(EXPECTED, Type.STRING, null,
                    nullOr(CaseInsensitiveValidString.in(typeLabels())),
                    Importance.MEDIUM,
                    "type: the expected type, one of string, int, long, integer, float, double, number, boolean, "
                            + "bytes, struct, map, array, decimal, date, time, timestamp. Integers count as long (and as "
                            + "int within 32 bits), any number without a fractional part, of any size, as integer (1005.0 "
                            + "too, as in JSON Schema), any non-decimal number as float or double, any number at all "
                            + "(decimals included) as number; date, time, timestamp and decimal need a schema.")
            .define(EXPR, Type.STRING, null, Importance.MEDIUM,
                    "cel: a CEL expression that is true for a valid record. Variables: value (the record value, or "
                            + "the Debezium row image, as a map), key, headers (name to last value) and topic. "
                            + "Example: value.amount > 0 && value.currency in ['EUR', 'USD'].")
            .define(MESSAGE, Type.STRING, null, Importance.LOW,
                    "A message to report instead of the rule's own when the rule fails.")
            .define(SEVERITY, Type.STRING, "error", CaseInsensitiveValidString.in("error", "warn"), Importance.LOW,
                    "error: a failure makes the record invalid. warn: a failure is tagged and counted, and the "
                            + "record stays valid.");

    private RuleDefinitions() {
    }

    /** Lets an optional key stay unset while checking any value it is given. */
    static ConfigDef.Validator nullOr(ConfigDef.Validator validator) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null) {
                validator.ensureValid(name, value);
            }
        }, validator::toString);
    }

    /** {@code a, b or c}. */
    private static String either(String[] labels) {
        return String.join(", ", Arrays.copyOf(labels, labels.length - 1)) + " or " + labels[labels.length - 1];
    }

    private static String[] labels(List<RuleType> types) {
        return types.stream().map(RuleType::label).toArray(String[]::new);
    }

    private static String[] typeLabels() {
        return Arrays.stream(TypeRule.Expected.values()).map(TypeRule.Expected::label).toArray(String[]::new);
    }

    /**
     * Compiles the rules named in {@code names} from the connector's {@code originals}.
     *
     * @throws ConfigException naming the full key of the first mistake
     */
    static List<Rule> compile(List<String> names, Map<String, ?> originals) {
        return compile(names, originals, RuleType.all());
    }

    /** As {@link #compile(List, Map)}, with the given rule types (a test adds one of its own). */
    static List<Rule> compile(List<String> names, Map<String, ?> originals, List<RuleType> types) {
        checkNoStrayRuleKeys(names, originals);
        List<Rule> rules = new ArrayList<>(names.size());
        for (String name : names) {
            rules.add(compileOne(name, originals, types));
        }
        return Collections.unmodifiableList(rules);
    }

    private static void checkNoStrayRuleKeys(List<String> names, Map<String, ?> originals) {
        for (String key : originals.keySet()) {
            if (!key.startsWith(RULES_PREFIX)) {
                continue;
            }
            String rest = key.substring(RULES_PREFIX.length());
            String ruleName = names.stream().filter(n -> rest.startsWith(n + ".")).findFirst().orElse(null);
            if (ruleName == null) {
                throw new KeyedConfigException(key, originals.get(key),
                        "configures a rule that is not listed in 'rules' " + names);
            }
            String parameter = rest.substring(ruleName.length() + 1);
            if (!RULE_CONFIG_DEF.configKeys().containsKey(parameter)) {
                throw new KeyedConfigException(key, originals.get(key), "unknown rule parameter '" + parameter
                        + "'; a rule takes " + new TreeSet<>(RULE_CONFIG_DEF.names()));
            }
        }
    }

    private static Rule compileOne(String name, Map<String, ?> originals, List<RuleType> types) {
        String prefix = RULES_PREFIX + name + ".";
        Map<String, Object> own = new HashMap<>();
        for (Map.Entry<String, ?> e : originals.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                own.put(e.getKey(), e.getValue());
            }
        }
        // Defining the rule keys under their full names makes every parse and validator error name the
        // full key (ConfigDef.embed would hand validators the unprefixed name).
        ConfigDef def = new ConfigDef();
        for (ConfigDef.ConfigKey key : RULE_CONFIG_DEF.configKeys().values()) {
            ConfigDef.Validator validator = key.name.equals(TYPE) ? CaseInsensitiveValidString.in(labels(types))
                    : key.validator;
            def.define(prefix + key.name, key.type, key.defaultValue, validator, key.importance, key.documentation);
        }
        // Keyed: a bad value's error names its rule key as data (REST validation and lint report it there).
        AbstractConfig config = new KeyedConfig(def, own);

        String label = config.getString(prefix + TYPE).toLowerCase(Locale.ROOT);
        RuleType type = types.stream().filter(t -> t.label().equals(label)).findFirst()
                .orElseThrow(() -> new KeyedConfigException(prefix + TYPE, label, "no such rule type; there are "
                        + types.stream().map(RuleType::label).toList()));
        for (String parameter : RULE_CONFIG_DEF.names()) {
            if (own.containsKey(prefix + parameter) && !type.parameters().contains(parameter)
                    && !parameter.equals(TYPE) && !parameter.equals(MESSAGE) && !parameter.equals(SEVERITY)) {
                throw new KeyedConfigException(prefix + parameter, own.get(prefix + parameter),
                        "is not a parameter of rule type " + type.label() + ", which takes "
                                + type.parameters().stream().sorted().collect(Collectors.toList()));
            }
        }
        RuleSeverity severity = RuleSeverity.valueOf(config.getString(prefix + SEVERITY).toUpperCase(Locale.ROOT));
        String message = config.getString(prefix + MESSAGE);
        return type.fromConfig(new RuleConfig(name, prefix, config, severity, message));
    }

    /**
     * Builds a rule a contract asks for: the same rule classes, with the same semantics, as the inline rule
     * of that type.
     *
     * @throws IllegalArgumentException saying why the rule cannot be built (a field path, pattern or
     *                                  expression that does not compile)
     */
    static Rule fromContract(ContractRule rule) {
        RuleSeverity severity = rule.warning() ? RuleSeverity.WARN : RuleSeverity.ERROR;
        for (RuleType type : RuleType.all()) {
            if (type.enforces(rule.check())) {
                return type.fromContract(rule, severity);
            }
        }
        throw new IllegalStateException("no rule type enforces " + rule.check());
    }
}
