package dev.truthline.connect.validation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code on.failure=dead_letter}: what is written, with which headers, that the transform waits for the write, and
 * what happens when the write cannot be made. The producer is Kafka's MockProducer (no broker); DeadLetterDurabilityIT
 * (integration-tests) runs the same path on a real worker that is killed hard.
 */
class DeadLetterTest {

    private static final Schema ORDER = SchemaBuilder.struct().name("shop.Order")
            .field("order_id", Schema.INT64_SCHEMA)
            .field("amount", Decimal.builder(2).optional().build())
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final AtomicReference<Map<String, Object>> producerProps = new AtomicReference<>();
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
        props.put("rules", "amount_range");
        props.put("rules.amount_range.type", "range");
        props.put("rules.amount_range.field", "amount");
        props.put("rules.amount_range.min", "0");
        props.put("rules.amount_range.max", "1000");
        props.put("on.failure", "dead_letter");
        props.put("dead.letter.topic", "orders.dlq");
        props.put("dead.letter.bootstrap.servers", "broker-1:9092");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    /** The transform with a producer that acknowledges every send at once (or as {@code autoComplete} says). */
    private ValidateContract<SinkRecord> deadLettering(boolean autoComplete, String... extra) {
        smt = new ValidateContract.Value<>();
        smt.deadLetterProducers = props -> {
            producerProps.set(props);
            MockProducer<byte[], byte[]> producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producers.add(producer);
            return producer;
        };
        smt.configure(contract(extra));
        return smt;
    }

