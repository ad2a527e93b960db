package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Verdicts, actions, modes, headers, envelopes and metrics of the whole transform. */
class ValidateContractTest {

    private static final Schema ORDER = SchemaBuilder.struct().name("shop.Order").version(3).doc("an order")
            .field("order_id", Schema.INT64_SCHEMA)
            .field("amount", Decimal.builder(2).optional().build())
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static final Schema ENVELOPE = SchemaBuilder.struct().name("pg.public.orders.Envelope")
            .field("before", SchemaBuilder.struct().name("pg.public.orders.Value").optional()
                    .field("order_id", Schema.INT64_SCHEMA)
                    .field("amount", Decimal.builder(2).optional().build())
                    .field("currency", Schema.OPTIONAL_STRING_SCHEMA).build())
            .field("after", SchemaBuilder.struct().name("pg.public.orders.Value").optional()
                    .field("order_id", Schema.INT64_SCHEMA)
                    .field("amount", Decimal.builder(2).optional().build())
                    .field("currency", Schema.OPTIONAL_STRING_SCHEMA).build())
            .field("source", SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                    .field("table", Schema.STRING_SCHEMA).build())
            .field("op", Schema.STRING_SCHEMA)
            .build();

    private ValidateContract<SinkRecord> smt;

    @AfterEach
    void close() {
        if (smt != null) {
            smt.close();
        }
    }

    private static Map<String, Object> contract(String... extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("contract.id", "orders");
        props.put("contract.version", "2");
        props.put("rules", "amount_range,currency_known");
        props.put("rules.amount_range.type", "range");
        props.put("rules.amount_range.field", "amount");
        props.put("rules.amount_range.min", "0");
        props.put("rules.amount_range.max", "1000");
        props.put("rules.currency_known.type", "in");
        props.put("rules.currency_known.field", "currency");
        props.put("rules.currency_known.values", "EUR,USD");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    private ValidateContract<SinkRecord> value(Map<String, Object> props) {
        smt = new ValidateContract.Value<>();
        smt.configure(props);
        return smt;
    }

    private static Struct order(long id, String amount, String currency) {
        return new Struct(ORDER).put("order_id", id)
                .put("amount", amount == null ? null : new BigDecimal(amount))
                .put("currency", currency);
    }

    private static SinkRecord sink(Schema schema, Object value) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("trace", "abc");
        return new SinkRecord("orders", 3, Schema.STRING_SCHEMA, "k1", schema, value, 42L, 1700000000000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, headers);
    }

    private static String header(ConnectRecord<?> record, String key) {
        Header header = record.headers().lastWithName(key);
        return header == null ? null : (String) header.value();
    }

    @Test
    void validRecordIsTaggedAndOtherwiseUnchanged() {
        SinkRecord in = sink(ORDER, order(1, "12.50", "EUR"));
        SinkRecord out = value(contract()).apply(in);

        assertThat(header(out, "dq.status")).isEqualTo("valid");
        assertThat(header(out, "dq.contract")).isEqualTo("orders@2");
        assertThat(header(out, "dq.violations")).isNull();
        assertThat(header(out, "dq.rules")).isNull();
        assertThat(header(out, "trace")).isEqualTo("abc");
        assertThat(out.value()).isSameAs(in.value());
        assertThat(out.valueSchema()).isSameAs(ORDER);
        assertThat(out.key()).isEqualTo("k1");
        assertThat(out.topic()).isEqualTo("orders");
        assertThat(out.kafkaPartition()).isEqualTo(3);
        assertThat(out.kafkaOffset()).isEqualTo(42L);
        assertThat(out.timestamp()).isEqualTo(1700000000000L);
    }

    @Test
    void neverWritesIntoTheIncomingHeaders() {
        SinkRecord in = sink(ORDER, order(1, "5000", "XXX"));
        Headers shared = in.headers();
        SinkRecord out = value(contract("on.failure", "tag")).apply(in);

        assertThat(out.headers()).isNotSameAs(shared);
        assertThat(shared.lastWithName("dq.status")).isNull();
        assertThat(shared).hasSize(1);
    }

    @Test
    void failThrowsADataExceptionNamingTheRulesButNoValues() {
        SinkRecord in = sink(ORDER, order(1, "5000", "XXX"));
        assertThatThrownBy(() -> value(contract()).apply(in))
                .isInstanceOf(DataException.class)
                .hasMessage("Record violates contract orders@2: failed rules amount_range,currency_known "
                        + "(topic orders, partition 3, offset 42)")
                .message().doesNotContain("5000").doesNotContain("XXX");
        assertThat(smt.metrics().failed.sum()).isEqualTo(1);
    }

