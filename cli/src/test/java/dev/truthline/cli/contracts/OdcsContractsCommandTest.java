package dev.truthline.cli.contracts;

import static dev.truthline.cli.CliRun.resource;
import static dev.truthline.cli.contracts.ContractRuns.breaks;
import static dev.truthline.cli.contracts.ContractRuns.commit;
import static dev.truthline.cli.contracts.ContractRuns.git;
import static dev.truthline.cli.contracts.ContractRuns.labelled;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.truthline.cli.CliRun;

/** {@code truthline contracts check} and {@code validate} on ODCS v3 contracts. */
class OdcsContractsCommandTest {

    private static final String ORDERS = "schema[orders]";
    private static final String AMOUNT = ORDERS + ".properties[amount]";
    private static final String QUANTITY = ORDERS + ".properties[quantity]";
    private static final String CUSTOMER_ID = ORDERS + ".properties[customer_id]";
    private static final String CURRENCY = ORDERS + ".properties[currency]";
    private static final String STATUS = ORDERS + ".properties[status]";
    private static final String EMAIL = ORDERS + ".properties[email]";
    private static final String NOTE = ORDERS + ".properties[note]";
    private static final String CUSTOMER = ORDERS + ".properties[customer]";
    private static final String ITEM = ORDERS + ".properties[items].items";

    private static final String NOTE_DECLARED = "{name: note, logicalType: string}";
    private static final String EMAIL_DECLARED = "{name: email, logicalType: string}";
    private static final String STATUS_DECLARED = "{name: status, logicalType: string, enum: [{value: NEW}, {value: PAID}]}";
    private static final String MORE_PROPERTIES = "# more properties";
    private static final String MORE_OBJECT_RULES = "# more object rules";
    private static final String MORE_SCHEMA_OBJECTS = "  # more schema objects";
    private static final String BIG_ORDERS_RULE = "- {type: custom, engine: cel, id: big_orders_paid, "
            + "implementation: \"value.amount < 10000 || value.status == 'PAID'\"}";
    private static final String REFUNDS = "  - {name: refunds, properties: [{name: refund_id, logicalType: integer, required: true}]}";
    private static final String WARNING_RULE = "{name: note, logicalType: string, quality: [{metric: invalidValues, "
            + "arguments: {validValues: [gift]}, mustBe: 0, severity: %s}]}";

    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void readBase() throws IOException {
        base = Files.readString(resource("/contracts/odcs/orders.odcs.yaml"));
    }

    /**
     * One kind of change: {@code target} in the base contract becomes {@code before} in the old version
     * (null: stays) and {@code after} in the new one; what breaks each way, as "KIND at path".
     */
    record Edit(String name, String target, String before, String after, List<String> backward, List<String> forward) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Edit edit(String name, String target, String after, List<String> backward, List<String> forward) {
        return new Edit(name, target, null, after, backward, forward);
    }

    private static Edit edit(String name, String target, String before, String after, List<String> backward,
            List<String> forward) {
        return new Edit(name, target, before, after, backward, forward);
    }

    private static List<String> at(String kind, String... paths) {
        return Stream.of(paths).map(p -> kind + " at " + p).toList();
    }

    private static final List<String> NONE = List.of();

