package dev.truthline.connect.contract;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Pattern;

/**
 * One quality rule of a property or schema object. ODCS v3.1 names library metrics with
 * {@code metric} and passes their parameters in {@code arguments}; v3.0 used {@code rule} and put
 * {@code validValues} beside it. Both forms are read.
 *
 * @param id             a stable identifier; names the compiled rule when set
 * @param type           library (the default), text, sql or custom
 * @param metric         the library metric: nullValues, invalidValues, missingValues, duplicateValues, rowCount
 * @param rule           the v3.0 name of {@code metric}
 * @param arguments      the metric's arguments (validValues, pattern, missingValues, properties)
 * @param validValues    v3.0: the valid values of a validValues/invalidValues rule
 * @param pattern        a pattern beside the rule rather than in its arguments
 * @param engine         the engine of a custom rule; {@code cel} rules run in-stream
 * @param implementation the custom rule itself (for cel: the expression)
 * @param severity       error (default), warning or info; warning and info make a failure a warning
 */
@OdcsChecks
public record OdcsQuality(
        String id,
        String name,
        String description,
        @Pattern(regexp = "text|library|sql|custom", message = "must be one of text, library, sql or custom")
        String type,
        String metric,
        String rule,
        Map<String, Object> arguments,
        List<Object> validValues,
        String pattern,
        Object mustBe,
        Object mustNotBe,
        BigDecimal mustBeGreaterThan,
        BigDecimal mustBeGreaterOrEqualTo,
        BigDecimal mustBeLessThan,
        BigDecimal mustBeLessOrEqualTo,
        List<BigDecimal> mustBeBetween,
        List<BigDecimal> mustNotBeBetween,
        String unit,
        String query,
        String engine,
        Object implementation,
        String severity) {

    static final String LIBRARY = "library";
    static final String TEXT = "text";
    static final String SQL = "sql";
    static final String CUSTOM = "custom";

    /** The rule type, {@code library} when the document leaves it out. */
    String typeOrDefault() {
        return type == null ? LIBRARY : type;
    }

    /** The library metric, by its v3.1 or its v3.0 key. */
    String metricName() {
        return metric != null ? metric : rule;
    }

    /** The valid values, from the arguments (v3.1) or beside the rule (v3.0); null when there are none. */
    Object validValuesArgument() {
        Object inArguments = arguments == null ? null : arguments.get("validValues");
        return inArguments != null ? inArguments : validValues;
    }

    /** The pattern, from the arguments (v3.1) or beside the rule; null when there is none. */
    Object patternArgument() {
        Object inArguments = arguments == null ? null : arguments.get("pattern");
        return inArguments != null ? inArguments : pattern;
    }

    /** Whether the key that holds {@link #patternArgument()} is in the arguments. */
    boolean patternInArguments() {
        return arguments != null && arguments.get("pattern") != null;
    }

    /** Whether the key that holds {@link #validValuesArgument()} is in the arguments. */
    boolean validValuesInArguments() {
        return arguments != null && arguments.get("validValues") != null;
    }
}