    @Test
    void tagKeepsTheInvalidRecordAndExplainsIt() {
        SinkRecord out = value(contract("on.failure", "tag")).apply(sink(ORDER, order(1, "5000", "EUR")));

        assertThat(out.topic()).isEqualTo("orders");
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(header(out, "dq.rules")).isEqualTo("amount_range");
        assertThat(header(out, "dq.violations")).isEqualTo(
                "[{\"rule\":\"amount_range\",\"field\":\"amount\",\"message\":\"must be between 0 and 1000\"}]");
    }

    @Test
    void valuesAreIncludedOnlyWhenAskedFor() {
        SinkRecord out = value(contract("on.failure", "tag", "violations.include.values", "true"))
                .apply(sink(ORDER, order(1, "5000.00", "EUR")));
        assertThat(header(out, "dq.violations")).isEqualTo("[{\"rule\":\"amount_range\",\"field\":\"amount\","
                + "\"message\":\"must be between 0 and 1000\",\"value\":\"5000.00\"}]");
    }

    @Test
    void violationsAreValidJsonWhateverTheMessageHolds() {
        SinkRecord out = value(contract("on.failure", "tag", "violations.include.values", "true",
                "rules.amount_range.message", "amount \"too\" big\tfor\\ \u0001\u00e9"))
                .apply(sink(ORDER, order(1, "5000", null)));
        assertThat(header(out, "dq.violations")).isEqualTo("[{\"rule\":\"amount_range\",\"field\":\"amount\","
                + "\"message\":\"amount \\\"too\\\" big\\tfor\\\\ \\u0001\u00e9\",\"value\":\"5000\"}]");
    }

    @Test
    void quarantineReroutesToTheTemplateTopicAndKeepsTheSinkPartition() {
        SinkRecord out = value(contract("on.failure", "quarantine")).apply(sink(ORDER, order(1, "1", "JPY")));
        assertThat(out.topic()).isEqualTo("orders.quarantine");
        assertThat(out.kafkaPartition()).isEqualTo(3);
        assertThat(out.originalTopic()).isEqualTo("orders");
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(header(out, "dq.rules")).isEqualTo("currency_known");
        assertThat(smt.metrics().quarantined.sum()).isEqualTo(1);
    }

    @Test
    void quarantinedSourceRecordsLetTheProducerPickThePartition() {
        ValidateContract<SourceRecord> source = new ValidateContract.Value<>();
        source.configure(contract("on.failure", "quarantine", "quarantine.topic", "dq-${topic}-bad"));
        SourceRecord in = new SourceRecord(Map.of("table", "orders"), Map.of("lsn", 7L), "orders", 2,
                ORDER, order(1, "-1", "EUR"));
        SourceRecord out = source.apply(in);
        assertThat(out.topic()).isEqualTo("dq-orders-bad");
        assertThat(out.kafkaPartition()).isNull();
        assertThat(out.sourcePartition()).isEqualTo(Map.of("table", "orders"));
        assertThat(out.sourceOffset()).isEqualTo(Map.of("lsn", 7L));
        SourceRecord valid = source.apply(new SourceRecord(null, null, "orders", 2, ORDER, order(2, "1", "EUR")));
        assertThat(valid.kafkaPartition()).isEqualTo(2);
    }

    @Test
    void dropDiscardsInvalidRecordsAndCountsThem() {
        ValidateContract<SinkRecord> t = value(contract("on.failure", "drop"));
        assertThat(t.apply(sink(ORDER, order(1, "-3", "EUR")))).isNull();
        assertThat(t.apply(sink(ORDER, order(2, "3", "EUR")))).isNotNull();
        assertThat(t.metrics().dropped.sum()).isEqualTo(1);
        assertThat(t.metrics().valid.sum()).isEqualTo(1);
    }

    @Test
    void shadowModeTagsAndCountsButNeverFailsRoutesOrDrops() {
        for (String action : List.of("fail", "quarantine", "drop", "tag")) {
            ValidateContract<SinkRecord> t = value(contract("on.failure", action, "mode", "shadow"));
            SinkRecord out = t.apply(sink(ORDER, order(1, "-3", "EUR")));
            assertThat(out).as(action).isNotNull();
            assertThat(out.topic()).as(action).isEqualTo("orders");
            assertThat(header(out, "dq.status")).as(action).isEqualTo("invalid");
            assertThat(t.metrics().invalid.sum()).as(action).isEqualTo(1);
            assertThat(t.metrics().failed.sum() + t.metrics().quarantined.sum() + t.metrics().dropped.sum())
                    .as(action).isZero();
        }
    }