    static Stream<Edit> odcsChanges() {
        return Stream.of(
                edit("version and description only", "version: 1.0.0", "version: 1.1.0\ndescription: {purpose: orders}",
                        NONE, NONE),

                // numeric ranges
                edit("maximum lowered", "maximum: 1000000", "maximum: 500000",
                        at("RANGE", AMOUNT + ".logicalTypeOptions.maximum"), NONE),
                edit("maximum raised", "maximum: 1000000", "maximum: 2000000",
                        NONE, at("RANGE", AMOUNT + ".logicalTypeOptions.maximum")),
                edit("minimum raised", "minimum: 0,", "minimum: 10,",
                        at("RANGE", AMOUNT + ".logicalTypeOptions.minimum"), NONE),
                edit("minimum lowered", "minimum: 0,", "minimum: -10,",
                        NONE, at("RANGE", AMOUNT + ".logicalTypeOptions.minimum")),
                edit("maximum removed", ", maximum: 1000000}", "}",
                        NONE, at("RANGE", AMOUNT + ".logicalTypeOptions.maximum")),
                edit("maximum added", ", maximum: 1000000}", "}", ", maximum: 1000000}",
                        at("RANGE", AMOUNT + ".logicalTypeOptions.maximum"), NONE),
                edit("minimum made exclusive", "minimum: 0,", "exclusiveMinimum: 0,",
                        at("RANGE", AMOUNT + ".logicalTypeOptions.exclusiveMinimum"), NONE),
                edit("exclusive minimum made inclusive", "minimum: 0,", "exclusiveMinimum: 0,", "minimum: 0,",
                        NONE, at("RANGE", AMOUNT + ".logicalTypeOptions.minimum")),
                edit("exclusive integer bound written as an inclusive one", "{minimum: 2}", "{exclusiveMinimum: 1}",
                        NONE, NONE),
                edit("integer maximum made exclusive", "{minimum: 2}", "{minimum: 2, maximum: 10}",
                        "{minimum: 2, exclusiveMaximum: 10}",
                        at("RANGE", QUANTITY + ".logicalTypeOptions.exclusiveMaximum"), NONE),
                edit("number format added", "{minimum: 2}", "{minimum: 2, format: i32}",
                        at("RANGE", QUANTITY + ".logicalTypeOptions.format"), NONE),
                edit("number format widened", "{minimum: 2}", "{minimum: 2, format: i16}", "{minimum: 2, format: i32}",
                        NONE, at("RANGE", QUANTITY + ".logicalTypeOptions.format")),

                // lengths
                edit("maxLength lowered", "maxLength: 40", "maxLength: 20",
                        at("LENGTH", CUSTOMER_ID + ".logicalTypeOptions.maxLength"), NONE),
                edit("maxLength raised", "maxLength: 40", "maxLength: 80",
                        NONE, at("LENGTH", CUSTOMER_ID + ".logicalTypeOptions.maxLength")),
                edit("minLength raised", "minLength: 1,", "minLength: 5,",
                        at("LENGTH", CUSTOMER_ID + ".logicalTypeOptions.minLength"), NONE),
                edit("length bounds removed", "minLength: 1, maxLength: 40, ", "",
                        NONE, at("LENGTH", CUSTOMER_ID + ".logicalTypeOptions.minLength",
                                CUSTOMER_ID + ".logicalTypeOptions.maxLength")),
                edit("maxItems lowered", "{maxItems: 10}", "{maxItems: 5}",
                        at("LENGTH", ORDERS + ".properties[items].logicalTypeOptions.maxItems"), NONE),
                edit("nested maxLength lowered", "{minLength: 2, maxLength: 3}", "{minLength: 2, maxLength: 2}",
                        at("LENGTH", CUSTOMER + ".properties[country].logicalTypeOptions.maxLength"), NONE),

                // required
                edit("optional property made required", EMAIL_DECLARED, "{name: email, logicalType: string, required: true}",
                        at("REQUIRED", EMAIL + ".required"), NONE),
                edit("required property made optional", "customer_id, logicalType: string, required: true,",
                        "customer_id, logicalType: string,",
                        NONE, at("REQUIRED", CUSTOMER_ID + ".required")),
                edit("required written as a nullValues rule", EMAIL_DECLARED,
                        "{name: email, logicalType: string, required: true}",
                        "{name: email, logicalType: string, quality: [{metric: nullValues, mustBe: 0}]}",
                        NONE, NONE),
                edit("nested property made required", "{name: name, logicalType: string}",
                        "{name: name, logicalType: string, required: true}",
                        at("REQUIRED", CUSTOMER + ".properties[name].required"), NONE),
                edit("nested property required by its object", "logicalType: object\n        properties: [",
                        "logicalType: object\n        logicalTypeOptions: {required: [name]}\n        properties: [",
                        at("REQUIRED", CUSTOMER + ".properties[name]"), NONE),

                // properties
                edit("optional property with a type added", MORE_PROPERTIES, "- {name: channel, logicalType: string}",
                        at("PROPERTY", ORDERS + ".properties[channel]"), NONE),
                edit("required property added", MORE_PROPERTIES, "- {name: channel, logicalType: string, required: true}",
                        at("PROPERTY", ORDERS + ".properties[channel]"), NONE),
                edit("property without checks added", MORE_PROPERTIES, "- {name: comment, description: free text}",
                        NONE, NONE),
                edit("optional property removed", "      - " + NOTE_DECLARED + "\n", "",
                        NONE, at("PROPERTY", NOTE)),
                edit("required property removed",
                        "      - {name: order_id, logicalType: integer, required: true, unique: true}\n", "",
                        NONE, at("PROPERTY", ORDERS + ".properties[order_id]")),
                edit("property without checks removed", MORE_PROPERTIES, "- {name: comment, description: free text}",
                        MORE_PROPERTIES, NONE, NONE),
                edit("nested property added", "{name: name, logicalType: string}",
                        "{name: name, logicalType: string}, {name: city, logicalType: string}",
                        at("PROPERTY", CUSTOMER + ".properties[city]"), NONE),
                edit("array element property removed",
                        "            - {name: sku, logicalType: string, logicalTypeOptions: {pattern: \"[A-Z]{3}-[0-9]{4}\"}}\n",
                        "", NONE, at("PROPERTY", ITEM + ".properties[sku]")),

                // valid values
                edit("valid value removed", "[EUR, USD, GBP]", "[EUR, USD]",
                        at("VALID_VALUES", CURRENCY + ".quality[0].arguments.validValues"), NONE),
                edit("valid value added", "[EUR, USD, GBP]", "[EUR, USD, GBP, CHF]",
                        NONE, at("VALID_VALUES", CURRENCY + ".quality[0].arguments.validValues")),
                edit("valid value replaced", "[EUR, USD, GBP]", "[EUR, USD, CHF]",
                        at("VALID_VALUES", CURRENCY + ".quality[0].arguments.validValues"),
                        at("VALID_VALUES", CURRENCY + ".quality[0].arguments.validValues")),
                edit("enum value removed", "[{value: NEW}, {value: PAID}]", "[{value: NEW}]",
                        at("VALID_VALUES", STATUS + ".enum"), NONE),
                edit("enum on a free field", NOTE_DECLARED, "{name: note, logicalType: string, enum: [{value: gift}]}",
                        at("VALID_VALUES", NOTE + ".enum"), NONE),
                edit("enum removed", STATUS_DECLARED, "{name: status, logicalType: string}",
                        NONE, at("VALID_VALUES", STATUS + ".enum")),
                edit("enum written as validValues", STATUS_DECLARED, "{name: status, logicalType: string, quality: "
                        + "[{metric: invalidValues, arguments: {validValues: [NEW, PAID]}, mustBe: 0}]}", NONE, NONE),
                edit("missing values listed", NOTE_DECLARED, "{name: note, logicalType: string, quality: "
                        + "[{metric: missingValues, arguments: {missingValues: ['', 'N/A']}, mustBe: 0}]}",
                        at("MISSING_VALUES", NOTE + ".quality[0]"), NONE),
                edit("a missing value no longer listed", NOTE_DECLARED, "{name: note, logicalType: string, quality: "
                        + "[{metric: missingValues, arguments: {missingValues: ['', 'N/A']}, mustBe: 0}]}",
                        "{name: note, logicalType: string, quality: "
                        + "[{metric: missingValues, arguments: {missingValues: ['']}, mustBe: 0}]}",
                        NONE, at("MISSING_VALUES", NOTE + ".quality[0]")),

                // patterns and formats
                edit("pattern added", NOTE_DECLARED,
                        "{name: note, logicalType: string, logicalTypeOptions: {pattern: \"[a-z ]*\"}}",
                        at("PATTERN", NOTE + ".logicalTypeOptions.pattern"), NONE),
                edit("pattern removed", ", pattern: \"C-[0-9]+\"}", "}",
                        NONE, at("PATTERN", CUSTOMER_ID + ".logicalTypeOptions.pattern")),
                edit("pattern changed", "C-[0-9]+", "C-[0-9]{1,9}",
                        at("PATTERN", CUSTOMER_ID + ".logicalTypeOptions.pattern"),
                        at("PATTERN", CUSTOMER_ID + ".logicalTypeOptions.pattern")),
                edit("pattern moved into a quality rule", ", pattern: \"C-[0-9]+\"}}",
                        "}, quality: [{metric: invalidValues, arguments: {pattern: \"C-[0-9]+\"}, mustBe: 0}]}",
                        NONE, NONE),
                edit("array element pattern changed", "[A-Z]{3}-[0-9]{4}", "[A-Z]{3}-[0-9]{5}",
                        at("PATTERN", ITEM + ".properties[sku].logicalTypeOptions.pattern"),
                        at("PATTERN", ITEM + ".properties[sku].logicalTypeOptions.pattern")),
                edit("string format added", EMAIL_DECLARED,
                        "{name: email, logicalType: string, logicalTypeOptions: {format: email}}",
                        at("FORMAT", EMAIL + ".logicalTypeOptions.format"), NONE),
                edit("string format changed", EMAIL_DECLARED,
                        "{name: email, logicalType: string, logicalTypeOptions: {format: email}}",
                        "{name: email, logicalType: string, logicalTypeOptions: {format: uuid}}",
                        at("FORMAT", EMAIL + ".logicalTypeOptions.format"), at("FORMAT", EMAIL + ".logicalTypeOptions.format")),

                // logical types
                edit("integer widened to number", "{name: quantity, logicalType: integer", "{name: quantity, logicalType: number",
                        NONE, at("LOGICAL_TYPE", QUANTITY + ".logicalType")),
                edit("number narrowed to integer", "{name: amount, logicalType: number", "{name: amount, logicalType: integer",
                        at("LOGICAL_TYPE", AMOUNT + ".logicalType"), NONE),
                edit("string changed to integer", NOTE_DECLARED, "{name: note, logicalType: integer}",
                        at("LOGICAL_TYPE", NOTE + ".logicalType"), at("LOGICAL_TYPE", NOTE + ".logicalType")),
                edit("logicalType added", MORE_PROPERTIES, "- {name: comment}", "- {name: comment, logicalType: string}",
                        at("LOGICAL_TYPE", ORDERS + ".properties[comment].logicalType"), NONE),
                edit("logicalType removed", NOTE_DECLARED, "{name: note}",
                        NONE, at("LOGICAL_TYPE", NOTE + ".logicalType")),

                // CEL rules
                edit("CEL rule added", MORE_OBJECT_RULES, BIG_ORDERS_RULE,
                        at("CEL", ORDERS + ".quality[big_orders_paid].implementation"), NONE),
                edit("CEL rule removed", MORE_OBJECT_RULES, BIG_ORDERS_RULE, MORE_OBJECT_RULES,
                        NONE, at("CEL", ORDERS + ".quality[big_orders_paid].implementation")),
                edit("CEL rule changed", "value.amount > 0", "value.amount >= 1",
                        at("CEL", ORDERS + ".quality[paid_has_amount].implementation"),
                        at("CEL", ORDERS + ".quality[paid_has_amount].implementation")),
                edit("CEL rule renamed", "id: paid_has_amount", "id: paid_orders_have_an_amount", NONE, NONE),
                edit("property CEL rule added", NOTE_DECLARED, "{name: note, logicalType: string, quality: [{type: custom, "
                        + "engine: cel, id: short_note, implementation: \"size(value.note) < 100\"}]}",
                        at("CEL", NOTE + ".quality[short_note].implementation"), NONE),

                // what is not checked in-stream, compared as written
                edit("unique removed", ", unique: true}", "}",
                        NONE, at("NOT_CHECKED_IN_STREAM", ORDERS + ".properties[order_id].unique")),
                edit("unique added", EMAIL_DECLARED, "{name: email, logicalType: string, unique: true}",
                        at("NOT_CHECKED_IN_STREAM", EMAIL + ".unique"), NONE),
                edit("multipleOf changed", "{minimum: 0, maximum: 1000000}", "{minimum: 0, maximum: 1000000, multipleOf: 0.01}",
                        "{minimum: 0, maximum: 1000000, multipleOf: 0.05}",
                        at("NOT_CHECKED_IN_STREAM", AMOUNT + ".logicalTypeOptions.multipleOf"),
                        at("NOT_CHECKED_IN_STREAM", AMOUNT + ".logicalTypeOptions.multipleOf")),
                edit("multipleOf written with more digits", "{minimum: 0, maximum: 1000000}",
                        "{minimum: 0, maximum: 1000000, multipleOf: 0.01}", "{minimum: 0, maximum: 1000000, multipleOf: 0.010}",
                        NONE, NONE),
                edit("row count threshold changed", MORE_OBJECT_RULES, "- {metric: rowCount, mustBeGreaterThan: 0}",
                        "- {metric: rowCount, mustBeGreaterThan: 100}",
                        at("NOT_CHECKED_IN_STREAM", ORDERS + ".quality[1]"), at("NOT_CHECKED_IN_STREAM", ORDERS + ".quality[1]")),

                // severity: a warning never makes a record invalid
                edit("warning rule added", NOTE_DECLARED, String.format(WARNING_RULE, "warning"), NONE, NONE),
                edit("warning made an error", NOTE_DECLARED, String.format(WARNING_RULE, "warning"),
                        String.format(WARNING_RULE, "error"),
                        at("VALID_VALUES", NOTE + ".quality[0].arguments.validValues"), NONE),

                // schema objects
                edit("schema object added", MORE_SCHEMA_OBJECTS, REFUNDS, NONE, at("SCHEMA_OBJECT", "schema[refunds]")),
                edit("schema object removed", MORE_SCHEMA_OBJECTS, REFUNDS, MORE_SCHEMA_OBJECTS,
                        at("SCHEMA_OBJECT", "schema[refunds]"), NONE),
                edit("schema object renamed", "  - name: orders\n", "  - name: purchases\n",
                        at("SCHEMA_OBJECT", "schema[orders]"), at("SCHEMA_OBJECT", "schema[purchases]")));
    }

