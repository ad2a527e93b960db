package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.Records.header;
import static dev.truthline.connect.validation.Records.props;
import static dev.truthline.connect.validation.Records.violation;
import static dev.truthline.connect.validation.Records.violations;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every supported mapping from an ODCS v3 contract to rules, through the public SMT: each contract is
 * given as {@code contract.text} with {@code on.failure=tag}, and records come back with their verdict.
 */
class OdcsContractTest {

    private final List<ValidateContract<SinkRecord>> smts = new ArrayList<>();

    @AfterEach
    void close() {
        smts.forEach(ValidateContract::close);
    }

    // ==================================================================================== helpers

    /** A whole contract around the given {@code schema:} entries. */
    static String document(String schema) {
        return """
                apiVersion: v3.1.0
                kind: DataContract
                id: shop
                version: 2.0.0
                status: active
                schema:
                """ + schema.indent(2);
    }

    /** A contract with one schema object {@code t} of the given properties. */
    static String properties(String properties) {
        return document("- name: t\n  properties:\n" + properties.indent(4));
    }

    private ValidateContract<SinkRecord> smt(String contractText, String... more) {
        Map<String, String> config = props("on.failure", "tag", "contract.text", contractText);
        config.putAll(props(more));
        ValidateContract<SinkRecord> smt = Records.valueSmt(config);
        smts.add(smt);
        return smt;
    }

    /** A schemaless row (nulls allowed): {@code row("a", 1, "b", null)}. */
    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    private static List<Map<String, String>> verdict(ValidateContract<SinkRecord> smt, Object row) {
        SinkRecord out = smt.apply(row instanceof Struct ? Records.record((Struct) row) : Records.record(null, row));
        List<Map<String, String>> violations = violations(out);
        String status = header(out, "dq.status");
        assertThat(status).as("status of %s (violations %s)", row, violations)
                .isEqualTo(violations.isEmpty() || header(out, "dq.rules") == null ? "valid" : "invalid");
        return violations;
    }

    private static void valid(ValidateContract<SinkRecord> smt, Object... rows) {
        for (Object row : rows) {
            assertThat(verdict(smt, row)).as("violations of %s", row).isEmpty();
        }
    }

    private static void invalid(ValidateContract<SinkRecord> smt, Object row, String rule, String field, String message) {
        assertThat(verdict(smt, row)).as("violations of %s", row).containsExactly(violation(rule, field, message));
    }

    // ==================================================================================== required, types

