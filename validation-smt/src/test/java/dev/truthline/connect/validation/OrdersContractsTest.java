package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.Records.header;
import static dev.truthline.connect.validation.Records.props;
import static dev.truthline.connect.validation.Records.toSchemaless;
import static dev.truthline.connect.validation.Records.violations;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.validation.beans.Order;

/**
 * The reference orders contract written three ways — inline rules, the ODCS file
 * {@code contracts/orders.odcs.yaml} (read from the file and from {@code contract.text}), and the Bean
 * Validation record {@link Order} — gives every orders record the same verdict: the same status and
 * the same set of failed fields. Each record's expected verdict is stated too, so three contracts that
 * agreed for the wrong reason would still fail.
 *
 * <p>One difference is by design and kept out of these records: a record that cannot be bound to the
 * class (a wrong type) reports its first binding problem only, where rules report every field.
 */
class OrdersContractsTest {

    static final Schema ITEM = SchemaBuilder.struct().name("Item").optional()
            .field("sku", Schema.OPTIONAL_STRING_SCHEMA)
            .field("qty", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    static final Schema ORDER = SchemaBuilder.struct().name("orders.Value").optional()
            .field("order_id", Schema.OPTIONAL_INT64_SCHEMA)
            .field("customer_id", Schema.OPTIONAL_INT64_SCHEMA)
            .field("amount", Decimal.builder(2).optional().build())
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .build();

    /** The contract as inline rules: every check of the ODCS file, one rule each. */
    static Map<String, String> inlineRules() {
        Map<String, String> props = props("on.failure", "tag", "contract.id", "orders", "contract.version", "1.0.0");
        List<String> names = new ArrayList<>();
        rule(props, names, "order_id_required", "required", "order_id");
        rule(props, names, "order_id_type", "type", "order_id", "expected", "long");
        rule(props, names, "customer_id_required", "required", "customer_id");
        rule(props, names, "customer_id_type", "type", "customer_id", "expected", "long");
        rule(props, names, "amount_required", "required", "amount");
        rule(props, names, "amount_type", "type", "amount", "expected", "number");
        rule(props, names, "amount_range", "range", "amount", "min", "0", "max", "1000000");
        rule(props, names, "currency_required", "required", "currency");
        rule(props, names, "currency_type", "type", "currency", "expected", "string");
        rule(props, names, "currency_in", "in", "currency", "values", "EUR,USD,GBP,CHF,JPY,SEK,PLN");
        rule(props, names, "status_required", "required", "status");
        rule(props, names, "status_type", "type", "status", "expected", "string");
        rule(props, names, "status_in", "in", "status", "values", "NEW,PAID,SHIPPED,CANCELLED");
        rule(props, names, "items_type", "type", "items", "expected", "array");
        rule(props, names, "item_type", "type", "items[*]", "expected", "struct");
        rule(props, names, "sku_type", "type", "items[*].sku", "expected", "string");
        rule(props, names, "sku_format", "regex", "items[*].sku", "pattern", "[A-Z]{3}-[0-9]{4}");
        rule(props, names, "qty_type", "type", "items[*].qty", "expected", "long");
        rule(props, names, "qty_min", "range", "items[*].qty", "min", "1");
        props.put("rules", String.join(",", names));
        return props;
    }

    private static void rule(Map<String, String> props, List<String> names, String name, String type, String field,
            String... parameters) {
        names.add(name);
        props.put("rules." + name + ".type", type);
        props.put("rules." + name + ".field", field);
        for (int i = 0; i < parameters.length; i += 2) {
            props.put("rules." + name + "." + parameters[i], parameters[i + 1]);
        }
    }

    static Path ordersFile() {
        try {
            return Paths.get(OrdersContractsTest.class.getResource("/contracts/orders.odcs.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ordersText() {
        try {
            return Files.readString(ordersFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<String, ValidateContract<SinkRecord>> CONTRACTS = new LinkedHashMap<>();

    @BeforeAll
    static void configure() {
        CONTRACTS.put("inline rules", Records.valueSmt(inlineRules()));
        // The contract's primaryKey is required (checked) and unique (not checked record by record: skipped).
        CONTRACTS.put("ODCS contract.file", Records.valueSmt(props("on.failure", "tag",
                "contract.file", ordersFile().toString(), "contract.unsupported", "skip")));
        CONTRACTS.put("ODCS contract.text", Records.valueSmt(props("on.failure", "tag",
                "contract.text", ordersText(), "contract.unsupported", "skip")));
        CONTRACTS.put("Bean Validation class", Records.valueSmt(props("on.failure", "tag",
                "contract.class", Order.class.getName(), "contract.id", "orders", "contract.version", "1.0.0")));
    }

    @AfterAll
    static void close() {
        CONTRACTS.values().forEach(ValidateContract::close);
        CONTRACTS.clear();
    }

    // ==================================================================================== records

    private static Struct item(String sku, Long qty) {
        return new Struct(ITEM).put("sku", sku).put("qty", qty);
    }

    private static Struct order(Long orderId, String amount, String currency, String status, Struct... items) {
        return new Struct(ORDER)
                .put("order_id", orderId)
                .put("customer_id", 500_001L)
                .put("amount", amount == null ? null : new BigDecimal(amount))
                .put("currency", currency)
                .put("status", status)
                .put("items", items.length == 0 ? null : Arrays.asList(items));
    }

    private static Struct valid() {
        return order(1L, "12.50", "EUR", "PAID", item("ABC-1234", 2L), item("XYZ-0001", 1L));
    }

    /** A record and the fields it must fail on (none: valid). */
    record Case(String name, SinkRecord record, Set<String> failedFields) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case struct(String name, Struct row, String... failed) {
        return new Case(name + " (struct)", Records.record(row), new TreeSet<>(List.of(failed)));
    }

    private static Case map(String name, Map<String, Object> row, String... failed) {
        return new Case(name + " (map)", Records.schemaless(row), new TreeSet<>(List.of(failed)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Struct row) {
        return (Map<String, Object>) toSchemaless(row);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> with(Struct row, String field, Object value) {
        Map<String, Object> map = asMap(row);
        if (field.startsWith("items[0].")) {
            ((Map<String, Object>) ((List<Object>) map.get("items")).get(0)).put(field.substring(9), value);
        } else {
            map.put(field, value);
        }
        return map;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        List<Case> structs = new ArrayList<>();
        structs.add(struct("valid", valid()));
        structs.add(struct("valid without items", order(2L, "0", "USD", "NEW")));
        structs.add(struct("valid with an empty item list", valid().put("items", List.of())));
        structs.add(struct("valid at the upper amount", order(3L, "1000000.00", "JPY", "SHIPPED")));
        structs.add(struct("valid item without sku or qty", order(4L, "1", "GBP", "CANCELLED", item(null, null))));
        structs.add(struct("valid with a null item", order(5L, "1", "GBP", "NEW", item("ABC-1234", 1L), null)));
        structs.add(struct("order_id null", valid().put("order_id", null), "order_id"));
        structs.add(struct("customer_id null", valid().put("customer_id", null), "customer_id"));
        structs.add(struct("amount null", valid().put("amount", null), "amount"));
        structs.add(struct("amount negative", valid().put("amount", new BigDecimal("-0.01")), "amount"));
        structs.add(struct("amount too high", valid().put("amount", new BigDecimal("1000000.01")), "amount"));
        structs.add(struct("currency not accepted", valid().put("currency", "EURO"), "currency"));
        structs.add(struct("currency lower case", valid().put("currency", "eur"), "currency"));
        structs.add(struct("status unknown", valid().put("status", "LOST"), "status"));
        structs.add(struct("status null", valid().put("status", null), "status"));
        structs.add(struct("sku malformed", order(6L, "5", "EUR", "NEW", item("ABC-1234", 1L), item("abc-12", 1L)),
                "items[1].sku"));
        structs.add(struct("two quantities zero",
                order(7L, "5", "EUR", "NEW", item("ABC-1234", 0L), item("ABC-1235", 3L), item("ABC-1236", 0L)),
                "items[0].qty", "items[2].qty"));
        structs.add(struct("several faults", order(null, "5", "EUR", "LOST", item("abc", 2L)),
                "order_id", "status", "items[0].sku"));
        cases.addAll(structs);
        // The same records schemaless, as the JSON converter without schemas gives them.
        for (Case c : structs) {
            cases.add(new Case(c.name().replace("(struct)", "(map)"),
                    Records.schemaless(asMap((Struct) c.record().value())), c.failedFields()));
        }
        // What only schemaless data can get wrong: types.
        cases.add(map("order_id as text", with(valid(), "order_id", "abc"), "order_id"));
        cases.add(map("amount as text", with(valid(), "amount", "12.50"), "amount"));
        cases.add(map("amount as a double", with(valid(), "amount", 12.5)));
        cases.add(map("amount as a long", with(valid(), "amount", 12L)));
        cases.add(map("currency as a number", with(valid(), "currency", 978L), "currency"));
        cases.add(map("status as a boolean", with(valid(), "status", true), "status"));
        cases.add(map("items not a list", with(valid(), "items", "ABC-1234"), "items"));
        cases.add(map("qty as a fraction", with(valid(), "items[0].qty", 1.5), "items[0].qty"));
        cases.add(map("sku as a number", with(valid(), "items[0].sku", 1234L), "items[0].sku"));
        Map<String, Object> missing = asMap(valid());
        missing.remove("customer_id");
        cases.add(map("customer_id missing", missing, "customer_id"));
        cases.add(map("an unknown field", with(valid(), "note", "leave at the door")));
        // Debezium change events: the row image is judged.
        Struct after = valid().put("status", "LOST");
        Struct event = Records.envelope("u", ORDER, valid(), after);
        cases.add(new Case("Debezium update, bad after image", Records.record(event), new TreeSet<>(Set.of("status"))));
        Struct delete = Records.envelope("d", ORDER, valid(), null);
        cases.add(new Case("Debezium delete, good before image", Records.record(delete), new TreeSet<>()));
        return cases;
    }

    // ==================================================================================== the proof

    @Test
    void everyContractGivesEveryRecordTheSameVerdict() {
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases()) {
            for (Map.Entry<String, ValidateContract<SinkRecord>> contract : CONTRACTS.entrySet()) {
                SinkRecord out = contract.getValue().apply(c.record());
                String expectedStatus = c.failedFields().isEmpty() ? "valid" : "invalid";
                softly.assertThat(header(out, "dq.status")).as("%s: %s", contract.getKey(), c).isEqualTo(expectedStatus);
                softly.assertThat(failedFields(out)).as("%s: %s, violations %s", contract.getKey(), c, violations(out))
                        .isEqualTo(c.failedFields());
                softly.assertThat(header(out, "dq.contract")).as("%s: %s", contract.getKey(), c)
                        .isEqualTo("orders@1.0.0");
            }
        }
        softly.assertAll();
    }

    private static Set<String> failedFields(SinkRecord out) {
        return violations(out).stream().map(v -> v.get("field")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theCasesCoverValidAndInvalidRecordsOfEveryShape() {
        List<Case> cases = cases();
        assertThat(cases).filteredOn(c -> c.failedFields().isEmpty()).hasSizeGreaterThan(5);
        assertThat(cases).filteredOn(c -> !c.failedFields().isEmpty()).hasSizeGreaterThan(20);
        assertThat(cases).extracting(c -> c.record().valueSchema() == null).contains(true, false);
    }
}