    // --- OLD NEW: every kind of change in each mode ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("odcsChanges")
    void odcsChangeJudgedInEachMode(Edit edit) throws IOException {
        String old = write("old.odcs.yaml", edit.before() == null ? base : replaceOnce(edit.target(), edit.before()));
        String changed = write("new.odcs.yaml", replaceOnce(edit.target(), edit.after()));

        CliRun backward = CliRun.of("contracts", "check", old, changed, "--compatibility", "BACKWARD");
        assertThat(breaks(backward)).as(backward.toString()).containsExactlyElementsOf(labelled("BACKWARD", edit.backward()));
        assertThat(backward.exit()).as(backward.toString()).isEqualTo(edit.backward().isEmpty() ? 0 : 1);

        CliRun forward = CliRun.of("contracts", "check", old, changed, "--compatibility", "FORWARD");
        assertThat(breaks(forward)).as(forward.toString()).containsExactlyElementsOf(labelled("FORWARD", edit.forward()));
        assertThat(forward.exit()).as(forward.toString()).isEqualTo(edit.forward().isEmpty() ? 0 : 1);

        CliRun full = CliRun.of("contracts", "check", old, changed, "--compatibility", "FULL");
        List<String> both = new ArrayList<>(labelled("BACKWARD", edit.backward()));
        both.addAll(labelled("FORWARD", edit.forward()));
        assertThat(breaks(full)).as(full.toString()).containsExactlyElementsOf(both);
        assertThat(full.exit()).as(full.toString()).isEqualTo(both.isEmpty() ? 0 : 1);
        if (both.isEmpty()) {
            assertThat(full.out()).endsWith(": compatible (FULL)\n");
        }
    }

