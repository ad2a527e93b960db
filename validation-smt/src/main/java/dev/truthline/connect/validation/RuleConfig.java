package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.config.AbstractConfig;

import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * The keys of one inline rule, {@code rules.<name>.*}, as its {@link RuleType} reads them: every mistake is
 * a {@link KeyedConfigException} that names the full key.
 */
final class RuleConfig {

    private final String name;
    private final String prefix;
    private final AbstractConfig config;
    private final RuleSeverity severity;
    private final String message;

    RuleConfig(String name, String prefix, AbstractConfig config, RuleSeverity severity, String message) {
        this.name = name;
        this.prefix = prefix;
        this.config = config;
        this.severity = severity;
        this.message = message;
    }

    String name() {
        return name;
    }

    RuleSeverity severity() {
        return severity;
    }

    /** The message to report instead of the rule's own, or null. */
    String message() {
        return message;
    }

    /** The full key of a parameter, {@code rules.<name>.<parameter>}. */
    String key(String parameter) {
        return prefix + parameter;
    }

    String string(String parameter) {
        return config.getString(prefix + parameter);
    }

    boolean bool(String parameter) {
        return config.getBoolean(prefix + parameter);
    }

    List<String> list(String parameter) {
        return config.getList(prefix + parameter);
    }

    /** A parameter the rule type cannot do without. */
    String required(String parameter) {
        String value = config.getString(prefix + parameter);
        if (value == null || value.isBlank()) {
            throw new KeyedConfigException(prefix + parameter, value, "is required for rule type "
                    + config.getString(prefix + RuleDefinitions.TYPE).toLowerCase(Locale.ROOT));
        }
        return value;
    }

    /** The field the rule checks. */
    FieldPath field() {
        String text = required(RuleDefinitions.FIELD);
        try {
            return FieldPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KeyedConfigException(prefix + RuleDefinitions.FIELD, text, e.getMessage());
        }
    }

    BigDecimal number(String parameter) {
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

    Integer length(String parameter) {
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

    /** Fails unless min, max or both are set. */
    void requireABound(Object min, Object max) {
        if (min == null && max == null) {
            throw new KeyedConfigException(prefix + RuleDefinitions.MIN, null, "set min, max or both");
        }
    }
}
