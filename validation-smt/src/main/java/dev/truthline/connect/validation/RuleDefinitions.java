package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.config.KeyedConfig;
import dev.truthline.connect.validation.contract.ContractRule;

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

    /** Rule types, as written in {@code rules.<name>.type}. */
    enum RuleType {
        REQUIRED(FIELD),
        TYPE(FIELD, EXPECTED),
        RANGE(FIELD, MIN, MAX, MIN_EXCLUSIVE, MAX_EXCLUSIVE),
        REGEX(FIELD, PATTERN),
        IN(FIELD, VALUES, IGNORE_CASE),
        LENGTH(FIELD, MIN, MAX),
        ISO_COUNTRY(FIELD),
        ISO_CURRENCY(FIELD),
        CEL(EXPR);

        /** The parameters this type takes, besides {@code type}, {@code message} and {@code severity}. */
        final Set<String> parameters;

        RuleType(String... parameters) {
            this.parameters = Set.of(parameters);
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The keys of one rule, without the {@code rules.<name>.} prefix. Used for parsing and for the docs. */
    static final ConfigDef RULE_CONFIG_DEF = new ConfigDef()
            .define(TYPE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    CaseInsensitiveValidString.in(labels(RuleType.values())), Importance.HIGH,
                    "The rule type: required, type, range, regex, in, length, iso_country, iso_currency or cel.")
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
                    "type: the expected type, one of string, int, long, float, double, number, boolean, bytes, "
                            + "struct, map, array, decimal, date, time, timestamp. Integers count as long (and as int "
                            + "within 32 bits), any non-decimal number as float or double, any number at all (decimals "
                            + "included) as number; date, time, timestamp and decimal need a schema.")
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

    private static String[] labels(RuleType[] types) {
        return Arrays.stream(types).map(RuleType::label).toArray(String[]::new);
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
        checkNoStrayRuleKeys(names, originals);
        List<Rule> rules = new ArrayList<>(names.size());
        for (String name : names) {
            rules.add(compileOne(name, originals));
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

    private static Rule compileOne(String name, Map<String, ?> originals) {
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
            def.define(prefix + key.name, key.type, key.defaultValue, key.validator, key.importance, key.documentation);
        }
        // Keyed: a bad value's error names its rule key as data (REST validation and lint report it there).
        AbstractConfig config = new KeyedConfig(def, own);

        RuleType type = RuleType.valueOf(config.getString(prefix + TYPE).toUpperCase(Locale.ROOT));
        for (String parameter : RULE_CONFIG_DEF.names()) {
            if (own.containsKey(prefix + parameter) && !type.parameters.contains(parameter)
                    && !parameter.equals(TYPE) && !parameter.equals(MESSAGE) && !parameter.equals(SEVERITY)) {
                throw new KeyedConfigException(prefix + parameter, own.get(prefix + parameter),
                        "is not a parameter of rule type " + type.label() + ", which takes "
                                + type.parameters.stream().sorted().collect(Collectors.toList()));
            }
        }
        Severity severity = Severity.valueOf(config.getString(prefix + SEVERITY).toUpperCase(Locale.ROOT));
        String message = config.getString(prefix + MESSAGE);

        if (type == RuleType.CEL) {
            String expr = required(config, prefix, EXPR);
            try {
                return CelRule.compile(name, severity, message, expr);
            } catch (IllegalArgumentException e) {
                throw new KeyedConfigException(prefix + EXPR, expr, "CEL expression does not compile: " + e.getMessage());
            }
        }

        String fieldText = required(config, prefix, FIELD);
        FieldPath path;
        try {
            path = FieldPath.parse(fieldText);
        } catch (IllegalArgumentException e) {
            throw new KeyedConfigException(prefix + FIELD, fieldText, e.getMessage());
        }

        switch (type) {
            case REQUIRED:
                return new RequiredRule(name, path, severity, message);
            case TYPE:
                String expected = required(config, prefix, EXPECTED);
                return new TypeRule(name, path, severity, message,
                        TypeRule.Expected.valueOf(expected.toUpperCase(Locale.ROOT)));
            case RANGE: {
                BigDecimal min = number(config, prefix, MIN);
                BigDecimal max = number(config, prefix, MAX);
                boolean minExclusive = config.getBoolean(prefix + MIN_EXCLUSIVE);
                boolean maxExclusive = config.getBoolean(prefix + MAX_EXCLUSIVE);
                requireABound(prefix, min, max);
                if (min != null && max != null && min.compareTo(max) > 0) {
                    throw new KeyedConfigException(prefix + MIN, config.getString(prefix + MIN),
                            "min must not be greater than max (" + max.toPlainString() + ")");
                }
                if (min != null && max != null && min.compareTo(max) == 0 && (minExclusive || maxExclusive)) {
                    throw new KeyedConfigException(prefix + MIN, config.getString(prefix + MIN),
                            "min equals max (" + max.toPlainString() + ") and a bound is exclusive: no value is in range");
                }
                if (minExclusive && min == null) {
                    throw new KeyedConfigException(prefix + MIN_EXCLUSIVE, true, "there is no min to make exclusive");
                }
                if (maxExclusive && max == null) {
                    throw new KeyedConfigException(prefix + MAX_EXCLUSIVE, true, "there is no max to make exclusive");
                }
                return new RangeRule(name, path, severity, message, min, minExclusive, max, maxExclusive);
            }
            case LENGTH: {
                Integer min = length(config, prefix, MIN);
                Integer max = length(config, prefix, MAX);
                requireABound(prefix, min, max);
                if (min != null && max != null && min > max) {
                    throw new KeyedConfigException(prefix + MIN, config.getString(prefix + MIN),
                            "min must not be greater than max (" + max + ")");
                }
                return new LengthRule(name, path, severity, message, min, max);
            }
            case REGEX: {
                String pattern = required(config, prefix, PATTERN);
                try {
                    return new RegexRule(name, path, severity, message, Pattern.compile(pattern));
                } catch (PatternSyntaxException e) {
                    throw new KeyedConfigException(prefix + PATTERN, pattern,
                            "not a valid RE2 regular expression: " + e.getMessage());
                }
            }
            case IN: {
                List<String> values = config.getList(prefix + VALUES);
                if (values == null || values.isEmpty()) {
                    throw new KeyedConfigException(prefix + VALUES, values, "an 'in' rule needs at least one value");
                }
                return new InRule(name, path, severity, message, values, config.getBoolean(prefix + IGNORE_CASE));
            }
            case ISO_COUNTRY:
                return IsoCodeRule.country(name, path, severity, message);
            case ISO_CURRENCY:
                return IsoCodeRule.currency(name, path, severity, message);
            default:
                throw new IllegalStateException("unhandled rule type " + type);
        }
    }

    /**
     * Builds a rule a contract asks for: the same rule classes, with the same semantics, as the inline rule
     * of that type.
     *
     * @throws IllegalArgumentException saying why the rule cannot be built (a field path, pattern or
     *                                  expression that does not compile)
     */
    static Rule fromContract(ContractRule rule) {
        String name = rule.name();
        Severity severity = rule.warning() ? Severity.WARN : Severity.ERROR;
        ContractRule.Check check = rule.check();
        if (check instanceof ContractRule.Cel) {
            try {
                return CelRule.compile(name, severity, null, ((ContractRule.Cel) check).expression());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CEL expression does not compile: " + e.getMessage(), e);
            }
        }
        FieldPath path = FieldPath.parse(rule.field());
        if (check instanceof ContractRule.Required) {
            String within = ((ContractRule.Required) check).within();
            return new RequiredRule(name, path, severity, null, within == null ? null : FieldPath.parse(within));
        }
        if (check instanceof ContractRule.Type) {
            String expected = ((ContractRule.Type) check).expected();
            return new TypeRule(name, path, severity, null, TypeRule.Expected.valueOf(expected.toUpperCase(Locale.ROOT)));
        }
        if (check instanceof ContractRule.Range) {
            ContractRule.Range range = (ContractRule.Range) check;
            return new RangeRule(name, path, severity, null, range.min(), range.minExclusive(), range.max(),
                    range.maxExclusive());
        }
        if (check instanceof ContractRule.Length) {
            ContractRule.Length length = (ContractRule.Length) check;
            return new LengthRule(name, path, severity, null, length.min(), length.max());
        }
        if (check instanceof ContractRule.Regex) {
            ContractRule.Regex regex = (ContractRule.Regex) check;
            try {
                return new RegexRule(name, path, severity, regex.message(), Pattern.compile(regex.pattern()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("not a valid RE2 regular expression: " + e.getMessage(), e);
            }
        }
        if (check instanceof ContractRule.In) {
            return new InRule(name, path, severity, null, ((ContractRule.In) check).values(), false);
        }
        throw new IllegalStateException("unhandled contract check " + check);
    }

    private static String required(AbstractConfig config, String prefix, String parameter) {
        String value = config.getString(prefix + parameter);
        if (value == null || value.isBlank()) {
            throw new KeyedConfigException(prefix + parameter, value, "is required for rule type "
                    + config.getString(prefix + TYPE).toLowerCase(Locale.ROOT));
        }
        return value;
    }

    private static void requireABound(String prefix, Object min, Object max) {
        if (min == null && max == null) {
            throw new KeyedConfigException(prefix + MIN, null, "set min, max or both");
        }
    }

    private static BigDecimal number(AbstractConfig config, String prefix, String parameter) {
        String text = config.getString(prefix + parameter);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new KeyedConfigException(prefix + parameter, text, "not a number");
        }
    }

    private static Integer length(AbstractConfig config, String prefix, String parameter) {
        String text = config.getString(prefix + parameter);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 0) {
                throw new KeyedConfigException(prefix + parameter, text, "a length must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new KeyedConfigException(prefix + parameter, text, "not a non-negative integer");
        }
    }
}
