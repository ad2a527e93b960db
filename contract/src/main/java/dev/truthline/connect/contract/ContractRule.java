package dev.truthline.connect.contract;

import java.math.BigDecimal;
import java.util.List;

/**
 * One record-level check a contract asks for, in the terms of Truthline's inline rules: the
 * ValidateContract SMT builds the very same rule objects from it as from {@code rules.<name>.*}.
 *
 * @param name    the rule's name in verdicts and metrics, {@code <field>:<what>}, e.g. {@code amount:range}
 * @param element the contract element it comes from, e.g. {@code schema[0].properties[2].logicalTypeOptions}
 * @param source  which kind of ODCS element that is
 * @param field   the field path it checks ({@code items[*].sku}); empty for expressions over the whole record
 * @param check   what it checks
 * @param warning whether a failure is only a warning (quality rules with severity warning or info)
 */
public record ContractRule(String name, String element, Source source, String field, Check check, boolean warning) {

    /** The kind of ODCS element a rule comes from: where {@link #element()} points. */
    public enum Source {
        /** {@code required: true}, or the parent's {@code logicalTypeOptions.required}. */
        REQUIRED,
        /** {@code primaryKey: true}: a key is always there. */
        PRIMARY_KEY,
        /** {@code logicalType}. */
        LOGICAL_TYPE,
        /** The bounds or lengths of {@code logicalTypeOptions}; the element is the options object. */
        OPTIONS,
        /** {@code logicalTypeOptions.pattern}. */
        PATTERN,
        /** {@code logicalTypeOptions.format}: a number format's range or a string format's pattern. */
        FORMAT,
        /** {@code enum} (ODCS v3.2.0). */
        ENUM,
        /** A quality rule; the element is the rule. */
        QUALITY,
        /** The implementation of a custom quality rule (CEL). */
        IMPLEMENTATION
    }

    /** What a rule checks. */
    public sealed interface Check permits Required, Type, Range, Length, Regex, In, Cel {
    }

    /**
     * The field is present and not null. A nested field is required only where its parent object is
     * there: with {@code within = customer}, a record without a customer passes.
     *
     * @param within the path of the object the field belongs to; null for a top-level field
     */
    public record Required(String within) implements Check {
    }

    /**
     * @param expected the type, as the inline {@code type} rule names it ({@code integer}, {@code number}...)
     * @param isoText  whether a date, time or timestamp may also be ISO-8601 text, the standard's default format
     */
    public record Type(String expected, boolean isoText) implements Check {
    }

    /** A number within bounds; either may be absent, and each is inclusive unless marked exclusive. */
    public record Range(BigDecimal min, boolean minExclusive, BigDecimal max, boolean maxExclusive) implements Check {
    }

    /** The length of a string (code points) or the size of an array within bounds; either may be absent. */
    public record Length(Integer min, Integer max) implements Check {
    }

    /**
     * A string matches an RE2 pattern.
     *
     * @param message what to report instead of the pattern itself (for formats such as email); null for the default
     * @param search  whether the pattern may match anywhere in the value, as JSON Schema's {@code pattern} (and so
     *                ODCS's) does; false for a match of the whole value
     */
    public record Regex(String pattern, String message, boolean search) implements Check {
    }

    /**
     * The value is one of these (or, {@code negated}, none of them). Each value keeps its type as written in
     * the contract: a string, a number ({@link BigDecimal}) or a boolean, and matches only values of its type.
     */
    public record In(List<Object> values, boolean negated) implements Check {
        public In {
            values = List.copyOf(values);
        }

        /** The values as text, for messages and comparisons. */
        public List<String> texts() {
            return values.stream().map(v -> v instanceof BigDecimal ? ((BigDecimal) v).toPlainString()
                    : String.valueOf(v)).toList();
        }
    }

    /** A CEL expression over the record that is true when it is valid. */
    public record Cel(String expression) implements Check {
    }
}