    @Test
    void aBreakingChangeIsPrintedWithItsNamedPathTheChangeAndWhereItIsWritten() throws IOException {
        String old = write("old.odcs.yaml", base);
        String changed = write("new.odcs.yaml", replaceOnce("maximum: 1000000", "maximum: 500000"));
        CliRun run = CliRun.of("contracts", "check", old, changed);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(changed + " against " + old + ": 1 breaking change (BACKWARD)\n"
                + "  BACKWARD schema[orders].properties[amount].logicalTypeOptions.maximum: RANGE: 1000000 -> 500000 "
                + "(tightened) [new schema[0].properties[2].logicalTypeOptions.maximum]\n");
    }

    @Test
    void eachChangeSaysWhatChangedAndWhichWay() throws IOException {
        String old = write("old.odcs.yaml", base);
        String edited = base.replace("minimum: 0,", "exclusiveMinimum: 0,")
                .replace("{name: email, logicalType: string}", "{name: email, logicalType: string, required: true}")
                .replace("{name: quantity, logicalType: integer", "{name: quantity, logicalType: number")
                .replace("[EUR, USD, GBP]", "[EUR, USD, CHF]")
                .replace("C-[0-9]+", "C-[0-9]{1,9}")
                .replace("maxLength: 40", "maxLength: 20")
                .replace(MORE_PROPERTIES, "- {name: channel, logicalType: string, required: true}")
                .replace("      - " + NOTE_DECLARED + "\n", "")
                .replace(", unique: true}", "}")
                .replace("value.amount > 0", "value.amount >= 1");
        CliRun run = CliRun.of("contracts", "check", old, write("new.odcs.yaml", edited), "--compatibility", "FULL");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().lines().filter(l -> l.startsWith("  ")).map(l -> l.replaceAll(" \\[.*]$", "")))
                .containsExactly(
                        "  BACKWARD schema[orders].properties[customer_id].logicalTypeOptions.maxLength: LENGTH: 40 -> 20 (tightened)",
                        "  BACKWARD schema[orders].properties[customer_id].logicalTypeOptions.pattern: PATTERN: "
                                + "\"C-[0-9]+\" -> \"C-[0-9]{1,9}\" (changed: cannot prove compatible)",
                        "  BACKWARD schema[orders].properties[amount].logicalTypeOptions.exclusiveMinimum: RANGE: "
                                + "minimum 0 -> exclusiveMinimum 0 (tightened)",
                        "  BACKWARD schema[orders].properties[currency].quality[0].arguments.validValues: VALID_VALUES: "
                                + "removed GBP (tightened)",
                        "  BACKWARD schema[orders].properties[email].required: REQUIRED: optional -> required (tightened)",
                        "  BACKWARD schema[orders].properties[channel]: PROPERTY: added with required, logicalType string "
                                + "(tightened)",
                        "  BACKWARD schema[orders].quality[paid_has_amount].implementation: CEL: "
                                + "\"value.status != 'PAID' || value.amount > 0\" -> \"value.status != 'PAID' || value.amount >= 1\" "
                                + "(changed: cannot prove compatible)",
                        "  FORWARD  schema[orders].properties[order_id].unique: NOT_CHECKED_IN_STREAM: removed unique "
                                + "(loosened)",
                        "  FORWARD  schema[orders].properties[customer_id].logicalTypeOptions.pattern: PATTERN: "
                                + "\"C-[0-9]+\" -> \"C-[0-9]{1,9}\" (changed: cannot prove compatible)",
                        "  FORWARD  schema[orders].properties[quantity].logicalType: LOGICAL_TYPE: integer -> number "
                                + "(widened: loosened)",
                        "  FORWARD  schema[orders].properties[currency].quality[0].arguments.validValues: VALID_VALUES: "
                                + "added CHF (loosened)",
                        "  FORWARD  schema[orders].properties[note]: PROPERTY: removed with logicalType string (loosened)",
                        "  FORWARD  schema[orders].quality[paid_has_amount].implementation: CEL: "
                                + "\"value.status != 'PAID' || value.amount > 0\" -> \"value.status != 'PAID' || value.amount >= 1\" "
                                + "(changed: cannot prove compatible)");
    }

    @Test
    void anInvalidContractFailsTheCheckNamingItsElements() throws IOException {
        String old = write("old.odcs.yaml", base);
        CliRun run = CliRun.of("contracts", "check", old, resource("/contracts/odcs/malformed.odcs.yaml").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(": invalid: the new contract is not ODCS v3 (2 problems):\n"
                + "    id: is required\n"
                + "    schema[0].properties[0].logicalType: must be one of string, date, timestamp, time, number, "
                + "integer, object, array, boolean or map\n");

        CliRun notYaml = CliRun.of("contracts", "check", write("bad.odcs.yaml", "schema: [\n"), old);
        assertThat(notYaml.exit()).isEqualTo(1);
        assertThat(notYaml.out()).contains(": invalid: the old contract is not a valid ODCS v3 contract: not valid YAML (line");
    }

    @Test
    void bothExtensionsAreOneFormat() throws IOException {
        String old = write("old.odcs.yml", base);
        String changed = write("new.odcs.yaml", replaceOnce("[EUR, USD, GBP]", "[EUR, USD]"));
        CliRun run = CliRun.of("contracts", "check", old, changed);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(breaks(run)).containsExactly(
                "BACKWARD VALID_VALUES at " + CURRENCY + ".quality[0].arguments.validValues");
    }

    // --- validate ---

    @Test
    void validateAcceptsAContractEveryRuleOfWhichRunsInStream() throws IOException {
        String orders = write("orders.odcs.yml", replaceOnce(", unique: true}", "}"));
        CliRun run = CliRun.of("contracts", "validate", orders);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(orders + ": valid ODCS v3 data contract (orders@1.0.0, schema object orders "
                + "(28 rules))\n");
    }

    @Test
    void validateNamesEveryRuleThatCannotRunInStream() {
        String file = resource("/contracts/odcs/unsupported.odcs.yaml").toString();
        CliRun run = CliRun.of("contracts", "validate", file);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(file + ": valid ODCS v3 data contract (payments@2.0.0, schema object payments "
                + "(5 rules))\n"
                + "    not checked record by record (a worker needs contract.unsupported=skip):\n"
                + "    duplicateValues on payment_id (schema[0].properties[0].quality[0]): compares records with each other\n"
                + "    logicalTypeOptions.multipleOf on amount (schema[0].properties[1].logicalTypeOptions.multipleOf): "
                + "Truthline has no record-level rule for it\n"
                + "    sql on paid_at (schema[0].properties[2].quality[0]): runs a query against stored data\n"
                + "    rowCount on payments (schema[0].quality[0]): counts all the records\n");
    }

    @Test
    void validateNamesEveryElementOfAMalformedContract() {
        String file = resource("/contracts/odcs/malformed.odcs.yaml").toString();
        CliRun run = CliRun.of("contracts", "validate", file);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(file + ": invalid: the contract is not ODCS v3 (2 problems):\n"
                + "    id: is required\n"
                + "    schema[0].properties[0].logicalType: must be one of string, date, timestamp, time, number, "
                + "integer, object, array, boolean or map\n");
    }

    @Test
    void validateBuildsEveryRuleAsTheWorkerWould() {
        String file = resource("/contracts/odcs/rule-does-not-build.odcs.yml").toString();
        CliRun run = CliRun.of("contracts", "validate", file);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith(file + ": invalid: a rule cannot be built: schema[0].quality[0].implementation: "
                + "CEL expression does not compile");
    }

    @Test
    void validateGoesOnAfterAnInvalidFile() throws IOException {
        String good = write("good.odcs.yaml", replaceOnce(", unique: true}", "}"));
        CliRun run = CliRun.of("contracts", "validate", resource("/contracts/odcs/malformed.odcs.yaml").toString(), good,
                resource("/contracts/avro/order.avsc").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(good + ": valid ODCS v3 data contract").contains("order.avsc: valid Avro schema");
    }

    // --- the CI form: a folder against a git revision ---

    @Test
    void folderAgainstARevisionJudgesEachFileByItsFormat() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path contracts = Files.createDirectories(repo.resolve("contracts"));
        git(repo, "init", "-q");
        Files.writeString(contracts.resolve("orders.odcs.yaml"), base);
        Files.writeString(contracts.resolve("payments.odcs.yml"), base);
        Files.writeString(contracts.resolve("legacy.odcs.yaml"), base);
        Files.copy(resource("/contracts/avro/order.avsc"), contracts.resolve("order.avsc"));
        commit(repo, "v1");

        Files.writeString(contracts.resolve("orders.odcs.yaml"), replaceOnce("maximum: 1000000", "maximum: 500000"));
        Files.writeString(contracts.resolve("payments.odcs.yml"), replaceOnce("maximum: 1000000", "maximum: 2000000"));
        Files.delete(contracts.resolve("legacy.odcs.yaml"));
        Files.writeString(contracts.resolve("refunds.odcs.yaml"), base);

        CliRun run = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out().lines().filter(l -> !l.startsWith("  "))).containsExactly(
                "order.avsc: compatible (BACKWARD)",
                "orders.odcs.yaml: 1 breaking change (BACKWARD)",
                "payments.odcs.yml: compatible (BACKWARD)",
                "refunds.odcs.yaml: new since HEAD",
                "legacy.odcs.yaml: deleted since HEAD: its consumers lose their contract",
                "5 contracts against HEAD (BACKWARD): 2 compatible, 1 breaking, 1 new, 1 deleted, 0 not judged");
        assertThat(breaks(run)).containsExactly("BACKWARD RANGE at " + AMOUNT + ".logicalTypeOptions.maximum");

        // Committed, and judged FORWARD against the previous commit: now the raised maximum breaks.
        commit(repo, "v2");
        CliRun forward = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD~1",
                "--compatibility", "FORWARD");
        assertThat(forward.exit()).as(forward.toString()).isEqualTo(1);
        assertThat(breaks(forward)).containsExactly("FORWARD RANGE at " + AMOUNT + ".logicalTypeOptions.maximum");
        assertThat(forward.out()).contains("orders.odcs.yaml: compatible (FORWARD)")
                .contains("payments.odcs.yml: 1 breaking change (FORWARD)");

        // A contract made invalid since the revision fails the check.
        Files.writeString(contracts.resolve("orders.odcs.yaml"), "apiVersion: v3.1.0\nkind: DataContract\n");
        CliRun invalid = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.out()).contains("orders.odcs.yaml: invalid: the new contract is not ODCS v3 (3 problems)");

        // Nothing changed since the last commit: compatible, exit 0.
        commit(repo, "v3");
        Files.writeString(contracts.resolve("orders.odcs.yaml"), base);
        commit(repo, "v4");
        CliRun same = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD", "--compatibility",
                "FULL");
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.out()).endsWith("4 contracts against HEAD (FULL): 4 compatible, 0 breaking, 0 new, 0 deleted, "
                + "0 not judged\n");
    }

    // --- helpers ---

    /** The base contract with {@code target}, which must occur exactly once, replaced. */
    private static String replaceOnce(String target, String replacement) {
        int at = base.indexOf(target);
        assertThat(at).as("'%s' in the base contract", target).isNotNegative();
        assertThat(base.indexOf(target, at + 1)).as("'%s' only once in the base contract", target).isNegative();
        return base.substring(0, at) + replacement + base.substring(at + target.length());
    }

    private String write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }
}