    private static SinkRecord order(long id, String amount) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("trace", "abc");
        Struct value = new Struct(ORDER).put("order_id", id).put("amount", new BigDecimal(amount)).put("currency", "EUR");
        // As Connect hands it to the chain: the topic, partition and offset it was read at.
        return new SinkRecord("orders", 3, Schema.STRING_SCHEMA, "k" + id, ORDER, value, 40L + id, 1700000000000L,
                TimestampType.CREATE_TIME, headers);
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), UTF_8));
        }
        return headers;
    }

    @Test
    void aValidRecordPassesAndNoProducerIsMade() {
        ValidateContract<SinkRecord> t = deadLettering(true);
        SinkRecord in = order(1, "10.00");

        assertThat(t.apply(in).value()).isSameAs(in.value());
        assertThat(producers).as("made on the first rejection only").isEmpty();
    }

    @Test
    void aRejectedRecordIsWrittenAsTheConvertersWriteItWithConnectsContextHeadersAndLeavesTheChain() {
        ValidateContract<SinkRecord> t = deadLettering(true);
        SinkRecord rejected = order(2, "5000.00");

        String thread = Thread.currentThread().getName();
        Thread.currentThread().setName("task-thread-orders-warehouse-1");
        try {
            assertThat(t.apply(rejected)).isNull();
        } finally {
            Thread.currentThread().setName(thread);
        }

        assertThat(producers).hasSize(1);
        assertThat(producerProps.get()).containsEntry("client.id", "truthline-dead-letter-orders-warehouse-1");
        List<ProducerRecord<byte[], byte[]>> sent = producers.get(0).history();
        assertThat(sent).hasSize(1);
        ProducerRecord<byte[], byte[]> dead = sent.get(0);
        assertThat(dead.topic()).isEqualTo("orders.dlq");
        assertThat(dead.partition()).isNull();
        assertThat(dead.timestamp()).isEqualTo(1700000000000L);
        // The bytes the connector's JsonConverter (schemas.enable=true, the default) would have read the record from.
        try (JsonConverter json = new JsonConverter()) {
            json.configure(Map.of(), false);
            assertThat(dead.value()).isEqualTo(json.fromConnectData("orders", ORDER, rejected.value()));
            json.configure(Map.of(), true);
            assertThat(dead.key()).isEqualTo(json.fromConnectData("orders", Schema.STRING_SCHEMA, "k2"));
        }
        assertThat(headers(dead)).containsExactly(
                Map.entry("trace", "abc"),
                Map.entry("__connect.errors.topic", "orders"),
                Map.entry("__connect.errors.partition", "3"),
                Map.entry("__connect.errors.offset", "42"),
                Map.entry("__connect.errors.connector.name", "orders-warehouse"),
                Map.entry("__connect.errors.task.id", "1"),
                Map.entry("__connect.errors.stage", "TRANSFORMATION"),
                Map.entry("__connect.errors.class.name", ValidateContract.Value.class.getName()),
                Map.entry("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException"),
                Map.entry("__connect.errors.exception.message",
                        "Record violates contract orders: failed rules amount_range (topic orders, partition 3, offset 42)"));
        assertThat(new String(dead.value(), UTF_8)).contains("\"order_id\":2");
        assertThat(headers(dead).values()).noneMatch(v -> v.contains("5000"));
        assertThat(t.metrics().deadLettered.sum()).isEqualTo(1);
        assertThat(t.metrics().failed.sum()).isZero();
    }

    @Test
    void theRecordsHeadersAreWrittenByTheConnectorsHeaderConverter() {
        // The reference pipeline's header.converter; a worker configures it with converter.type=header.
        ValidateContract<SinkRecord> t = deadLettering(true, "dead.letter.header.converter",
                "org.apache.kafka.connect.storage.StringConverter");
        t.apply(order(8, "5000.00"));

        assertThat(headers(producers.get(0).history().get(0))).containsEntry("trace", "abc");
    }

    @Test
    void theProducerWritesWithAcksAllAndIdempotenceAndTakesEveryOtherDeadLetterKey() {
        deadLettering(true, "dead.letter.security.protocol", "SASL_SSL", "dead.letter.sasl.mechanism", "PLAIN",
                "dead.letter.sasl.jaas.config", "secret-jaas", "dead.letter.acks", "1",
                "dead.letter.value.converter.schemas.enable", "false").apply(order(3, "-1.00"));

        Map<String, Object> props = producerProps.get();
        assertThat(props).containsEntry("bootstrap.servers", "broker-1:9092")
                .containsEntry("enable.idempotence", true)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "secret-jaas")
                // What the user sets wins, the serializers excepted.
                .containsEntry("acks", "1")
                .containsEntry("key.serializer", ByteArraySerializer.class)
                .doesNotContainKeys("topic", "timeout.ms", "value.converter.schemas.enable")
                // Not on a Connect task thread: the producer's own client id.
                .doesNotContainKey("client.id");
        // Without schemas the value is the bare payload.
        assertThat(new String(producers.get(0).history().get(0).value(), UTF_8)).startsWith("{\"order_id\":3,");
    }

    @Test
    void aWriteTheBrokersRefuseStopsTheTaskWithAnErrorConnectDoesNotTolerate() {
        ValidateContract<SinkRecord> t = deadLettering(false);
        Thread failer = new Thread(() -> {
            while (producers.isEmpty() || !producers.get(0).errorNext(new TopicAuthorizationException("orders.dlq"))) {
                Thread.onSpinWait();
            }
        });
        failer.start();

        Throwable thrown = catchThrowableOfType(DeadLetterWriter.DeadLetterWriteFailed.class,
                () -> t.apply(order(4, "5000.00")));

        assertThat(thrown).isInstanceOf(Error.class).isNotInstanceOf(Exception.class)
                .hasMessageStartingWith("ValidateContract could not write the record it rejected at orders/3/44 to the "
                        + "dead-letter topic orders.dlq (dead.letter.bootstrap.servers=broker-1:9092) within PT2M: ")
                .hasMessageContaining("TopicAuthorizationException")
                .hasMessageEndingWith("nothing is committed past it.");
        assertThat(t.metrics().deadLettered.sum()).as("not counted: the record did not leave").isZero();
    }

    @Test
    void aWriteThatIsNotAcknowledgedInTimeStopsTheTask() {
        ValidateContract<SinkRecord> t = deadLettering(false, "dead.letter.timeout.ms", "50");

        assertThatThrownBy(() -> t.apply(order(5, "5000.00")))
                .isInstanceOf(DeadLetterWriter.DeadLetterWriteFailed.class)
                .hasMessageContaining("within PT0.05S: java.util.concurrent.TimeoutException");
    }

    @Test
    void theTopicAndTheBrokersAreRequiredAndNamed() {
        Map<String, Object> noTopic = contract();
        noTopic.remove("dead.letter.topic");
        assertThatThrownBy(() -> new ValidateContract.Value<SinkRecord>().configure(noTopic))
                .isInstanceOf(KeyedConfigException.class)
                .hasMessage("Invalid value  for configuration dead.letter.topic: is required with on.failure=dead_letter");
        Map<String, Object> noBrokers = contract("dead.letter.bootstrap.servers", " ");
        assertThatThrownBy(() -> new ValidateContract.Value<SinkRecord>().configure(noBrokers))
                .isInstanceOf(KeyedConfigException.class)
                .hasMessage("Invalid value  for configuration dead.letter.bootstrap.servers: is required with "
                        + "on.failure=dead_letter");
    }

    @Test
    void aSourceConnectorCannotDeadLetterAndStopsRatherThanSkip() {
        ValidateContract<SourceRecord> source = new ValidateContract.Value<>();
        source.deadLetterProducers = props -> {
            throw new AssertionError("no producer for a source record");
        };
        source.configure(contract());
        Struct value = new Struct(ORDER).put("order_id", 6L).put("amount", new BigDecimal("-1.00"));
        try {
            assertThatThrownBy(() -> source.apply(new SourceRecord(Map.of(), Map.of(), "orders", 0, ORDER, value)))
                    .isInstanceOf(DeadLetterWriter.DeadLetterWriteFailed.class)
                    .hasMessage("on.failure=dead_letter is for sink connectors; a source connector routes invalid "
                            + "records with on.failure=quarantine");
        } finally {
            source.close();
        }
    }

    @Test
    void closingClosesTheProducer() {
        ValidateContract<SinkRecord> t = deadLettering(true);
        t.apply(order(7, "5000.00"));
        Producer<byte[], byte[]> producer = producers.get(0);
        t.close();
        smt = null;

        assertThat(((MockProducer<byte[], byte[]>) producer).closed()).isTrue();
    }
}
