package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.OdcsContractTest.document;
import static dev.truthline.connect.validation.OdcsContractTest.properties;
import static dev.truthline.connect.validation.OdcsContractTest.row;
import static dev.truthline.connect.validation.Records.header;
import static dev.truthline.connect.validation.Records.props;
import static dev.truthline.connect.validation.Records.violation;
import static dev.truthline.connect.validation.Records.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.truthline.connect.validation.beans.Order;

/**
 * Malformed ODCS contracts and misused contract keys: each is a {@link ConfigException} that names the
 * key, and for a contract, the exact element of each problem. The same errors reach Connect's
 * {@code config/validate} through {@link ValidateContract#CONFIG_DEF}.
 */
class OdcsErrorsTest {

    private static final String TEXT_ERROR = "Invalid contract in configuration contract.text: ";

    private static ConfigException configError(Map<String, String> props) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ValidateContract.Value<SinkRecord>().configure(props));
        assertThat(e).as("configuring with %s must fail", props).isNotNull();
        return e;
    }

    private static ConfigException textError(String contract) {
        return configError(props("contract.text", contract));
    }

    // ==================================================================================== malformed contracts

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("the four identity keys", "schema:\n  - name: t\n",
                        "5 problems: apiVersion: is required; id: is required; kind: is required; status: is required; "
                        + "version: is required"),
                Arguments.of("an ODCS v2 contract", document("- name: t\n").replace("v3.1.0", "v2.2.2"),
                        "apiVersion: must be one of v3.0.0, v3.0.1, v3.0.2, v3.1.0 or v3.2.0"),
                Arguments.of("another kind", document("- name: t\n").replace("DataContract", "DataProduct"),
                        "kind: must be DataContract"),
                Arguments.of("no schema objects", document("[]"),
                        "the contract has no schema objects, so nothing to check record by record"),
                Arguments.of("a schema object without name", document("- physicalName: t\n"),
                        "schema[0].name: is required"),
                Arguments.of("two schema objects of one name", document("- name: t\n- name: u\n- name: t\n"),
                        "schema[2].name: repeats the name of an earlier schema object: t"),
                Arguments.of("a property without name", properties("- name: a\n- name: b\n- logicalType: string\n"),
                        "schema[0].properties[2].name: is required"),
                Arguments.of("problems in the order of their elements", properties("""
                        - name: p0
                        - name: p1
                        - description: no name
                        - name: p3
                        - name: p4
                        - name: p5
                        - name: p6
                        - name: p7
                        - name: p8
                        - name: p9
                        - logicalType: text
                        """), "3 problems: schema[0].properties[2].name: is required; "
                        + "schema[0].properties[10].logicalType: must be one of string, date, timestamp, time, number, "
                        + "integer, object, array, boolean or map; schema[0].properties[10].name: is required"),
                Arguments.of("two properties of one name", properties("- name: a\n- name: a\n"),
                        "schema[0].properties[1].name: repeats the name of an earlier property: a"),
                Arguments.of("a property name with a dot", properties("- name: a.b\n"),
                        "schema[0].properties[0].name: must not contain '.' or '[': field paths use them"),
                Arguments.of("an unknown logicalType", properties("- name: a\n  logicalType: int\n"),
                        "schema[0].properties[0].logicalType: must be one of string, date, timestamp, time, number, "
                                + "integer, object, array, boolean or map"),
                Arguments.of("minimum above maximum", properties("""
                        - name: a
                        - name: b
                        - name: c
                          logicalType: number
                          logicalTypeOptions:
                            minimum: 11
                            maximum: 10
                        """), "schema[0].properties[2].logicalTypeOptions.minimum: must not be greater than maximum (10)"),
                Arguments.of("exclusive bounds that meet", properties("""
                        - name: a
                          logicalType: integer
                          logicalTypeOptions: {minimum: 5, exclusiveMaximum: 5}
                        """), "schema[0].properties[0].logicalTypeOptions.minimum: must be less than exclusiveMaximum "
                        + "(5): with an exclusive bound no value is in range"),
                Arguments.of("a bound that is not a number", properties("""
                        - name: a
                          logicalType: integer
                          logicalTypeOptions: {maximum: ten}
                        """), "schema[0].properties[0].logicalTypeOptions.maximum: must be a number"),
                Arguments.of("minLength above maxLength", properties("""
                        - name: a
                          logicalType: string
                          logicalTypeOptions: {minLength: 3, maxLength: 2}
                        """), "schema[0].properties[0].logicalTypeOptions.minLength: must not be greater than maxLength (2)"),
                Arguments.of("a negative length", properties("""
                        - name: a
                          logicalType: string
                          logicalTypeOptions: {minLength: -1}
                        """), "schema[0].properties[0].logicalTypeOptions.minLength: must have a minimum value of 0"),
                Arguments.of("an option of another type", properties("""
                        - name: a
                          logicalType: integer
                          logicalTypeOptions: {maxLength: 3}
                        """), "schema[0].properties[0].logicalTypeOptions.maxLength: does not apply to logicalType integer"),
                Arguments.of("options without a logicalType", properties("""
                        - name: a
                          logicalTypeOptions: {maximum: 3}
                        """), "schema[0].properties[0].logicalTypeOptions: need a logicalType that says what they mean"),
                Arguments.of("a pattern RE2 cannot run", properties("""
                        - name: a
                          logicalType: string
                          logicalTypeOptions: {pattern: '(?=a)a'}
                        """), "schema[0].properties[0].logicalTypeOptions.pattern: is not a valid RE2 regular "
                        + "expression (linear-time: no lookaround or backreferences): error parsing regexp: invalid or "
                        + "unsupported Perl syntax: `(?=`"),
                Arguments.of("required names of no property", properties("""
                        - name: customer
                          logicalType: object
                          logicalTypeOptions: {required: [id, name]}
                          properties:
                            - name: id
                        """), "schema[0].properties[0].logicalTypeOptions.required: names name, which is not one of "
                        + "this object's properties"),
                Arguments.of("items of a string", properties("""
                        - name: a
                          logicalType: string
                          items: {logicalType: string}
                        """), "schema[0].properties[0].items: only an array has items, and this is a string"),
                Arguments.of("a nested property without name", properties("""
                        - name: items
                          logicalType: array
                          items:
                            logicalType: object
                            properties:
                              - name: sku
                              - logicalType: integer
                        """), "schema[0].properties[0].items.properties[1].name: is required"),
                Arguments.of("an enum value without value", properties("""
                        - name: a
                          enum:
                            - value: x
                            - label: Y
                        """), "schema[0].properties[0].enum[1].value: is required"),
                Arguments.of("quality rules missing their parts", properties("""
                        - name: a
                          quality:
                            - description: no metric
                            - type: sql
                            - type: custom
                              implementation: x
                            - metric: invalidValues
                              mustBe: 0
                            - type: custom
                              engine: cel
                              implementation: {expr: x}
                        """), "5 problems: schema[0].properties[0].quality[0].metric: is required for a library rule "
                        + "(or set type to text, sql or custom); schema[0].properties[0].quality[1].query: is required "
                        + "for an sql rule; schema[0].properties[0].quality[2].engine: is required for a custom rule; "
                        + "schema[0].properties[0].quality[3].arguments: an invalidValues rule needs validValues or "
                        + "pattern; schema[0].properties[0].quality[4].implementation: must be a CEL expression"),
                Arguments.of("quality rules with bad comparisons", properties("""
                        - name: a
                          quality:
                            - metric: nullValues
                              mustBe: 0
                              mustBeLessThan: 1
                            - metric: rowCount
                              mustBeBetween: [10, 1]
                        """), "2 problems: schema[0].properties[0].quality[0].mustBeLessThan: set at most one "
                        + "comparison; mustBe is set already; schema[0].properties[0].quality[1].mustBeBetween: must be "
                        + "two numbers, the smaller first"),
                Arguments.of("a quality rule of an unknown type", properties("""
                        - name: a
                          quality:
                            - type: magic
                        """), "schema[0].properties[0].quality[0].type: must be one of text, library, sql or custom"),
                Arguments.of("a key the standard does not have", properties("- name: a\n  requird: true\n"),
                        "schema[0].properties[0].requird: is not a key of this ODCS element"),
                Arguments.of("a pattern argument RE2 cannot run", properties("""
                        - name: a
                          quality:
                            - metric: invalidValues
                              arguments: {pattern: '(a)\\1'}
                        """), "schema[0].properties[0].quality[0].arguments.pattern: is not a valid RE2 regular "
                        + "expression (linear-time: no lookaround or backreferences): error parsing regexp: invalid "
                        + "escape sequence: `\\1`"),
                Arguments.of("a key of the wrong type", properties("- name: a\n  required: maybe\n"),
                        "schema[0].properties[0].required: has the wrong type: must be boolean"),
                Arguments.of("a list where a mapping belongs", properties("- name: a\n  logicalTypeOptions: [1]\n"),
                        "schema[0].properties[0].logicalTypeOptions: has the wrong type: must be object"),
                Arguments.of("a key given twice", properties("- name: a\n  name: b\n"),
                        "not valid YAML (line 10): Duplicate field 'name'"),
                Arguments.of("broken YAML", "apiVersion: 'v3.1.0\nkind: DataContract\n",
                        "not valid YAML (line 2): while scanning a quoted scalar: found unexpected end of stream"),
                Arguments.of("broken YAML further down", properties("- name: a\n  description: \"unclosed\n"),
                        "not valid YAML (line 10): while scanning a quoted scalar: found unexpected end of stream"),
                Arguments.of("a list, not a contract", "- apiVersion: v3.1.0\n",
                        "the contract must be a YAML mapping of apiVersion, kind, id, version, status, schema..."),
                Arguments.of("nothing", "# just a comment\n", "the contract is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedContract(String name, String contract, String problems) {
        assertThat(textError(contract)).hasMessage(TEXT_ERROR + problems);
        Map<String, ConfigValue> validated = validate(props("contract.text", contract));
        assertThat(validated.get("contract.text").errorMessages()).containsExactly(TEXT_ERROR + problems);
        assertOnlyErrorsFor(validated, "contract.text");
    }

    @Test
    void aCelExpressionThatDoesNotCompileNamesItsElement() {
        ConfigException e = textError(properties("""
                - name: a
                  quality:
                    - type: custom
                      engine: cel
                      implementation: value.a >
                """));
        assertThat(e.getMessage()).startsWith(TEXT_ERROR + "schema[0].properties[0].quality[0].implementation: "
                + "CEL expression does not compile: ERROR: <input>:1:10: mismatched input '<EOF>' expecting ");
    }

    @Test
    void aFileNamesItselfAsTheInvalidValue(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("orders.odcs.yaml");
        Files.writeString(file, document("- name: t\n").replace("kind: DataContract\n", ""));
        assertThat(configError(props("contract.file", file.toString())))
                .hasMessage("Invalid value " + file + " for configuration contract.file: kind: is required");
    }

    @Test
    void aMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("missing.odcs.yaml");
        assertThat(configError(props("contract.file", file.toString())))
                .hasMessage("Invalid value " + file + " for configuration contract.file: cannot read the contract file "
                        + "(it must be on every worker; contract.text carries the contract in the connector "
                        + "configuration instead): java.nio.file.NoSuchFileException: " + file);
    }

    // ==================================================================================== unsupported rules

    private static final String UNSUPPORTED = document("""
            - name: t
              quality:
                - metric: rowCount
                  mustBeGreaterThan: 0
              properties:
                - name: order_id
                  logicalType: integer
                  required: true
                  quality:
                    - metric: duplicateValues
                      mustBe: 0
                - name: amount
                  logicalType: number
                  quality:
                    - type: sql
                      query: SELECT COUNT(*) FROM {object} WHERE {property} < 0
                      mustBe: 0
            """);

    private static final String UNSUPPORTED_LIST = "duplicateValues on order_id (schema[0].properties[0].quality[0]): "
            + "compares records with each other; sql on amount (schema[0].properties[1].quality[0]): runs a query "
            + "against stored data; rowCount on t (schema[0].quality[0]): counts all the records";

    @Test
    void unsupportedRulesFailByNameByDefault() {
        String message = TEXT_ERROR + "the contract asks for 3 checks that cannot be made record by record: "
                + UNSUPPORTED_LIST + ". Remove them from the contract, or set contract.unsupported=skip to enforce the rest";
        assertThat(textError(UNSUPPORTED)).hasMessage(message);
        assertThat(configError(props("contract.text", UNSUPPORTED, "contract.unsupported", "FAIL"))).hasMessage(message);

        Map<String, ConfigValue> validated = validate(props("contract.text", UNSUPPORTED));
        assertThat(validated.get("contract.text").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "contract.text");
    }

    @Test
    void unsupportedRulesCanBeSkipped() {
        Map<String, String> props = props("contract.text", UNSUPPORTED, "contract.unsupported", "skip",
                "on.failure", "tag");
        assertOnlyErrorsFor(validate(props));
        ValidateContract<SinkRecord> smt = Records.valueSmt(props);
        try {
            SinkRecord out = smt.apply(Records.record(null, row("order_id", "x", "amount", -5L)));
            assertThat(violations(out)).containsExactly(
                    violation("order_id:logicalType", "order_id", "expected type integer but was string"));
            assertThat(header(smt.apply(Records.record(null, row("order_id", 1L, "amount", -5L))), "dq.status"))
                    .isEqualTo("valid");
            assertThat(smt.metrics().violations("order_id:logicalType")).isEqualTo(1);
        } finally {
            smt.close();
        }
    }

    @Test
    void theSkippedRulesAreListedInOneLine() {
        assertThat(ContractSources.skippedLine(dev.truthline.connect.contract.OdcsCompiler.compile(
                dev.truthline.connect.contract.OdcsParser.parse(UNSUPPORTED).contract(), null).unsupported()))
                .isEqualTo("3 rules of the contract cannot be checked record by record and are skipped "
                        + "(contract.unsupported=skip): " + UNSUPPORTED_LIST);
    }

    @Test
    void contractUnsupportedIsFailOrSkip() {
        ConfigException e = configError(props("contract.text", UNSUPPORTED, "contract.unsupported", "ignore"));
        assertThat(e.getMessage()).startsWith("Invalid value ignore for configuration contract.unsupported: "
                + "String must be one of (case insensitive): ");
    }

    // ==================================================================================== schema selection

    private static final String TWO_OBJECTS = document("""
            - name: orders
              properties: [{name: order_id, required: true}]
            - name: customers
              properties: [{name: customer_id, required: true}]
            """);

    @Test
    void severalSchemaObjectsNeedContractSchema() {
        String message = "Invalid value null for configuration contract.schema: the contract has 2 schema objects "
                + "[orders, customers]: name the one to check with contract.schema";
        assertThat(textError(TWO_OBJECTS)).hasMessage(message);
        Map<String, ConfigValue> validated = validate(props("contract.text", TWO_OBJECTS));
        assertThat(validated.get("contract.schema").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "contract.schema");
    }

    @Test
    void contractSchemaMustNameASchemaObject() {
        String message = "Invalid value order for configuration contract.schema: the contract has no schema object "
                + "named 'order'; it has [orders, customers]";
        assertThat(configError(props("contract.text", TWO_OBJECTS, "contract.schema", "order"))).hasMessage(message);
        Map<String, ConfigValue> validated = validate(props("contract.text", TWO_OBJECTS, "contract.schema", "order"));
        assertThat(validated.get("contract.schema").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "contract.schema");
        assertOnlyErrorsFor(validate(props("contract.text", TWO_OBJECTS, "contract.schema", "customers")));
    }

    @Test
    void contractSchemaWithoutAContract() {
        assertThat(configError(props("contract.schema", "orders", "rules", "x", "rules.x.type", "required",
                "rules.x.field", "id")))
                .hasMessage("Invalid value orders for configuration contract.schema: names a schema object, but "
                        + "neither contract.file nor contract.text names a contract");
    }

    // ==================================================================================== keys that exclude each other

    @Test
    void contractFileAndContractTextExcludeEachOther() {
        Path file = OrdersContractsTest.ordersFile();
        String text = OrdersContractsTest.ordersText();
        String message = TEXT_ERROR + "set contract.file or contract.text, not both";
        assertThat(configError(props("contract.file", file.toString(), "contract.text", text))).hasMessage(message);
        Map<String, ConfigValue> validated = validate(props("contract.file", file.toString(), "contract.text", text));
        assertThat(validated.get("contract.text").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "contract.text");
    }

    @Test
    void contractClassExcludesAnOdcsContract() {
        String message = "Invalid value " + Order.class.getName() + " for configuration contract.class: set "
                + "contract.class or an ODCS contract (contract.file, contract.text), not both; inline rules combine "
                + "with either";
        Map<String, String> props = props("contract.text", OrdersContractsTest.ordersText(),
                "contract.class", Order.class.getName(), "contract.unsupported", "skip");
        assertThat(configError(props)).hasMessage(message);
        Map<String, ConfigValue> validated = validate(props);
        assertThat(validated.get("contract.class").errorMessages()).containsExactly(message);
        assertOnlyErrorsFor(validated, "contract.class");
    }

    // ==================================================================================== Connect's config/validate

    @Test
    void aValidContractHasNoErrors() {
        // Its primaryKey's uniqueness cannot be checked record by record: skipped.
        assertOnlyErrorsFor(validate(props("contract.file", OrdersContractsTest.ordersFile().toString(),
                "contract.unsupported", "skip")));
        assertOnlyErrorsFor(validate(props("contract.text", OrdersContractsTest.ordersText(), "contract.schema", "orders",
                "contract.unsupported", "skip")));
        assertThatCode(() -> Records.valueSmt(props("contract.text", OrdersContractsTest.ordersText(),
                "contract.unsupported", "skip")).close()).doesNotThrowAnyException();
    }

    /**
     * Connect validates a transform's keys inside the connector's ConfigDef, under {@code transforms.<alias>.}:
     * the contract checks that look at other keys still see them, and still report on the right key.
     */
    @Test
    void errorsReachTheKeysOfATransformEmbeddedAsConnectDoes() {
        ConfigDef connector = new ConfigDef();
        connector.embed("transforms.dq.", "dq", 0, ValidateContract.CONFIG_DEF);
        Map<String, String> props = new HashMap<>();
        props.put("transforms.dq.contract.text", UNSUPPORTED);
        props.put("transforms.dq.contract.unsupported", "fail");
        Map<String, ConfigValue> failing = connector.validateAll(props);
        assertThat(failing.get("transforms.dq.contract.text").errorMessages()).singleElement().asString()
                .startsWith(TEXT_ERROR + "the contract asks for 3 checks");
        assertThat(errors(failing)).containsExactly("transforms.dq.contract.text");

        props.put("transforms.dq.contract.unsupported", "skip");
        assertThat(errors(connector.validateAll(props))).isEmpty();

        props.put("transforms.dq.contract.text", TWO_OBJECTS);
        props.put("transforms.dq.contract.schema", "nope");
        assertThat(connector.validateAll(props).get("transforms.dq.contract.schema").errorMessages())
                .containsExactly("Invalid value nope for configuration contract.schema: the contract has no schema "
                        + "object named 'nope'; it has [orders, customers]");
    }

    private static Map<String, ConfigValue> validate(Map<String, String> props) {
        List<ConfigValue> values = ValidateContract.CONFIG_DEF.validate(props);
        return values.stream().collect(Collectors.toMap(ConfigValue::name, v -> v));
    }

    private static Set<String> errors(Map<String, ConfigValue> validated) {
        return validated.values().stream().filter(v -> !v.errorMessages().isEmpty()).map(ConfigValue::name)
                .collect(Collectors.toSet());
    }

    private static void assertOnlyErrorsFor(Map<String, ConfigValue> validated, String... keys) {
        assertThat(errors(validated)).as("keys with errors: %s", validated.values().stream()
                .filter(v -> !v.errorMessages().isEmpty()).map(ConfigValue::errorMessages).toList())
                .containsExactlyInAnyOrder(keys);
    }
}
