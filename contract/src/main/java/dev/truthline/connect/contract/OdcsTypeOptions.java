package dev.truthline.connect.contract;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * A property's {@code logicalTypeOptions}. Which options apply depends on the logical type; the
 * bounds are numbers for integer and number, strings for date, timestamp and time, so they are kept
 * as read and checked against the type by {@link OdcsChecks}.
 *
 * @param other options this model does not know, kept so that they can be reported rather than ignored
 */
public record OdcsTypeOptions(
        Object minimum,
        Object maximum,
        Object exclusiveMinimum,
        Object exclusiveMaximum,
        Object multipleOf,
        @PositiveOrZero Integer minLength,
        @PositiveOrZero Integer maxLength,
        String pattern,
        String format,
        @PositiveOrZero Integer minItems,
        @PositiveOrZero Integer maxItems,
        Boolean uniqueItems,
        @PositiveOrZero Integer minProperties,
        @PositiveOrZero Integer maxProperties,
        List<@NotBlank(message = "must not be empty") String> required,
        Boolean timezone,
        String defaultTimezone,
        @JsonAnySetter Map<String, Object> other) {

    public OdcsTypeOptions {
        other = other == null ? Map.of() : Map.copyOf(other);
    }
}
