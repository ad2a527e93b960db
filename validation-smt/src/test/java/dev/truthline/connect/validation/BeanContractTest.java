package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.OdcsContractTest.row;
import static dev.truthline.connect.validation.Records.header;
import static dev.truthline.connect.validation.Records.props;
import static dev.truthline.connect.validation.Records.violation;
import static dev.truthline.connect.validation.Records.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.validation.beans.Customer;
import dev.truthline.connect.validation.beans.Misfits;
import dev.truthline.connect.validation.beans.Order;
import dev.truthline.connect.validation.beans.Payment;
import dev.truthline.connect.validation.beans.Shipment;

/** {@code contract.class}: Bean Validation classes as contracts, through the public SMT. */
class BeanContractTest {

    private final List<ValidateContract<SinkRecord>> smts = new ArrayList<>();

    @AfterEach
    void close() {
        smts.forEach(ValidateContract::close);
    }

    private ValidateContract<SinkRecord> smt(Class<?> contract, String... more) {
        Map<String, String> config = props("on.failure", "tag", "contract.class", contract.getName());
        config.putAll(props(more));
        ValidateContract<SinkRecord> smt = Records.valueSmt(config);
        smts.add(smt);
        return smt;
    }

    private static List<Map<String, String>> verdict(ValidateContract<SinkRecord> smt, Object value) {
        SinkRecord in = value instanceof Struct ? Records.record((Struct) value) : Records.record(null, value);
        return violations(smt.apply(in));
    }