    @Test
    void requiredIsARequiredRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: id
                  required: true
                - name: note
                  required: false
                """));
        valid(smt, row("id", "o-1"), row("id", ""), row("id", "o-1", "note", null));
        invalid(smt, row("id", null), "id:required", "id", "is required but is null");
        invalid(smt, row("note", "x"), "id:required", "id", "is required but is missing");
    }

    @Test
    void logicalTypesAreTypeRules() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: s
                  logicalType: string
                - name: i
                  logicalType: integer
                - name: n
                  logicalType: number
                - name: b
                  logicalType: boolean
                - name: o
                  logicalType: object
                - name: a
                  logicalType: array
                - name: m
                  logicalType: map
                """).replace("v3.1.0", "v3.2.0"));
        valid(smt, row("s", "x", "i", 5L, "n", 1.5, "b", true, "o", row("k", 1), "a", List.of(1), "m", row("k", 1)),
                row("i", 5, "n", 2L), row("n", new BigDecimal("1.50")), row());
        invalid(smt, row("s", 1L), "s:logicalType", "s", "expected type string but was long");
        invalid(smt, row("i", 1.5), "i:logicalType", "i", "expected type integer but was double");
        invalid(smt, row("i", new BigDecimal("1.5")), "i:logicalType", "i", "expected type integer but was decimal");
        invalid(smt, row("n", "1.5"), "n:logicalType", "n", "expected type number but was string");
        invalid(smt, row("b", "true"), "b:logicalType", "b", "expected type boolean but was string");
        invalid(smt, row("o", List.of()), "o:logicalType", "o", "expected type struct but was array");
        invalid(smt, row("a", row()), "a:logicalType", "a", "expected type array but was map");
        invalid(smt, row("m", "k=1"), "m:logicalType", "m", "expected type map but was string");
    }

    @Test
    void dateTimeAndTimestampNeedTheirConnectTypes() {
        Schema schema = SchemaBuilder.struct().name("Row").optional()
                .field("d", org.apache.kafka.connect.data.Date.builder().optional().build())
                .field("t", Time.builder().optional().build())
                .field("ts", Timestamp.builder().optional().build())
                .field("raw", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: d
                  logicalType: date
                - name: t
                  logicalType: time
                - name: ts
                  logicalType: timestamp
                - name: raw
                  logicalType: timestamp
                """));
        Struct good = new Struct(schema).put("d", new Date(0)).put("t", new Date(0)).put("ts", new Date(0));
        valid(smt, good);
        invalid(smt, new Struct(schema).put("raw", 1_700_000_000_000L), "raw:logicalType", "raw",
                "expected type timestamp but was long");
    }

    // ==================================================================================== logicalTypeOptions

    @Test
    void numericBoundsAreARangeRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: amount
                  logicalType: number
                  logicalTypeOptions:
                    minimum: 0
                    maximum: 1000.50
                - name: rate
                  logicalType: number
                  logicalTypeOptions:
                    exclusiveMinimum: 0
                    exclusiveMaximum: 1
                - name: qty
                  logicalType: integer
                  logicalTypeOptions:
                    minimum: 1
                    exclusiveMinimum: 1
                """));
        valid(smt, row("amount", 0L, "rate", 0.5, "qty", 2L), row("amount", new BigDecimal("1000.50")),
                row("amount", 1000.5), row("rate", new BigDecimal("0.999")));
        invalid(smt, row("amount", -1L), "amount:range", "amount", "must be between 0 and 1000.50");
        invalid(smt, row("amount", new BigDecimal("1000.51")), "amount:range", "amount", "must be between 0 and 1000.50");
        invalid(smt, row("rate", 0L), "rate:range", "rate", "must be greater than 0 and less than 1");
        invalid(smt, row("rate", 1.0), "rate:range", "rate", "must be greater than 0 and less than 1");
        // minimum 1 and exclusiveMinimum 1: the stricter, exclusive bound wins
        invalid(smt, row("qty", 1L), "qty:range", "qty", "must be greater than 1");
    }

    @Test
    void integerFormatsAreRanges() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: small
                  logicalType: integer
                  logicalTypeOptions:
                    format: i8
                - name: port
                  logicalType: integer
                  logicalTypeOptions:
                    format: u16
                - name: ratio
                  logicalType: number
                  logicalTypeOptions:
                    format: f64
                """));
        valid(smt, row("small", -128L, "port", 65_535L, "ratio", 1e300));
        invalid(smt, row("small", 128L), "small:format", "small", "must be between -128 and 127");
        invalid(smt, row("port", -1L), "port:format", "port", "must be between 0 and 65535");
    }

    @Test
    void lengthsAndPatternsOfStrings() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: code
                  logicalType: string
                  logicalTypeOptions:
                    minLength: 2
                    maxLength: 3
                - name: account
                  logicalType: string
                  logicalTypeOptions:
                    pattern: ^ACC[0-9]{8}$
                """));
        valid(smt, row("code", "ab", "account", "ACC12345678"), row("code", "abc"), row("code", "日本"));
        invalid(smt, row("code", "a"), "code:length", "code", "length must be between 2 and 3");
        invalid(smt, row("code", "abcd"), "code:length", "code", "length must be between 2 and 3");
        // The whole value must match, anchors or not.
        invalid(smt, row("account", "xACC12345678"), "account:pattern", "account",
                "does not match pattern ^ACC[0-9]{8}$");
    }

    @Test
    void stringFormatsAreRegexRulesWithTheirOwnMessages() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: email
                  logicalType: string
                  logicalTypeOptions: {format: email}
                - name: id
                  logicalType: string
                  logicalTypeOptions: {format: uuid}
                - name: ip
                  logicalType: string
                  logicalTypeOptions: {format: ipv4}
                - name: host
                  logicalType: string
                  logicalTypeOptions: {format: hostname}
                - name: blob
                  logicalType: string
                  logicalTypeOptions: {format: byte}
                - name: secret
                  logicalType: string
                  logicalTypeOptions: {format: password}
                """));
        valid(smt, row("email", "a.b@example.com", "id", "123e4567-e89b-12d3-a456-426614174000", "ip", "192.168.0.1",
                "host", "kafka-1.example.com", "blob", "aGVsbG8=", "secret", "anything at all"));
        invalid(smt, row("email", "a@b"), "email:format", "email", "is not an email address");
        invalid(smt, row("id", "123e4567"), "id:format", "id", "is not a UUID");
        invalid(smt, row("ip", "256.1.1.1"), "ip:format", "ip", "is not an IPv4 address");
        invalid(smt, row("host", "-bad-.example"), "host:format", "host", "is not a host name");
        invalid(smt, row("blob", "a==="), "blob:format", "blob", "is not base64-encoded");
    }

    @Test
    void arrayItemCountsAreALengthRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: tags
                  logicalType: array
                  logicalTypeOptions:
                    minItems: 1
                    maxItems: 2
                """));
        valid(smt, row("tags", List.of("a")), row("tags", List.of("a", "b")), row());
        invalid(smt, row("tags", List.of()), "tags:length", "tags", "length must be between 1 and 2");
        invalid(smt, row("tags", List.of("a", "b", "c")), "tags:length", "tags", "length must be between 1 and 2");
    }

    // ==================================================================================== nesting

    @Test
    void nestedPropertiesAreDottedPathsRequiredOnlyWhereTheirParentIs() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: customer
                  logicalType: object
                  logicalTypeOptions:
                    required: [id]
                  properties:
                    - name: id
                      logicalType: integer
                    - name: address
                      logicalType: object
                      properties:
                        - name: country
                          logicalType: string
                          required: true
                          logicalTypeOptions: {minLength: 2, maxLength: 2}
                """));
        valid(smt, row(), row("customer", null), row("customer", row("id", 1L)),
                row("customer", row("id", 1L, "address", row("country", "DE"))));
        invalid(smt, row("customer", row("address", null)), "customer.id:required", "customer.id",
                "is required but is missing");
        invalid(smt, row("customer", row("id", 1L, "address", row("city", "Berlin"))),
                "customer.address.country:required", "customer.address.country", "is required but is missing");
        invalid(smt, row("customer", row("id", 1L, "address", row("country", "DEU"))),
                "customer.address.country:length", "customer.address.country", "length must be between 2 and 2");
        invalid(smt, row("customer", row("id", "1")), "customer.id:logicalType", "customer.id",
                "expected type integer but was string");
    }

    @Test
    void arrayItemsAreWildcardPaths() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: items
                  logicalType: array
                  items:
                    logicalType: object
                    properties:
                      - name: sku
                        logicalType: string
                        required: true
                        logicalTypeOptions:
                          pattern: "[A-Z]{3}-[0-9]{4}"
                      - name: qty
                        logicalType: integer
                        logicalTypeOptions:
                          minimum: 1
                - name: tags
                  logicalType: array
                  items:
                    logicalType: string
                    logicalTypeOptions: {maxLength: 3}
                - name: grid
                  logicalType: array
                  items:
                    logicalType: array
                    items:
                      logicalType: integer
                      logicalTypeOptions: {maximum: 9}
                """));
        valid(smt, row(), row("items", List.of()), row("items", List.of(row("sku", "ABC-1234", "qty", 2L))),
                row("tags", List.of("a", "abc"), "grid", List.of(List.of(1L, 9L), List.of())));
        invalid(smt, row("items", List.of(row("sku", "ABC-1234", "qty", 1L), row("sku", "abc", "qty", 1L))),
                "items[*].sku:pattern", "items[1].sku", "does not match pattern [A-Z]{3}-[0-9]{4}");
        invalid(smt, row("items", List.of(row("qty", 1L))), "items[*].sku:required", "items[0].sku",
                "is required but is missing");
        invalid(smt, row("items", List.of(row("sku", "ABC-1234", "qty", 0L))), "items[*].qty:range", "items[0].qty",
                "must be at least 1");
        invalid(smt, row("items", List.of("ABC-1234")), "items[*]:logicalType", "items[0]",
                "expected type struct but was string");
        invalid(smt, row("tags", List.of("abcd")), "tags[*]:length", "tags[0]", "length must be at most 3");
        invalid(smt, row("grid", List.of(List.of(1L), List.of(3L, 10L))), "grid[*][*]:range", "grid[1][1]",
                "must be at most 9");
    }

    @Test
    void enumIsAnInRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: status
                  logicalType: string
                  enum:
                    - value: pending
                      label: Pending
                    - value: shipped
                - name: priority
                  logicalType: integer
                  enum:
                    - value: 1
                    - value: 2
                """).replace("v3.1.0", "v3.2.0"));
        valid(smt, row("status", "pending", "priority", 2L), row("priority", 1));
        invalid(smt, row("status", "lost"), "status:enum", "status", "is not one of the allowed values");
        invalid(smt, row("priority", 3L), "priority:enum", "priority", "is not one of the allowed values");
    }

    // ==================================================================================== quality rules

    @Test
    void nullValuesWithAThresholdOfZeroIsARequiredRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: a
                  quality:
                    - metric: nullValues
                      mustBe: 0
                - name: b
                  quality:
                    - type: library
                      metric: nullValues
                      mustBeLessThan: 1
                      unit: rows
                - name: c
                  quality:
                    - rule: nullValues
                      mustBeLessOrEqualTo: 0
                """).replace("v3.1.0", "v3.0.2"));
        valid(smt, row("a", 1L, "b", "x", "c", false));
        assertThat(verdict(smt, row("a", null, "b", null))).containsExactly(
                violation("a:nullValues", "a", "is required but is null"),
                violation("b:nullValues", "b", "is required but is null"),
                violation("c:nullValues", "c", "is required but is missing"));
    }

    @Test
    void invalidValuesIsAnInOrARegexRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: unit
                  quality:
                    - metric: invalidValues
                      arguments:
                        validValues: [kg, pounds, null]
                      mustBe: 0
                - name: size
                  quality:
                    - metric: invalidValues
                      arguments:
                        validValues: [1, 2.50, "NO"]
                - name: iban
                  quality:
                    - metric: invalidValues
                      mustBe: 0
                      arguments:
                        pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{4}[0-9]{7}([A-Z0-9]?){0,16}$'
                - name: code
                  quality:
                    - metric: invalidValues
                      arguments:
                        validValues: [AB, ABC]
                        pattern: "[A-Z]+"
                - name: legacy
                  quality:
                    - rule: validValues
                      validValues: [x, y]
                """).replace("v3.1.0", "v3.0.2"));
        valid(smt, row("unit", "kg", "size", 1L, "iban", "DE89370400440532013000", "code", "AB", "legacy", "y"),
                row("unit", null, "size", new BigDecimal("2.5")), row("size", 1.0), row("size", "NO"));
        invalid(smt, row("unit", "KG"), "unit:invalidValues", "unit", "is not one of the allowed values");
        invalid(smt, row("size", 2L), "size:invalidValues", "size", "is not one of the allowed values");
        invalid(smt, row("iban", "DE89 3704"), "iban:invalidValues", "iban",
                "does not match pattern ^[A-Z]{2}[0-9]{2}[A-Z0-9]{4}[0-9]{7}([A-Z0-9]?){0,16}$");
        assertThat(verdict(smt, row("code", "ab"))).containsExactly(
                violation("code:invalidValues", "code", "is not one of the allowed values"),
                violation("code:invalidValues#2", "code", "does not match pattern [A-Z]+"));
        invalid(smt, row("legacy", "z"), "legacy:validValues", "legacy", "is not one of the allowed values");
    }

    @Test
    void customCelRulesRunAndSeverityWarningOnlyWarns() {
        ValidateContract<SinkRecord> smt = smt(document("""
                - name: t
                  properties:
                    - name: amount
                      quality:
                        - type: custom
                          engine: cel
                          id: positive
                          implementation: value.amount > 0
                        - type: custom
                          engine: CEL
                          severity: warning
                          implementation: value.amount < 1000
                  quality:
                    - type: custom
                      engine: cel
                      description: shipped orders have a carrier
                      implementation: |
                        !(value.status == 'SHIPPED') || has(value.carrier)
                    - type: text
                      description: Amounts are in the order's currency.
                """));
        valid(smt, row("amount", 5L, "status", "NEW"));
        invalid(smt, row("amount", 0L, "status", "NEW"), "amount:positive", "", "expression is false: value.amount > 0");
        invalid(smt, row("amount", 1L, "status", "SHIPPED"), "t:cel", "",
                "expression is false: !(value.status == 'SHIPPED') || has(value.carrier)");
        SinkRecord warned = smt.apply(Records.record(null, row("amount", 5000L, "status", "NEW")));
        assertThat(header(warned, "dq.status")).isEqualTo("valid");
        assertThat(header(warned, "dq.warnings")).isEqualTo("amount:cel");
    }

    // ==================================================================================== identity, selection, combination

    @Test
    void theContractsIdAndVersionAreTheDefaultIdentity() {
        String contract = properties("- name: id\n  required: true\n");
        assertThat(header(smt(contract).apply(Records.record(null, row("id", 1L))), "dq.contract"))
                .isEqualTo("shop@2.0.0");
        assertThat(header(smt(contract, "contract.id", "orders").apply(Records.record(null, row("id", 1L))),
                "dq.contract")).isEqualTo("orders@2.0.0");
        assertThat(header(smt(contract, "contract.id", "orders", "contract.version", "7")
                .apply(Records.record(null, row("id", 1L))), "dq.contract")).isEqualTo("orders@7");
    }

    @Test
    void contractSchemaPicksTheSchemaObject() {
        String contract = document("""
                - name: orders
                  properties:
                    - name: order_id
                      required: true
                - name: customers
                  properties:
                    - name: customer_id
                      required: true
                """);
        ValidateContract<SinkRecord> orders = smt(contract, "contract.schema", "orders");
        ValidateContract<SinkRecord> customers = smt(contract, "contract.schema", "customers");
        valid(orders, row("order_id", 1L));
        invalid(orders, row("customer_id", 1L), "order_id:required", "order_id", "is required but is missing");
        valid(customers, row("customer_id", 1L));
        invalid(customers, row("order_id", 1L), "customer_id:required", "customer_id", "is required but is missing");
    }

    @Test
    void inlineRulesRunAfterTheContractsRules() {
        ValidateContract<SinkRecord> smt = smt(properties("- name: id\n  required: true\n"),
                "rules", "note_short", "rules.note_short.type", "length", "rules.note_short.field", "note",
                "rules.note_short.max", "3");
        valid(smt, row("id", 1L, "note", "abc"));
        assertThat(verdict(smt, row("note", "abcd"))).containsExactly(
                violation("id:required", "id", "is required but is missing"),
                violation("note_short", "note", "length must be at most 3"));
        SinkRecord out = smt.apply(Records.record(null, row("note", "abcd")));
        assertThat(header(out, "dq.rules")).isEqualTo("id:required,note_short");
        assertThat(smt.metrics().violations("id:required")).isEqualTo(2);
        assertThat(smt.metrics().violations("note_short")).isEqualTo(2);
    }

    @Test
    void contractFileAndContractTextGiveTheSameRules() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("contract", ".odcs.yaml");
        try {
            String text = properties("""
                    - name: qty
                      logicalType: integer
                      logicalTypeOptions: {minimum: 1}
                    """);
            java.nio.file.Files.writeString(file, text);
            ValidateContract<SinkRecord> fromText = smt(text);
            ValidateContract<SinkRecord> fromFile = Records.valueSmt(props("on.failure", "tag",
                    "contract.file", file.toString()));
            smts.add(fromFile);
            for (Object row : Arrays.asList(row("qty", 0L), row("qty", 1L), row("qty", "x"))) {
                assertThat(verdict(fromFile, row)).isEqualTo(verdict(fromText, row));
            }
            invalid(fromFile, row("qty", 0L), "qty:range", "qty", "must be at least 1");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void theFileWithEveryMappingRunsInTheSmt() {
        String file;
        try {
            file = java.nio.file.Paths.get(getClass().getResource("/contracts/all-mappings.odcs.yaml").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ValidateContract<SinkRecord> smt = Records.valueSmt(props("on.failure", "tag", "contract.file", file));
        smts.add(smt);
        Map<String, Object> good = row("shipment_id", "123e4567-e89b-12d3-a456-426614174000", "weight_kg", 1.5,
                "parcels", 2L, "tracking_code", "ABCDEFGHIJ", "contact_email", "a@example.com", "express", true,
                "service", "standard", "carrier", "DHL", "reference", "A",
                "recipient", row("name", "Ada", "country", "GB"), "labels", List.of(row("code", "L1", "copies", 1L)));
        SinkRecord valid = smt.apply(Records.record(null, good));
        assertThat(header(valid, "dq.status")).isEqualTo("valid");
        assertThat(header(valid, "dq.contract")).isEqualTo("all-mappings@0.1.0");

        Map<String, Object> bad = row("shipment_id", "nope", "weight_kg", 0L, "parcels", 70_000L,
                "tracking_code", "short", "contact_email", "a@b", "express", "yes", "service", "overnight",
                "carrier", "Owl", "reference", "C", "recipient", row("country", "GBR"),
                "labels", List.of(row("copies", 0L)), "shipped_at", 5L, "delivered_at", 1L);
        SinkRecord invalid = smt.apply(Records.record(null, bad));
        assertThat(header(invalid, "dq.rules")).isEqualTo("shipment_id:format,weight_kg:range,parcels:format,"
                + "tracking_code:length,tracking_code:pattern,contact_email:format,express:logicalType,"
                + "shipped_at:logicalType,service:enum,reference:invalidValues,reference:invalidValues#2,"
                + "recipient.name:required,recipient.country:length,labels[*].code:required,labels[*].copies:range,"
                + "shipments:delivered_after_shipped");
        assertThat(header(invalid, "dq.warnings")).isEqualTo("carrier:invalidValues");
        assertThat(header(smt.apply(Records.record(null, row())), "dq.rules"))
                .isEqualTo("shipment_id:required,carrier:nullValues,labels[*].copies:cel");
    }

    @Test
    void aPropertyWithoutChecksAddsNoRule() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: note
                  description: free text
                  physicalType: varchar(200)
                  primaryKey: false
                  classification: public
                  examples: [a, b]
                """));
        valid(smt, row(), row("note", 5L));
    }
}