    @Test
    void warnSeverityTagsWithoutMakingTheRecordInvalid() {
        ValidateContract<SinkRecord> t = value(contract("rules.currency_known.severity", "warn"));
        SinkRecord out = t.apply(sink(ORDER, order(1, "5", "JPY")));
        assertThat(header(out, "dq.status")).isEqualTo("valid");
        assertThat(header(out, "dq.rules")).isNull();
        assertThat(header(out, "dq.warnings")).isEqualTo("currency_known");
        assertThat(header(out, "dq.violations")).contains("\"severity\":\"warn\"");
        assertThat(t.metrics().warned.sum()).isEqualTo(1);
        assertThat(t.metrics().violations("currency_known")).isEqualTo(1);
    }

    @Test
    void staleVerdictHeadersFromAnEarlierStageAreReplaced() {
        SinkRecord in = sink(ORDER, order(1, "5", "EUR"));
        in.headers().addString("dq.status", "invalid").addString("dq.rules", "old").addString("dq.contract", "x@1");
        SinkRecord out = value(contract()).apply(in);
        assertThat(out.headers().allWithName("dq.status")).toIterable().hasSize(1);
        assertThat(header(out, "dq.status")).isEqualTo("valid");
        assertThat(header(out, "dq.rules")).isNull();
        assertThat(header(out, "dq.contract")).isEqualTo("orders@2");
    }

    @Test
    void customHeaderPrefixAndNoContractId() {
        Map<String, Object> props = contract("headers.prefix", "quality_", "on.failure", "tag");
        props.remove("contract.id");
        SinkRecord out = value(props).apply(sink(ORDER, order(1, "-1", "EUR")));
        assertThat(header(out, "quality_status")).isEqualTo("invalid");
        assertThat(header(out, "quality_contract")).isNull();
        assertThat(header(out, "dq.status")).isNull();
    }

    @Test
    void tombstonesPassUntouched() {
        SinkRecord tombstone = sink(ORDER, null);
        assertThat(value(contract()).apply(tombstone)).isSameAs(tombstone);
        assertThat(smt.metrics().skipped.sum()).isEqualTo(1);
    }