    private static ConfigException configError(String contractClass) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ValidateContract.Value<SinkRecord>().configure(props("contract.class", contractClass)));
        assertThat(e).as("configuring contract.class=%s must fail", contractClass).isNotNull();
        return e;
    }

    // ==================================================================================== records and POJOs

    static final Schema ITEM = OrdersContractsTest.ITEM;
    static final Schema ORDER = OrdersContractsTest.ORDER;

    private static Struct order() {
        return new Struct(ORDER).put("order_id", 1L).put("customer_id", 2L).put("amount", new BigDecimal("9.99"))
                .put("currency", "EUR").put("status", "NEW")
                .put("items", List.of(new Struct(ITEM).put("sku", "ABC-1234").put("qty", 1L),
                        new Struct(ITEM).put("sku", "ABC-1235").put("qty", 1L)));
    }

    @Test
    void aRecordsViolationsAreBeanRulesAtTheRecordsFieldNames() {
        ValidateContract<SinkRecord> smt = smt(Order.class);
        assertThat(verdict(smt, order())).isEmpty();

        Struct bad = order().put("customer_id", null).put("currency", "XXX");
        ((Struct) bad.getArray("items").get(1)).put("qty", 0L);
        SinkRecord out = smt.apply(Records.record(bad));
        assertThat(violations(out)).containsExactly(
                violation("bean:AcceptedCurrency", "currency", "is not a currency the shop accepts"),
                violation("bean:Min", "items[1].qty", "must be greater than or equal to 1"),
                violation("bean:NotNull", "customer_id", "must not be null"));
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(header(out, "dq.rules")).isEqualTo("bean:AcceptedCurrency,bean:Min,bean:NotNull");
        assertThat(smt.metrics().violations("bean:NotNull")).isEqualTo(1);
        assertThat(smt.metrics().violations("bean:Min")).isEqualTo(1);
    }

    @Test
    void everyConstraintTheClassCanReportIsKnownUpFrontForTheMetrics() {
        try (BeanContract order = BeanContract.create(Order.class.getName(), false);
             BeanContract customer = BeanContract.create(Customer.class.getName(), false)) {
            assertThat(order.ruleNames()).containsExactly("bean:AcceptedCurrency", "bean:DecimalMax",
                    "bean:DecimalMin", "bean:Min", "bean:NotNull", "bean:Pattern", "bean:error", "bean:mapping");
            // Address's constraints are reached through @Valid on a field and on a list
            assertThat(customer.ruleNames()).containsExactly("bean:Email", "bean:NotBlank", "bean:NotNull",
                    "bean:Size", "bean:error", "bean:mapping");
        }
    }

    @Test
    void aPojoWithNestedObjectsListsAndARenamedProperty() {
        ValidateContract<SinkRecord> smt = smt(Customer.class);
        Map<String, Object> good = row("full_name", "Ada Lovelace", "email_address", "ada@example.com",
                "home_address", row("country_code", "GB", "city", "London"),
                "other_addresses", List.of(row("country_code", "FR", "city", "Paris")),
                "tags", List.of("vip"), "segment_code", "B2", "unknown_field", 42L);
        assertThat(verdict(smt, good)).isEmpty();

        Map<String, Object> bad = row("full_name", " ", "email_address", "ada",
                "home_address", row("country_code", "GBR", "city", ""),
                "other_addresses", List.of(row("country_code", "FR", "city", "Paris"), row("city", "Rome")),
                "tags", List.of("vip", " "), "segment_code", "B");
        assertThat(verdict(smt, bad)).containsExactly(
                violation("bean:Email", "email_address", "must be a well-formed email address"),
                violation("bean:NotBlank", "full_name", "must not be blank"),
                violation("bean:NotBlank", "home_address.city", "must not be blank"),
                violation("bean:NotBlank", "tags[1]", "must not be blank"),
                violation("bean:NotNull", "other_addresses[1].country_code", "must not be null"),
                violation("bean:Size", "home_address.country_code", "size must be between 2 and 2"),
                violation("bean:Size", "segment_code", "size must be between 2 and 2"));
        assertThat(verdict(smt, row("full_name", "Ada"))).containsExactly(
                violation("bean:NotNull", "home_address", "must not be null"));
    }

    @Test
    void structsAreBoundLikeMaps() {
        Schema address = SchemaBuilder.struct().optional()
                .field("country_code", Schema.OPTIONAL_STRING_SCHEMA).field("city", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema customer = SchemaBuilder.struct().name("Customer")
                .field("full_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("home_address", address)
                .field("other_addresses", SchemaBuilder.array(address).optional().build())
                .build();
        Struct value = new Struct(customer).put("full_name", "Ada")
                .put("home_address", new Struct(address).put("country_code", "G").put("city", "London"))
                .put("other_addresses", List.of(new Struct(address).put("country_code", "FR")));
        assertThat(verdict(smt(Customer.class), value)).containsExactly(
                violation("bean:NotBlank", "other_addresses[0].city", "must not be blank"),
                violation("bean:Size", "home_address.country_code", "size must be between 2 and 2"));
    }

    // ==================================================================================== custom constraints, dates

    @Test
    void aCustomClassLevelConstraintReportsOnItsProperty() {
        ValidateContract<SinkRecord> smt = smt(Shipment.class);
        assertThat(verdict(smt, row("status", "PENDING", "parcels", 1L))).isEmpty();
        assertThat(verdict(smt, row("status", "SHIPPED", "parcels", 2L, "carrier", "DHL"))).isEmpty();
        assertThat(verdict(smt, row("status", "SHIPPED", "parcels", 2L))).containsExactly(
                violation("bean:CarrierWhenShipped", "carrier", "is required once the shipment has shipped"));
    }

    @Test
    void connectDatesAndTimestampsBindToJavaTime() {
        Schema schema = SchemaBuilder.struct().name("Shipment")
                .field("status", Schema.STRING_SCHEMA)
                .field("parcels", Schema.INT32_SCHEMA)
                .field("shipped_on", org.apache.kafka.connect.data.Date.builder().optional().build())
                .field("updated_at", Timestamp.builder().optional().build())
                .build();
        long day = 86_400_000L;
        long past = 19_000 * day;
        long future = System.currentTimeMillis() + 400 * day;
        ValidateContract<SinkRecord> smt = smt(Shipment.class);
        assertThat(verdict(smt, new Struct(schema).put("status", "PENDING").put("parcels", 1)
                .put("shipped_on", new Date(past)).put("updated_at", new Date(past + 12_345)))).isEmpty();
        assertThat(verdict(smt, new Struct(schema).put("status", "PENDING").put("parcels", 1)
                .put("shipped_on", new Date(future - future % day)).put("updated_at", new Date(future)))).containsExactly(
                violation("bean:PastOrPresent", "shipped_on", "must be a date in the past or in the present"),
                violation("bean:PastOrPresent", "updated_at", "must be a date in the past or in the present"));
        // ISO text in schemaless data binds the same way
        assertThat(verdict(smt, row("status", "PENDING", "parcels", 1L, "shipped_on", "2024-03-01",
                "updated_at", "2024-03-01T10:15:30Z"))).isEmpty();
    }

    // ==================================================================================== wrong types

    @Test
    void aValueOfTheWrongTypeIsAMappingViolation() {
        ValidateContract<SinkRecord> shipment = smt(Shipment.class);
        assertThat(verdict(shipment, row("status", "LOST", "parcels", 1L))).containsExactly(
                violation("bean:mapping", "status", "is not one of the values of Status"));
        assertThat(verdict(shipment, row("status", "PENDING", "parcels", null))).containsExactly(
                violation("bean:mapping", "parcels", "is null, which int cannot hold"));
        assertThat(verdict(shipment, row("status", "PENDING", "parcels", 1.5))).containsExactly(
                violation("bean:mapping", "parcels", "cannot be read as int"));
        assertThat(verdict(shipment, row("status", "PENDING", "parcels", "3"))).containsExactly(
                violation("bean:mapping", "parcels", "cannot be read as int"));
        assertThat(verdict(shipment, row("status", "PENDING", "parcels", 1L, "shipped_on", "yesterday")))
                .containsExactly(violation("bean:mapping", "shipped_on", "cannot be read as LocalDate"));
        ValidateContract<SinkRecord> order = smt(Order.class);
        Map<String, Object> items = row("order_id", 1L, "customer_id", 2L, "amount", 1L, "currency", "EUR",
                "status", "NEW", "items", List.of(row("sku", "ABC-1234", "qty", 1L), row("sku", true, "qty", 1L)));
        assertThat(verdict(order, items)).containsExactly(
                violation("bean:mapping", "items[1].sku", "cannot be read as text"));
        assertThat(verdict(order, row("order_id", 1L, "items", row("sku", "ABC-1234")))).containsExactly(
                violation("bean:mapping", "items", "cannot be read as an array"));
        assertThat(smt(Order.class).apply(Records.record(Schema.STRING_SCHEMA, "an order"))).satisfies(out ->
                assertThat(violations(out)).containsExactly(violation("bean:mapping", "",
                        "expected a struct or map to bind to Order but was string")));
    }

    @Test
    void aMappingViolationNeverQuotesTheValue() {
        SinkRecord out = smt(Shipment.class).apply(Records.record(null, row("status", "SECRET-4711", "parcels", 1L)));
        assertThat(header(out, "dq.violations")).doesNotContain("SECRET-4711");
    }

    // ==================================================================================== values in messages

    @Test
    void theValidatedValueIsHiddenFromMessagesUnlessValuesAreIncluded() {
        Map<String, Object> payment = row("card_number", "4111111111111112", "cvc", "12a");
        SinkRecord hidden = smt(Payment.class).apply(Records.record(null, payment));
        assertThat(violations(hidden)).containsExactly(
                violation("bean:LuhnCheck", "card_number",
                        "the check digit for (value hidden) is invalid, Luhn Modulo 10 checksum failed"),
                violation("bean:Pattern", "cvc", "(value hidden) is not three digits"));
        assertThat(header(hidden, "dq.violations")).doesNotContain("4111").doesNotContain("12a");

        SinkRecord shown = smt(Payment.class, "violations.include.values", "true").apply(Records.record(null, payment));
        List<Map<String, String>> withValues = violations(shown);
        assertThat(withValues).extracting(v -> v.get("message")).containsExactly(
                "the check digit for 4111111111111112 is invalid, Luhn Modulo 10 checksum failed",
                "12a is not three digits");
        assertThat(withValues).extracting(v -> v.get("value")).containsExactly("4111111111111112", "12a");
    }

    // ==================================================================================== envelopes, keys, inline rules

    @Test
    void theRowImageOfADebeziumEventIsBound() {
        Struct before = order();
        Struct after = order().put("status", "LOST");
        ValidateContract<SinkRecord> smt = smt(Order.class);
        assertThat(violations(smt.apply(Records.record(Records.envelope("u", ORDER, before, after)))))
                .containsExactly(violation("bean:Pattern", "status", "must match \"NEW|PAID|SHIPPED|CANCELLED\""));
        assertThat(violations(smt.apply(Records.record(Records.envelope("d", ORDER, after, null)))))
                .containsExactly(violation("bean:Pattern", "status", "must match \"NEW|PAID|SHIPPED|CANCELLED\""));
    }

    @Test
    void keysCanBeBoundToo() {
        Schema keySchema = SchemaBuilder.struct().name("Key").field("status", Schema.STRING_SCHEMA)
                .field("parcels", Schema.INT32_SCHEMA).build();
        ValidateContract<SinkRecord> smt = new ValidateContract.Key<>();
        smt.configure(props("on.failure", "tag", "contract.class", Shipment.class.getName()));
        smts.add(smt);
        Struct key = new Struct(keySchema).put("status", "PENDING").put("parcels", 0);
        SinkRecord out = smt.apply(Records.record(key, Schema.STRING_SCHEMA, "v", new ConnectHeaders()));
        assertThat(violations(out)).containsExactly(
                violation("bean:Min", "parcels", "must be greater than or equal to 1"));
    }

    @Test
    void inlineRulesRunAfterTheClass() {
        ValidateContract<SinkRecord> smt = smt(Shipment.class, "rules", "carrier_known",
                "rules.carrier_known.type", "in", "rules.carrier_known.field", "carrier", "rules.carrier_known.values",
                "DHL,UPS");
        SinkRecord out = smt.apply(Records.record(null, row("status", "PENDING", "parcels", 0L, "carrier", "Owl")));
        assertThat(violations(out)).containsExactly(
                violation("bean:Min", "parcels", "must be greater than or equal to 1"),
                violation("carrier_known", "carrier", "is not one of the allowed values"));
        assertThat(header(out, "dq.rules")).isEqualTo("bean:Min,carrier_known");
    }

    // ==================================================================================== classes that are not contracts

    @Test
    void anUnknownClass() {
        String message = "Invalid value com.example.NoSuchContract for configuration contract.class: no such class: "
                + "put the jar that holds it in the Truthline plugin directory";
        assertThat(configError("com.example.NoSuchContract")).hasMessage(message);
        Map<String, ConfigValue> validated = new LinkedHashMap<>();
        ValidateContract.CONFIG_DEF.validate(props("contract.class", "com.example.NoSuchContract"))
                .forEach(v -> validated.put(v.name(), v));
        assertThat(validated.get("contract.class").errorMessages()).containsExactly(message);
    }

    @Test
    void anInterface() {
        assertThat(configError(Misfits.Shape.class.getName())).hasMessage("Invalid value " + Misfits.Shape.class.getName()
                + " for configuration contract.class: must be a record or a concrete class, not an interface, "
                + "abstract class, enum or array");
    }

    @Test
    void aClassJacksonCannotMake() {
        assertThat(configError(Misfits.NoCreator.class.getName()).getMessage()).startsWith("Invalid value "
                + Misfits.NoCreator.class.getName() + " for configuration contract.class: Jackson cannot bind records "
                + "to it: Cannot construct instance of `" + Misfits.NoCreator.class.getName() + "`");
    }

    @Test
    void aConstraintOnATypeItCannotCheckFailsEveryRecordVisibly() {
        SinkRecord out = smt(Misfits.SizeOfANumber.class).apply(Records.record(null, row("n", 5L)));
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(violations(out)).singleElement().satisfies(v -> {
            assertThat(v.get("rule")).isEqualTo("bean:error");
            assertThat(v.get("message")).startsWith("the constraints of SizeOfANumber could not be evaluated: HV000030: "
                    + "No validator could be found for constraint 'jakarta.validation.constraints.Size' validating "
                    + "type 'java.lang.Integer'");
        });
    }

    @Test
    void closingTwiceIsHarmless() {
        ValidateContract<SinkRecord> smt = Records.valueSmt(props("contract.class", Order.class.getName()));
        smt.close();
        assertThatCode(smt::close).doesNotThrowAnyException();
    }
}
