package dev.truthline.connect.validation.contract;

import java.math.BigDecimal;
import java.util.List;

/**
 * One record-level check a contract asks for, in the terms of Truthline's inline rules: the
 * ValidateContract SMT builds the very same rule objects from it as from {@code rules.<name>.*}.
 *
 * @param name    the rule's name in verdicts and metrics, {@code <field>:<what>}, e.g. {@code amount:range}
 * @param element the contract element it comes from, e.g. {@code schema[0].properties[2].logicalTypeOptions}
 * @param field   the field path it checks ({@code items[*].sku}); empty for expressions over the whole record
 * @param check   what it checks
 * @param warning whether a failure is only a warning (quality rules with severity warning or info)
 */
public record ContractRule(String name, String element, String field, Check check, boolean warning) {

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

    /** @param expected the type, as the inline {@code type} rule names it ({@code long}, {@code number}...) */
    public record Type(String expected) implements Check {
    }

    /** A number within bounds; either may be absent, and each is inclusive unless marked exclusive. */
    public record Range(BigDecimal min, boolean minExclusive, BigDecimal max, boolean maxExclusive) implements Check {
    }

    /** The length of a string (code points) or the size of an array within bounds; either may be absent. */
    public record Length(Integer min, Integer max) implements Check {
    }

    /**
     * The whole string matches an RE2 pattern.
     *
     * @param message what to report instead of the pattern itself (for formats such as email); null for the default
     */
    public record Regex(String pattern, String message) implements Check {
    }

    /** The value is one of these, compared as the inline {@code in} rule compares. */
    public record In(List<String> values) implements Check {
        public In {
            values = List.copyOf(values);
        }
    }

    /** A CEL expression over the record that is true when it is valid. */
    public record Cel(String expression) implements Check {
    }
}