    @Test
    void schemalessMapsAreValidated() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("order_id", 1L);
        row.put("amount", 2000.5);
        row.put("currency", "EUR");
        SinkRecord out = value(contract("on.failure", "tag")).apply(sink(null, row));
        assertThat(header(out, "dq.rules")).isEqualTo("amount_range");
    }

    @Nested
    class DebeziumEnvelopes {

        private Struct event(String op, Struct before, Struct after) {
            Struct envelope = new Struct(ENVELOPE).put("op", op)
                    .put("source", new Struct(ENVELOPE.field("source").schema()).put("table", "orders"));
            envelope.put("before", before);
            envelope.put("after", after);
            return envelope;
        }

        private Struct row(String amount, String currency) {
            return new Struct(ENVELOPE.field("after").schema()).put("order_id", 1L)
                    .put("amount", new BigDecimal(amount)).put("currency", currency);
        }

        @Test
        void createsAndUpdatesValidateTheAfterImage() {
            ValidateContract<SinkRecord> t = value(contract("on.failure", "tag"));
            SinkRecord update = t.apply(sink(ENVELOPE, event("u", row("-5", "EUR"), row("5", "GBP"))));
            assertThat(header(update, "dq.rules")).isEqualTo("currency_known");
            SinkRecord create = t.apply(sink(ENVELOPE, event("c", null, row("5", "USD"))));
            assertThat(header(create, "dq.status")).isEqualTo("valid");
            SinkRecord snapshot = t.apply(sink(ENVELOPE, event("r", null, row("5000", "USD"))));
            assertThat(header(snapshot, "dq.rules")).isEqualTo("amount_range");
        }

        @Test
        void deletesValidateTheBeforeImage() {
            SinkRecord out = value(contract("on.failure", "tag"))
                    .apply(sink(ENVELOPE, event("d", row("5000", "EUR"), null)));
            assertThat(header(out, "dq.rules")).isEqualTo("amount_range");
        }

        @Test
        void truncateAndMessageEventsPassUntouched() {
            ValidateContract<SinkRecord> t = value(contract());
            for (String op : List.of("t", "m")) {
                SinkRecord in = sink(ENVELOPE, event(op, null, null));
                assertThat(t.apply(in)).isSameAs(in);
            }
            assertThat(t.metrics().skipped.sum()).isEqualTo(2);
        }

        @Test
        void schemalessEnvelopesAreRecognised() {
            Map<String, Object> after = new HashMap<>(Map.of("order_id", 1L, "amount", 5, "currency", "CHF"));
            Map<String, Object> envelope = new HashMap<>();
            envelope.put("before", null);
            envelope.put("after", after);
            envelope.put("source", Map.of("table", "orders"));
            envelope.put("op", "c");
            SinkRecord out = value(contract("on.failure", "tag")).apply(sink(null, envelope));
            assertThat(header(out, "dq.rules")).isEqualTo("currency_known");
        }

        @Test
        void envelopeNoneValidatesTheEnvelopeItself() {
            SinkRecord out = value(contract("on.failure", "tag", "envelope", "none"))
                    .apply(sink(ENVELOPE, event("c", null, row("5000", "JPY"))));
            // The envelope has no amount or currency field: both rules pass on absent fields.
            assertThat(header(out, "dq.status")).isEqualTo("valid");
        }

        @Test
        void envelopeDebeziumTreatsAPlainRecordAsAViolation() {
            SinkRecord out = value(contract("on.failure", "tag", "envelope", "debezium"))
                    .apply(sink(ORDER, order(1, "5", "EUR")));
            assertThat(header(out, "dq.status")).isEqualTo("invalid");
            assertThat(header(out, "dq.rules")).isEqualTo("envelope");
        }

        @Test
        void celSeesTheRowImageAsValue() {
            ValidateContract<SinkRecord> t = value(Map.of("on.failure", "tag", "rules", "cel_rule",
                    "rules.cel_rule.type", "cel", "rules.cel_rule.expr", "value.currency == 'EUR' && topic == 'orders'"));
            assertThat(header(t.apply(sink(ENVELOPE, event("c", null, row("5", "EUR")))), "dq.status"))
                    .isEqualTo("valid");
            assertThat(header(t.apply(sink(ENVELOPE, event("c", null, row("5", "USD")))), "dq.rules"))
                    .isEqualTo("cel_rule");
        }
    }

    @Test
    void keyVariantValidatesTheKey() {
        Schema keySchema = SchemaBuilder.struct().field("order_id", Schema.OPTIONAL_INT64_SCHEMA).build();
        ValidateContract<SinkRecord> t = new ValidateContract.Key<>();
        smt = t;
        t.configure(Map.of("rules", "id", "rules.id.type", "required", "rules.id.field", "order_id",
                "on.failure", "tag"));
        SinkRecord good = new SinkRecord("orders", 0, keySchema, new Struct(keySchema).put("order_id", 5L),
                ORDER, order(1, "1", "EUR"), 0);
        SinkRecord bad = new SinkRecord("orders", 0, keySchema, new Struct(keySchema),
                ORDER, order(1, "1", "EUR"), 1);
        assertThat(header(t.apply(good), "dq.status")).isEqualTo("valid");
        assertThat(header(t.apply(bad), "dq.violations")).isEqualTo(
                "[{\"rule\":\"id\",\"field\":\"order_id\",\"message\":\"is required but is null\"}]");
    }

    @Test
    void metricsArePublishedThroughPluginMetrics() {
        try (Metrics registry = new Metrics()) {
            Map<String, String> tags = new LinkedHashMap<>(Map.of("connector", "c", "task", "0"));
            PluginMetricsImpl pluginMetrics = new PluginMetricsImpl(registry, tags);
            ValidateContract<SinkRecord> t = new ValidateContract.Value<>();
            smt = t;
            t.configure(contract("on.failure", "quarantine"));
            t.withPluginMetrics(pluginMetrics);
            t.apply(sink(ORDER, order(1, "5", "EUR")));
            t.apply(sink(ORDER, order(2, "5000", "JPY")));
            t.apply(sink(ORDER, null));

            assertThat(metric(registry, "records-total", Map.of())).isEqualTo(3.0);
            assertThat(metric(registry, "records-valid", Map.of())).isEqualTo(1.0);
            assertThat(metric(registry, "records-invalid", Map.of())).isEqualTo(1.0);
            assertThat(metric(registry, "records-quarantined", Map.of())).isEqualTo(1.0);
            assertThat(metric(registry, "records-skipped", Map.of())).isEqualTo(1.0);
            assertThat(metric(registry, "violations-total", Map.of("rule", "amount_range"))).isEqualTo(1.0);
            assertThat(metric(registry, "violations-total", Map.of("rule", "currency_known"))).isEqualTo(1.0);
        }
    }

    @Test
    void metricsRegisteredBeforeConfigureWork() {
        try (Metrics registry = new Metrics()) {
            ValidateContract<SinkRecord> t = new ValidateContract.Value<>();
            smt = t;
            t.withPluginMetrics(new PluginMetricsImpl(registry, new LinkedHashMap<>()));
            t.configure(contract("on.failure", "drop"));
            t.apply(sink(ORDER, order(2, "5000", "EUR")));
            assertThat(metric(registry, "records-dropped", Map.of())).isEqualTo(1.0);
        }
    }

    private static Object metric(Metrics registry, String name, Map<String, String> extraTags) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .filter(e -> e.getKey().tags().entrySet().containsAll(extraTags.entrySet()))
                .map(e -> e.getValue().metricValue())
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " " + extraTags
                        + " among " + registry.metrics().keySet().stream().map(MetricName::name).toList()));
    }

    @Test
    void versionIsTheProjectVersion() {
        assertThat(new ValidateContract.Value<SinkRecord>().version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
