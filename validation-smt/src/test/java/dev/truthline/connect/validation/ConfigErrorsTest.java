package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.Records.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every configuration mistake is a {@link ConfigException} whose message names the full key
 * ({@code Invalid value <v> for configuration <key>: <why>}); the static keys are also caught by
 * {@link ValidateContract#CONFIG_DEF}'s validators, which is what Connect's config/validate endpoint runs.
 */
class ConfigErrorsTest {

    private static final String ONE_OF = "String must be one of (case insensitive): ";
    private static final String RULE_TYPES = "REQUIRED, TYPE, RANGE, REGEX, IN, LENGTH, ISO_COUNTRY, ISO_CURRENCY, CEL";
    private static final String EXPECTED_TYPES =
            "STRING, INT, LONG, INTEGER, FLOAT, DOUBLE, NUMBER, BOOLEAN, BYTES, STRUCT, MAP, ARRAY, DECIMAL, DATE, TIME, TIMESTAMP";
    private static final String ILLEGAL_TOPIC =
            "must be a legal topic name (letters, digits, '.', '_', '-'; ${topic} for the record's topic)";

    /** The exception that configuring the SMT with {@code props} throws (fails the test when none is thrown). */
    private static ConfigException configError(Map<String, String> props) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ValidateContract.Value<SinkRecord>().configure(props));
        assertThat(e).as("configuring with %s must fail", props).isNotNull();
        return e;
    }

    /** One rule {@code x}: {@code rules=x} plus the given {@code rules.x.*} parameters (names without prefix). */
    private static Map<String, String> ruleX(String... parametersAndValues) {
        Map<String, String> props = props("rules", "x");
        for (int i = 0; i < parametersAndValues.length; i += 2) {
            props.put("rules.x." + parametersAndValues[i], parametersAndValues[i + 1]);
        }
        return props;
    }

    /** A valid one-rule configuration plus the given static keys. */
    private static Map<String, String> validWith(String... keysAndValues) {
        Map<String, String> props = ruleX("type", "required", "field", "id");
        props.putAll(props(keysAndValues));
        return props;
    }

    /**
     * Asserts a "must be one of" message exactly, up to the order of the options (Kafka lists them from
     * a hash set).
     */
    private static void assertOneOf(String message, String prefix, String options) {
        assertThat(message).startsWith(prefix + ONE_OF);
        Set<String> actual = new TreeSet<>(Arrays.asList(message.substring((prefix + ONE_OF).length()).split(", ")));
        assertThat(actual).isEqualTo(new TreeSet<>(Arrays.asList(options.split(", "))));
    }

    // ==================================================================================== rule type and fields

    @ParameterizedTest
    @ValueSource(strings = {"nope", "regexp", "not_null"})
    void unknownRuleType(String type) {
        ConfigException e = configError(ruleX("type", type, "field", "a"));
        assertOneOf(e.getMessage(), "Invalid value " + type + " for configuration rules.x.type: ", RULE_TYPES);
    }

    @Test
    void blankRuleType() {
        ConfigException e = configError(ruleX("type", " ", "field", "a"));
        assertOneOf(e.getMessage(), "Invalid value  for configuration rules.x.type: ", RULE_TYPES);
    }

    @Test
    void missingRuleType() {
        assertThat(configError(ruleX("field", "a")))
                .hasMessage("Missing required configuration \"rules.x.type\" which has no default value.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"required", "type", "range", "regex", "in", "length", "iso_country", "iso_currency"})
    void missingField(String type) {
        assertThat(configError(ruleX("type", type)))
                .hasMessage("Invalid value null for configuration rules.x.field: is required for rule type " + type);
    }

    @Test
    void blankField() {
        assertThat(configError(ruleX("type", "REQUIRED", "field", "   ")))
                .hasMessage("Invalid value  for configuration rules.x.field: is required for rule type required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a..b     | field path 'a..b' has an empty name at segment 2",
            "a.       | field path 'a.' has an empty name at segment 2",
            "[*]      | field path '[*]' has an empty name at segment 1",
            "a[0]     | field path 'a[0]' has a bracket that is not '[*]' in segment 'a[0]'",
            "a[*]b    | field path 'a[*]b' has a bracket that is not '[*]' in segment 'a[*]b'",
            "items[1].qty | field path 'items[1].qty' has a bracket that is not '[*]' in segment 'items[1]'",
    })
    void badFieldPath(String path, String why) {
        assertThat(configError(ruleX("type", "required", "field", path)))
                .hasMessage("Invalid value " + path + " for configuration rules.x.field: " + why);
    }

    // ==================================================================================== range and length

    @ParameterizedTest
    @CsvSource({"range, 10, 5, 5", "range, 1.50, 1.2, 1.2", "range, 1e3, 999, 999", "range, 0.0001, -0.0001, -0.0001",
            "length, 5, 2, 2", "length, 1, 0, 0"})
    void minGreaterThanMax(String type, String min, String max, String shownMax) {
        assertThat(configError(ruleX("type", type, "field", "a", "min", min, "max", max)))
                .hasMessage("Invalid value " + min + " for configuration rules.x.min: min must not be greater than max ("
                        + shownMax + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "length"})
    void minEqualToMaxIsFine(String type) {
        assertThatCode(() -> Records.valueSmt(ruleX("type", type, "field", "a", "min", "3", "max", "3")))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({"min.exclusive, 3, 3", "max.exclusive, 3, 3", "min.exclusive, 3.0, 3.00"})
    void exclusiveBoundThatLeavesNothingInRange(String exclusive, String min, String max) {
        assertThat(configError(ruleX("type", "range", "field", "a", "min", min, "max", max, exclusive, "true")))
                .hasMessage("Invalid value " + min + " for configuration rules.x.min: min equals max (" + max
                        + ") and a bound is exclusive: no value is in range");
    }

    @ParameterizedTest
    @CsvSource({"min.exclusive, max, 1", "max.exclusive, min, 1"})
    void exclusiveWithoutItsBound(String exclusive, String otherBound, String value) {
        assertThat(configError(ruleX("type", "range", "field", "a", otherBound, value, exclusive, "true")))
                .hasMessage("Invalid value true for configuration rules.x." + exclusive
                        + ": there is no " + exclusive.substring(0, 3) + " to make exclusive");
    }

    @Test
    void exclusiveMustBeABoolean() {
        assertThat(configError(ruleX("type", "range", "field", "a", "min", "1", "min.exclusive", "yes")))
                .hasMessage("Invalid value yes for configuration rules.x.min.exclusive: Expected value to be either "
                        + "true or false");
    }

    @ParameterizedTest
    @CsvSource({"min, abc", "max, 1O", "min, NaN", "max, Infinity", "min, '1,5'", "max, 0x10", "min, ''"})
    void nonNumericRangeBound(String parameter, String value) {
        Map<String, String> props = ruleX("type", "range", "field", "a", "min", "0", "max", "100");
        props.put("rules.x." + parameter, value);
        assertThat(configError(props))
                .hasMessage("Invalid value " + value + " for configuration rules.x." + parameter + ": not a number");
    }

    @ParameterizedTest
    @CsvSource({"min, abc", "max, 1.5", "min, 2e1", "min, ''"})
    void nonIntegerLengthBound(String parameter, String value) {
        Map<String, String> props = ruleX("type", "length", "field", "a", "min", "0", "max", "100");
        props.put("rules.x." + parameter, value);
        assertThat(configError(props)).hasMessage(
                "Invalid value " + value + " for configuration rules.x." + parameter + ": not a non-negative integer");
    }

    @ParameterizedTest
    @CsvSource({"min, -1", "max, -3"})
    void negativeLength(String parameter, String value) {
        assertThat(configError(ruleX("type", "length", "field", "a", parameter, value))).hasMessage(
                "Invalid value " + value + " for configuration rules.x." + parameter + ": a length must not be negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "length"})
    void neitherMinNorMax(String type) {
        assertThat(configError(ruleX("type", type, "field", "a")))
                .hasMessage("Invalid value null for configuration rules.x.min: set min, max or both");
    }

    // ==================================================================================== regex

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(a      | missing closing ): `(a`",
            "[a-     | missing closing ]: `[a-`",
            "a{2,1}  | invalid repeat count: `{2,1}`",
            "*a      | missing argument to repetition operator: `*`",
    })
    void badRegex(String pattern, String why) {
        assertThat(configError(ruleX("type", "regex", "field", "a", "pattern", pattern)))
                .hasMessage("Invalid value " + pattern + " for configuration rules.x.pattern: "
                        + "not a valid RE2 regular expression: error parsing regexp: " + why);
    }

    /** java.util.regex would accept these; RE2 (linear time, no backtracking) rejects them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(a)\\1   | invalid escape sequence: `\\1`",
            "(?=a)a   | invalid or unsupported Perl syntax: `(?=`",
            "a++      | invalid nested repetition operator: `++`",
    })
    void regexConstructsRe2Rejects(String pattern, String why) {
        java.util.regex.Pattern.compile(pattern); // fine for the JDK's backtracking engine
        assertThat(configError(ruleX("type", "regex", "field", "a", "pattern", pattern)))
                .hasMessage("Invalid value " + pattern + " for configuration rules.x.pattern: "
                        + "not a valid RE2 regular expression: error parsing regexp: " + why);
    }

    @Test
    void regexWithoutPattern() {
        assertThat(configError(ruleX("type", "regex", "field", "a")))
                .hasMessage("Invalid value null for configuration rules.x.pattern: is required for rule type regex");
    }

    // ==================================================================================== cel

    @Test
    void celThatDoesNotParse() {
        ConfigException e = configError(ruleX("type", "cel", "expr", "value.amount >"));
        assertThat(e.getMessage())
                .startsWith("Invalid value value.amount > for configuration rules.x.expr: "
                        + "CEL expression does not compile: ERROR: <input>:1:15: mismatched input '<EOF>' expecting ")
                .endsWith("\n | value.amount >\n | ..............^");
    }

    @Test
    void celWithAnUndeclaredVariable() {
        assertThat(configError(ruleX("type", "cel", "expr", "nosuchvar > 1"))).hasMessage(
                "Invalid value nosuchvar > 1 for configuration rules.x.expr: CEL expression does not compile: "
                        + "ERROR: <input>:1:1: undeclared reference to 'nosuchvar' (in container '')\n"
                        + " | nosuchvar > 1\n"
                        + " | ^");
    }

    @Test
    void celThatIsNotBoolean() {
        assertThat(configError(ruleX("type", "cel", "expr", "value.amount + 1"))).hasMessage(
                "Invalid value value.amount + 1 for configuration rules.x.expr: CEL expression does not compile: "
                        + "ERROR: <input>:1:14: expected type 'bool' but found 'int'\n"
                        + " | value.amount + 1\n"
                        + " | .............^");
    }

    @Test
    void celThatIsAString() {
        ConfigException e = configError(ruleX("type", "cel", "expr", "topic"));
        assertThat(e.getMessage())
                .startsWith("Invalid value topic for configuration rules.x.expr: CEL expression does not compile: ")
                .contains("expected type 'bool' but found 'string'");
    }

    @Test
    void celWithoutExpr() {
        assertThat(configError(ruleX("type", "cel")))
                .hasMessage("Invalid value null for configuration rules.x.expr: is required for rule type cel");
        assertThat(configError(ruleX("type", "cel", "expr", " ")))
                .hasMessage("Invalid value  for configuration rules.x.expr: is required for rule type cel");
    }

    // ==================================================================================== type, in, severity

    @Test
    void unknownExpectedType() {
        ConfigException e = configError(ruleX("type", "type", "field", "a", "expected", "int128"));
        assertOneOf(e.getMessage(), "Invalid value int128 for configuration rules.x.expected: ", EXPECTED_TYPES);
    }

    @Test
    void typeWithoutExpected() {
        assertThat(configError(ruleX("type", "type", "field", "a")))
                .hasMessage("Invalid value null for configuration rules.x.expected: is required for rule type type");
    }

    @Test
    void unknownSeverity() {
        ConfigException e = configError(ruleX("type", "required", "field", "a", "severity", "fatal"));
        assertOneOf(e.getMessage(), "Invalid value fatal for configuration rules.x.severity: ", "ERROR, WARN");
    }

    @Test
    void inWithoutValues() {
        assertThat(configError(ruleX("type", "in", "field", "a")))
                .hasMessage("Invalid value null for configuration rules.x.values: an 'in' rule needs at least one value");
        assertThat(configError(ruleX("type", "in", "field", "a", "values", "")))
                .hasMessage("Invalid value [] for configuration rules.x.values: an 'in' rule needs at least one value");
    }

    @Test
    void inWithANonBooleanIgnoreCase() {
        assertThat(configError(ruleX("type", "in", "field", "a", "values", "x", "ignore.case", "maybe")))
                .hasMessage("Invalid value maybe for configuration rules.x.ignore.case: Expected value to be either true or false");
    }

    @Test
    void enumeratedValuesAreCaseInsensitive() {
        assertThatCode(() -> Records.valueSmt(props(
                "rules", "a,b,c",
                "rules.a.type", "Iso_Country", "rules.a.field", "country", "rules.a.severity", "WARN",
                "rules.b.type", "TYPE", "rules.b.field", "price", "rules.b.expected", "Decimal",
                "rules.c.type", "CEL", "rules.c.expr", "true",
                "on.failure", "TAG", "mode", "Shadow", "envelope", "DEBEZIUM")))
                .doesNotThrowAnyException();
    }

    // ==================================================================================== rule names and keys

    private static final String NO_RULES = "Invalid value [] for configuration rules: list at least one rule (each is "
            + "configured under rules.<name>.*), or set contract.file, contract.text or contract.class";

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void noRules(String rules) {
        assertThat(configError(props("rules", rules)))
                .hasMessage(NO_RULES);
    }

    @Test
    void rulesKeyMissing() {
        assertThat(configError(props("on.failure", "tag")))
                .hasMessage(NO_RULES);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a,a      | [a, a]     | a",
            "a, b, a  | [a, b, a]  | a",
            "b,a,B,b  | [b, a, B, b] | b",
    })
    void duplicateRuleNames(String rules, String shown, String duplicate) {
        assertThat(configError(props("rules", rules)))
                .hasMessage("Invalid value " + shown + " for configuration rules: rule name '" + duplicate
                        + "' is listed twice");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a b      | [a b]    | a b",
            "a.b      | [a.b]    | a.b",
            "a,,b     | [a, , b] | ''",
            "ok,x/y   | [ok, x/y] | x/y",
            "ä        | [ä]      | ä",
            "a*       | [a*]     | a*",
    })
    void malformedRuleNames(String rules, String shown, String bad) {
        assertThat(configError(props("rules", rules)))
                .hasMessage("Invalid value " + shown + " for configuration rules: rule name '" + bad
                        + "' must be letters, digits, '_' or '-' (it becomes part of the keys rules.<name>.*)");
    }

    @Test
    void keyForARuleThatIsNotListed() {
        Map<String, String> props = ruleX("type", "required", "field", "a");
        props.put("rules.y.type", "required");
        assertThat(configError(props))
                .hasMessage("Invalid value required for configuration rules.y.type: configures a rule that is not "
                        + "listed in 'rules' [x]");
    }

    @Test
    void keyForARuleWhoseNameExtendsAListedOne() {
        Map<String, String> props = ruleX("type", "required", "field", "a");
        props.put("rules.xy.field", "b");
        assertThat(configError(props))
                .hasMessage("Invalid value b for configuration rules.xy.field: configures a rule that is not "
                        + "listed in 'rules' [x]");
    }

    @ParameterizedTest
    @CsvSource({"patern, [a-z]+", "fields, a", "min.value, 1", "Type, range"})
    void unknownRuleParameter(String parameter, String value) {
        Map<String, String> props = ruleX("type", "regex", "field", "a", "pattern", "[a-z]+");
        props.put("rules.x." + parameter, value);
        assertThat(configError(props))
                .hasMessage("Invalid value " + value + " for configuration rules.x." + parameter
                        + ": unknown rule parameter '" + parameter + "'; a rule takes "
                        + "[expected, expr, field, ignore.case, max, max.exclusive, message, min, min.exclusive, pattern, severity, "
                        + "type, values]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "range        | pattern     | [a-z]+ | [field, max, max.exclusive, min, min.exclusive]",
            "regex        | min         | 1      | [field, pattern]",
            "regex        | ignore.case | true   | [field, pattern]",
            "required     | values      | a      | [field]",
            "type         | expr        | true   | [expected, field]",
            "in           | max         | 3      | [field, ignore.case, values]",
            "iso_country  | expected    | string | [field]",
            "length       | pattern     | x      | [field, max, min]",
            "length       | min.exclusive | true | [field, max, min]",
            "cel          | field       | a      | [expr]",
    })
    void parameterOfAnotherRuleType(String type, String parameter, String value, String takes) {
        Map<String, String> props = ruleX("type", type);
        if (!type.equals("cel")) {
            props.put("rules.x.field", "a");
        }
        props.put("rules.x." + parameter, value);
        assertThat(configError(props))
                .hasMessage("Invalid value " + value + " for configuration rules.x." + parameter
                        + ": is not a parameter of rule type " + type + ", which takes " + takes);
    }

    @Test
    void messageAndSeverityBelongToEveryType() {
        assertThatCode(() -> Records.valueSmt(ruleX("type", "cel", "expr", "true", "message", "m", "severity", "warn")))
                .doesNotThrowAnyException();
    }

    @Test
    void errorsInALaterRuleNameThatRule() {
        Map<String, String> props = props(
                "rules", "first,second",
                "rules.first.type", "required", "rules.first.field", "id",
                "rules.second.type", "range", "rules.second.field", "amount", "rules.second.min", "5",
                "rules.second.max", "1");
        assertThat(configError(props))
                .hasMessage("Invalid value 5 for configuration rules.second.min: min must not be greater than max (1)");
    }

    // ==================================================================================== static keys

    @ParameterizedTest
    @CsvSource({"on.failure, nope, 'FAIL, QUARANTINE, TAG, DROP, DEAD_LETTER'", "mode, dry-run, 'ENFORCE, SHADOW'",
            "envelope, cdc, 'AUTO, DEBEZIUM, NONE'"})
    void unknownEnumeratedValue(String key, String value, String options) {
        assertOneOf(configError(validWith(key, value)).getMessage(),
                "Invalid value " + value + " for configuration " + key + ": ", options);

        Map<String, ConfigValue> validated = validate(props(key, value, "rules", "x"));
        assertThat(validated.get(key).errorMessages()).hasSize(1);
        assertOneOf(validated.get(key).errorMessages().get(0), "Invalid value " + value + " for configuration " + key + ": ",
                options);
        assertOnlyErrorsFor(validated, key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad topic!", "${topic}/quarantine", "quarantine:${topic}", "${topic}.{x}", "dq.${TOPIC}"})
    void illegalQuarantineTopic(String topic) {
        String message = "Invalid value " + topic + " for configuration quarantine.topic: " + ILLEGAL_TOPIC;
        assertThat(configError(validWith("quarantine.topic", topic))).hasMessage(message);
        Map<String, ConfigValue> validated = validate(props("quarantine.topic", topic, "rules", "x"));
        assertThat(validated.get("quarantine.topic").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "quarantine.topic");
    }

    @Test
    void quarantineTopicTooLong() {
        String topic = "q".repeat(250);
        String message = "Invalid value " + topic + " for configuration quarantine.topic: " + ILLEGAL_TOPIC;
        assertThat(configError(validWith("quarantine.topic", topic))).hasMessage(message);
        assertThatCode(() -> Records.valueSmt(validWith("quarantine.topic", "q".repeat(249)))).doesNotThrowAnyException();
        // ${topic} counts as one character when the template is checked
        assertThatCode(() -> Records.valueSmt(validWith("quarantine.topic", "${topic}" + "q".repeat(248))))
                .doesNotThrowAnyException();
    }

    @Test
    void emptyQuarantineTopic() {
        String message = "Invalid value  for configuration quarantine.topic: must not be empty";
        assertThat(configError(validWith("quarantine.topic", ""))).hasMessage(message);
        assertThat(validate(props("quarantine.topic", " ")).get("quarantine.topic").errorMessages())
                .containsExactly(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"${topic}.quarantine", "dq-quarantine", "quarantine.${topic}.v1", "${topic}"})
    void legalQuarantineTopics(String topic) {
        assertThatCode(() -> Records.valueSmt(validWith("quarantine.topic", topic))).doesNotThrowAnyException();
        assertOnlyErrorsFor(validate(props("quarantine.topic", topic)));
    }

    @Test
    void emptyHeadersPrefix() {
        String message = "Invalid value  for configuration headers.prefix: String must be non-empty";
        assertThat(configError(validWith("headers.prefix", ""))).hasMessage(message);
        Map<String, ConfigValue> validated = validate(props("headers.prefix", ""));
        assertThat(validated.get("headers.prefix").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "headers.prefix");
    }

    @Test
    void nonBooleanIncludeValues() {
        String message = "Invalid value maybe for configuration violations.include.values: "
                + "Expected value to be either true or false";
        assertThat(configError(validWith("violations.include.values", "maybe"))).hasMessage(message);
        assertThat(validate(props("violations.include.values", "maybe")).get("violations.include.values").errorMessages())
                .containsExactly(message);
    }

    @Test
    void ruleNamesAreCheckedByTheConfigDef() {
        Map<String, ConfigValue> duplicate = validate(props("rules", "a,b,a"));
        assertThat(duplicate.get("rules").errorMessages())
                .containsExactly("Invalid value [a, b, a] for configuration rules: rule name 'a' is listed twice");
        assertOnlyErrorsFor(duplicate, "rules");

        Map<String, ConfigValue> malformed = validate(props("rules", "a.b"));
        assertThat(malformed.get("rules").errorMessages())
                .containsExactly("Invalid value [a.b] for configuration rules: rule name 'a.b' must be letters, digits, "
                        + "'_' or '-' (it becomes part of the keys rules.<name>.*)");
    }

    @Test
    void severalStaticErrorsAreReportedTogether() {
        Map<String, ConfigValue> validated = validate(props(
                "rules", "a,a", "on.failure", "nope", "mode", "x", "envelope", "y", "quarantine.topic", "a b",
                "headers.prefix", ""));
        assertOnlyErrorsFor(validated, "rules", "on.failure", "mode", "envelope", "quarantine.topic", "headers.prefix");
        validated.values().forEach(v -> assertThat(v.errorMessages()).as(v.name()).hasSizeLessThanOrEqualTo(1));
    }

    @Test
    void aValidConfigurationHasNoErrors() {
        Map<String, String> props = validWith("contract.id", "orders", "contract.version", "1.2.0",
                "on.failure", "quarantine", "quarantine.topic", "${topic}.quarantine", "mode", "enforce",
                "envelope", "auto", "headers.prefix", "dq.", "violations.include.values", "false");
        assertOnlyErrorsFor(validate(props));
        assertThatCode(() -> Records.valueSmt(props)).doesNotThrowAnyException();
        assertThat(new ValidateContract.Value<SinkRecord>().config()).isSameAs(ValidateContract.CONFIG_DEF);
    }

    private static Map<String, ConfigValue> validate(Map<String, String> props) {
        List<ConfigValue> values = ValidateContract.CONFIG_DEF.validate(props);
        return values.stream().collect(Collectors.toMap(ConfigValue::name, v -> v));
    }

    private static void assertOnlyErrorsFor(Map<String, ConfigValue> validated, String... keys) {
        Set<String> withErrors = validated.values().stream().filter(v -> !v.errorMessages().isEmpty())
                .map(ConfigValue::name).collect(Collectors.toSet());
        assertThat(withErrors).as("keys with errors").containsExactlyInAnyOrder(keys);
    }
}
