package dev.truthline.connect.it;

import static dev.truthline.connect.it.TruthlineCluster.DEDUPLICATE;
import static dev.truthline.connect.it.TruthlineCluster.JDBC_SINK;
import static dev.truthline.connect.it.TruthlineCluster.TIMEOUT_MS;
import static dev.truthline.connect.it.TruthlineCluster.VALIDATE_KEY;
import static dev.truthline.connect.it.TruthlineCluster.VALIDATE_VALUE;
import static dev.truthline.connect.it.TruthlineCluster.VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.it.Orders.Order;
import dev.truthline.connect.harness.ConnectRest.Response;

/**
 * The packaged Truthline plugin on three real Connect workers, loaded only from {@code plugin.path}
 * beside the official Debezium plugin archives, driven only through the REST API: what is listed, what
 * is rejected before a connector exists, a JDBC sink pipeline into a real PostgreSQL with Connect's
 * dead-letter queue, poison inputs, a Debezium source with a quarantine, and the plugins' metrics
 * over JMX.
 */
class PackagedPluginIT {

    private static final Logger log = LoggerFactory.getLogger(PackagedPluginIT.class);

    private static final List<String> CONTRACT_METRICS = List.of("records-total", "records-valid", "records-invalid",
            "records-failed", "records-quarantined", "records-skipped");
    private static final List<String> DEDUPE_METRICS = List.of("records-total", "records-passed", "duplicates-total",
            "replays-total", "records-skipped");

    private static TruthlineCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TruthlineCluster.start("packaged", 3);
        cluster.startPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void listsTheTransformsWithTheirVersionsAndDocumentedKeys() throws Exception {
        Response plugins = cluster.rest("GET", "connector-plugins?connectorsOnly=false", null);
        assertThat(plugins.status()).isEqualTo(200);
        Map<String, JsonNode> byClass = new HashMap<>();
        plugins.json().forEach(p -> byClass.put(p.get("class").asText(), p));
        for (String transform : List.of(VALIDATE_VALUE, VALIDATE_KEY, DEDUPLICATE)) {
            assertThat(byClass).as("plugins listed: %s", byClass.keySet()).containsKey(transform);
            assertThat(byClass.get(transform).get("type").asText()).isEqualTo("transformation");
            assertThat(byClass.get(transform).get("version").asText()).isEqualTo(VERSION);
        }
        // The Debezium plugins load beside it from their own folders.
        assertThat(byClass).containsKeys(JDBC_SINK, TruthlineCluster.POSTGRES_SOURCE);

        assertThat(configKeys(VALIDATE_VALUE)).contains("contract.id", "contract.version", "rules", "envelope",
                "on.failure", "quarantine.topic", "mode", "headers.prefix", "violations.include.values");
        assertThat(configKeys(DEDUPLICATE)).contains("strategy", "id.fields", "entity.fields", "version.field",
                "window.max.entries", "window.ttl.ms", "on.duplicate", "missing.id");
    }

    private static List<String> configKeys(String pluginClass) throws Exception {
        Response config = cluster.rest("GET", "connector-plugins/" + pluginClass + "/config", null);
        assertThat(config.status()).as(config.body()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        config.json().forEach(k -> {
            keys.add(k.get("name").asText());
            assertThat(k.get("documentation").asText()).as("doc of %s", k.get("name")).isNotBlank();
        });
        return keys;
    }

    @Test
    void badRuleConfigurationsAreRejectedByValidationNamingTheKeyAndNeverStart() throws Exception {
        Map<String, String> base = Orders.sinkConfig(cluster, "orders-never", "orders_never", "orders-never.dlq", 1);
        assertThat(validationErrors(base)).as("the reference config is valid").isEmpty();

        Map<String, String> unknownType = new LinkedHashMap<>(base);
        unknownType.put("transforms.contract.rules.status_in.type", "one_of");
        assertThat(validationErrors(unknownType)).containsOnlyKeys("transforms.contract.rules.status_in.type")
                .hasEntrySatisfying("transforms.contract.rules.status_in.type",
                        errors -> assertThat(String.join(" ", errors)).contains("one_of"));

        Map<String, String> badCel = new LinkedHashMap<>(base);
        badCel.put("transforms.contract.rules.paid_has_amount.expr", "value.status == ");
        assertThat(validationErrors(badCel)).containsOnlyKeys("transforms.contract.rules.paid_has_amount.expr")
                .hasEntrySatisfying("transforms.contract.rules.paid_has_amount.expr",
                        errors -> assertThat(String.join(" ", errors)).contains("CEL"));

        Map<String, String> minAboveMax = new LinkedHashMap<>(base);
        minAboveMax.put("transforms.contract.rules.amount_range.min", "5000000");
        assertThat(validationErrors(minAboveMax)).containsOnlyKeys("transforms.contract.rules.amount_range.min");

        // A static key: Connect's own ConfigDef validation finds it.
        Map<String, String> badAction = new LinkedHashMap<>(base);
        badAction.put("transforms.contract.on.failure", "explode");
        assertThat(validationErrors(badAction)).containsOnlyKeys("transforms.contract.on.failure");

        Map<String, String> badStrategy = new LinkedHashMap<>(base);
        badStrategy.put("transforms.dedupe.strategy", "guess");
        assertThat(validationErrors(badStrategy)).containsOnlyKeys("transforms.dedupe.strategy");

        // Creating a connector with such a config is refused, so it never starts.
        for (Map<String, String> bad : List.of(unknownType, badCel, minAboveMax, badAction)) {
            Response created = cluster.rest("PUT", "connectors/orders-never/config", bad);
            assertThat(created.status()).as(created.body()).isEqualTo(400);
            assertThat(created.json().get("message").asText()).contains("transforms.contract.");
            assertThat(cluster.rest("GET", "connectors/orders-never", null).status()).isEqualTo(404);
        }
        assertThat(cluster.rest("GET", "connectors", null).json()).noneMatch(n -> n.asText().equals("orders-never"));
    }

    @Test
    void pluginVersionSelectsTheTruthlineVersion() throws Exception {
        Map<String, String> base = Orders.sinkConfig(cluster, "orders-never", "orders_never", "orders-never.dlq", 1);
        Map<String, String> pinned = new LinkedHashMap<>(base);
        pinned.put("transforms.contract.plugin.version", VERSION);
        pinned.put("transforms.dedupe.plugin.version", "[" + VERSION + "]");
        assertThat(validationErrors(pinned)).isEmpty();

        Map<String, String> missing = new LinkedHashMap<>(base);
        missing.put("transforms.contract.plugin.version", "9.9.9");
        Map<String, List<String>> errors = validationErrors(missing);
        assertThat(errors).containsKey("transforms.contract.plugin.version");
        assertThat(errors.get("transforms.contract.plugin.version")).singleElement().asString()
                .contains("9.9.9").contains("available versions: [" + VERSION + "]");
    }

    /** {@code key → errors} of every key with an error, from {@code PUT .../config/validate}. */
    private static Map<String, List<String>> validationErrors(Map<String, String> config) throws Exception {
        config = new LinkedHashMap<>(config);
        config.put("name", "orders-never");
        String connectorClass = config.get("connector.class");
        String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        Response validated = cluster.rest("PUT", "connector-plugins/" + simpleName + "/config/validate", config);
        assertThat(validated.status()).as(validated.body()).isEqualTo(200);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (JsonNode entry : validated.json().get("configs")) {
            JsonNode value = entry.get("value");
            List<String> messages = new ArrayList<>();
            value.get("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(value.get("name").asText(), messages);
            }
        }
        assertThat(validated.json().get("error_count").asInt()).as(validated.body())
                .isEqualTo(errors.values().stream().mapToInt(List::size).sum());
        log.info("validate → {}", errors);
        return errors;
    }

    /**
     * Valid orders land in PostgreSQL exactly once through the JDBC sink in upsert mode; invalid ones go
     * to the dead-letter queue with Connect's context headers and a message naming the broken rule;
     * copies of valid orders are dropped; and the plugins' own counters, read over JMX from the workers
     * that run the three tasks, agree.
     */
    @Test
    void sinkPipelineLandsValidOrdersOnceAndDeadLettersInvalidOnes() throws Exception {
        String topic = "orders";
        String table = "orders_wh";
        String dlq = "orders.dlq";
        String connector = "orders-warehouse";
        cluster.connect().kafka().createTopic(topic, 3);
        Orders.createTable(cluster, table);
        cluster.putConnector(connector, Orders.sinkConfig(cluster, topic, table, dlq, 3));
        cluster.awaitRunning(connector, 3);
        cluster.awaitSinkGroupStable(connector, 3, 3);

        List<Order> originals = new ArrayList<>();
        Map<String, String> brokenRule = new HashMap<>();
        for (long id = 1; id <= 240; id++) {
            if (id % 8 == 0) {
                int kind = (int) (id / 8);
                originals.add(Order.invalid(id, kind));
                brokenRule.put("evt-" + id, Orders.BROKEN_RULES.get(kind % Orders.BROKEN_RULES.size()));
            } else {
                originals.add(Order.valid(id));
            }
        }
        List<Order> copies = new ArrayList<>();
        for (Order o : originals) {
            if (o.orderId() % 10 == 3 || o.orderId() % 40 == 0) {
                copies.add(o.copy(1));
            }
        }
        List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Order o : originals) {
                sent.add(send(producer, topic, o.key(), o.value(), o));
            }
            for (Order o : copies) {
                sent.add(send(producer, topic, o.key(), o.value(), o));
            }
        }
        Set<String> validIds = originals.stream().filter(o -> !brokenRule.containsKey(o.eventId()))
                .map(Order::eventId).collect(Collectors.toCollection(HashSet::new));
        List<Sent> invalid = sent.stream().filter(s -> brokenRule.containsKey(s.order().eventId())).toList();
        long validCopies = copies.stream().filter(o -> validIds.contains(o.eventId())).count();
        log.info("Sent {} orders: {} valid, {} invalid (with copies), {} copies of valid orders",
                sent.size(), validIds.size(), invalid.size(), validCopies);

        // A last valid order on each partition: once all have landed, every record before them was processed.
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int partition = 0; partition < 3; partition++) {
                Order last = Order.valid(1_000 + partition);
                RecordMetadata meta = producer.send(new ProducerRecord<>(topic, partition, last.key(), last.value())).get();
                sent.add(new Sent(topic, meta.partition(), meta.offset(), last.value(), last));
                validIds.add(last.eventId());
            }
        }
        waitForCondition(() -> Orders.rows(cluster, table).size() == validIds.size(), TIMEOUT_MS,
                () -> "Rows: " + Orders.rowCount(cluster, table) + " of " + validIds.size());
        List<ConsumerRecord<byte[], byte[]>> dead = awaitRecords(dlq, invalid.size());

        // The table: every valid order once, from its original event; no copy ever wrote to it.
        Map<String, Integer> rows = Orders.rows(cluster, table);
        assertThat(rows.keySet()).isEqualTo(validIds);
        assertThat(rows.values()).containsOnly(0);
        assertThat(Orders.writes(cluster, table)).isEqualTo(validIds.stream().map(id -> id + "#0").collect(Collectors.toSet()));

        // The DLQ: every invalid record (copies too) exactly at its position, with the rule it broke.
        Map<String, Sent> invalidByPosition = invalid.stream().collect(Collectors.toMap(Sent::position, Function.identity()));
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            Map<String, String> headers = headers(record);
            String position = originalPosition(headers);
            assertThat(invalidByPosition).as("DLQ record at %s", position).containsKey(position);
            seen.add(position);
            Sent original = invalidByPosition.get(position);
            assertThat(record.value()).isEqualTo(original.value());
            assertThat(headers).containsEntry("__connect.errors.stage", "TRANSFORMATION")
                    .containsEntry("__connect.errors.class.name", VALIDATE_VALUE)
                    .containsEntry("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException")
                    .containsEntry("__connect.errors.connector.name", connector);
            assertThat(headers.get("__connect.errors.exception.message"))
                    .contains("orders@1").contains("failed rules " + brokenRule.get(original.order().eventId()) + " (topic");
        }
        assertThat(seen).isEqualTo(invalidByPosition.keySet());
        assertThat(dead).hasSize(invalid.size());

        // The counters of both plugins, summed over the three tasks, over JMX from the worker of each.
        Map<String, Double> contract = sumMetrics(connector, 3, "contract", CONTRACT_METRICS);
        Map<String, Double> dedupe = sumMetrics(connector, 3, "dedupe", DEDUPE_METRICS);
        log.info("ValidateContract {}; Deduplicate {}", contract, dedupe);
        assertThat(contract).containsEntry("records-total", (double) sent.size())
                .containsEntry("records-valid", (double) (sent.size() - invalid.size()))
                .containsEntry("records-invalid", (double) invalid.size())
                .containsEntry("records-failed", (double) invalid.size())
                .containsEntry("records-quarantined", 0.0);
        assertThat(dedupe).containsEntry("records-total", (double) (sent.size() - invalid.size()))
                .containsEntry("duplicates-total", (double) validCopies)
                .containsEntry("records-passed", (double) validIds.size())
                .containsEntry("replays-total", 0.0);
        // The accounting equation, each term measured where it lives.
        assertThat((double) rows.size() + dead.size() + dedupe.get("duplicates-total")).isEqualTo(sent.size());
        cluster.connect().deleteConnector(connector);
    }

    /** A poison input: raw bytes, and where it must end up (a DLQ stage, or null where it is valid and passes). */
    record Poison(String name, byte[] key, byte[] value, String stage) {
    }

    /**
     * Poison never kills a task: at least 30 bad inputs, produced as raw bytes between good orders, each
     * end in the DLQ with the stage that refused it and a reason (or pass, where valid), the task stays
     * RUNNING throughout, and every good order around them lands.
     */
    @Test
    void poisonInputsEndInTheDeadLetterQueueAndNeverKillTheTask() throws Exception {
        String topic = "orders-poison";
        String table = "orders_poison";
        String dlq = "orders-poison.dlq";
        String connector = "orders-poison";
        cluster.connect().kafka().createTopic(topic, 1);
        Orders.createTable(cluster, table);
        cluster.putConnector(connector, Orders.sinkConfig(cluster, topic, table, dlq, 1));
        cluster.awaitRunning(connector, 1);

        List<Poison> corpus = PoisonCorpus.records();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        List<Sent> good = new ArrayList<>();
        Map<String, Poison> poisonAt = new LinkedHashMap<>();
        long id = 10_000;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Poison poison : corpus) {
                Order order = Order.valid(id++);
                good.add(send(producer, topic, order.key(), order.value(), order));
                RecordMetadata meta = producer.send(new ProducerRecord<>(topic, poison.key(), poison.value())).get();
                poisonAt.put(topic + "/" + meta.partition() + "/" + meta.offset(), poison);
            }
            Order last = Order.valid(id);
            good.add(send(producer, topic, last.key(), last.value(), last));
        }
        long expectedDead = corpus.stream().filter(p -> p.stage() != null).count();
        int total = good.size() + corpus.size();
        awaitCommitted(connector, total);
        List<ConsumerRecord<byte[], byte[]>> dead = awaitRecords(dlq, (int) expectedDead);

        Map<String, String> stageAt = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            Map<String, String> headers = headers(record);
            String position = originalPosition(headers);
            assertThat(headers.get("__connect.errors.exception.message")).as("reason of %s", position).isNotBlank();
            stageAt.put(position, headers.get("__connect.errors.stage"));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        poisonAt.forEach((position, poison) -> {
            expected.put(poison.name(), String.valueOf(poison.stage()));
            actual.put(poison.name(), String.valueOf(stageAt.get(position)));
        });
        log.info("Poison outcomes: {}", actual);
        assertThat(actual).isEqualTo(expected);
        assertThat(dead).hasSize((int) expectedDead);

        // Every good order around the poison landed, and nothing else did.
        assertThat(Orders.rows(cluster, table).keySet())
                .isEqualTo(good.stream().map(s -> s.order().eventId()).collect(Collectors.toSet()));
        assertThat(cluster.connect().connectorStatus(connector).tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
        cluster.connect().deleteConnector(connector);
    }

    /**
     * A source has no dead-letter queue: the Debezium PostgreSQL source with {@code ValidateContract}
     * ({@code on.failure=quarantine}) routes every change event that breaks the contract to the
     * quarantine topic, with the verdict in {@code dq.*} headers, and every other to its own topic.
     */
    @Test
    void sourceSideQuarantineRoutesInvalidChangesWithTheirVerdict() throws Exception {
        String connector = "orders-source";
        String topic = "src.public.src_orders";
        cluster.sql("CREATE TABLE src_orders (order_id bigint PRIMARY KEY, customer_id text, amount double precision, "
                + "status text NOT NULL)", "CREATE PUBLICATION truthline_src FOR TABLE src_orders");
        Map<String, String> config = cluster.postgresSource("src", "src_orders", "truthline_src");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("transforms", "contract");
        config.put("transforms.contract.type", VALIDATE_VALUE);
        config.put("transforms.contract.contract.id", "orders-source");
        config.put("transforms.contract.contract.version", "2");
        config.put("transforms.contract.on.failure", "quarantine");
        config.put("transforms.contract.rules", "customer_required,amount_range,status_in");
        config.put("transforms.contract.rules.customer_required.type", "required");
        config.put("transforms.contract.rules.customer_required.field", "customer_id");
        config.put("transforms.contract.rules.amount_range.type", "range");
        config.put("transforms.contract.rules.amount_range.field", "amount");
        config.put("transforms.contract.rules.amount_range.min", "0");
        config.put("transforms.contract.rules.status_in.type", "in");
        config.put("transforms.contract.rules.status_in.field", "status");
        config.put("transforms.contract.rules.status_in.values", "NEW,PAID,SHIPPED,CANCELLED");
        cluster.putConnector(connector, config);
        cluster.awaitRunning(connector, 1);
        waitForCondition(() -> Orders.count(cluster,
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'truthline_src' AND active") == 1,
                TIMEOUT_MS, "Debezium did not start streaming");

        Map<Long, String> invalid = new LinkedHashMap<>();
        List<String> statements = new ArrayList<>();
        for (long id = 1; id <= 40; id++) {
            String customer = "'c" + id + "'";
            double amount = id * 1.5;
            String status = "'NEW'";
            if (id % 10 == 1) {
                customer = "NULL";
                invalid.put(id, "customer_required");
            } else if (id % 10 == 4) {
                amount = -id;
                invalid.put(id, "amount_range");
            } else if (id % 10 == 7) {
                status = "'LOST'";
                invalid.put(id, "status_in");
            }
            statements.add("INSERT INTO src_orders VALUES (" + id + ", " + customer + ", " + amount + ", " + status + ")");
        }
        // An update that breaks the contract, then one that repairs it.
        statements.add("UPDATE src_orders SET status = 'GONE' WHERE order_id = 2");
        statements.add("UPDATE src_orders SET status = 'PAID' WHERE order_id = 2");
        cluster.sql(statements.toArray(String[]::new));

        List<ConsumerRecord<byte[], byte[]>> quarantined = awaitRecords(topic + ".quarantine", invalid.size() + 1);
        List<ConsumerRecord<byte[], byte[]>> clean = awaitRecords(topic, 40 - invalid.size() + 1);
        Map<String, String> rulesByEvent = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : quarantined) {
            Map<String, String> headers = headers(record);
            JsonNode payload = TruthlineCluster.JSON.readTree(record.value()).get("payload");
            String event = payload.get("op").asText() + " " + payload.get("after").get("order_id").asLong();
            assertThat(headers).containsEntry("dq.status", "invalid").containsEntry("dq.contract", "orders-source@2");
            JsonNode violations = TruthlineCluster.JSON.readTree(headers.get("dq.violations"));
            assertThat(violations).hasSize(1);
            assertThat(violations.get(0).get("rule").asText()).isEqualTo(headers.get("dq.rules"));
            assertThat(violations.get(0).has("value")).as("no payload values in headers unless asked").isFalse();
            rulesByEvent.put(event, headers.get("dq.rules"));
        }
        Map<String, String> expectedQuarantine = new LinkedHashMap<>();
        invalid.forEach((id, rule) -> expectedQuarantine.put("c " + id, rule));
        expectedQuarantine.put("u 2", "status_in");
        assertThat(rulesByEvent).isEqualTo(expectedQuarantine);
        assertThat(clean).hasSize(40 - invalid.size() + 1);
        for (ConsumerRecord<byte[], byte[]> record : clean) {
            assertThat(headers(record)).containsEntry("dq.status", "valid");
        }
        Map<String, Double> metrics = cluster.transformMetrics(connector, 0, "contract", CONTRACT_METRICS);
        assertThat(metrics).containsEntry("records-total", 42.0)
                .containsEntry("records-quarantined", (double) invalid.size() + 1)
                .containsEntry("records-valid", 42.0 - invalid.size() - 1);
        cluster.connect().deleteConnector(connector);
    }

    private static Map<String, Double> sumMetrics(String connector, int tasks, String alias, List<String> names)
            throws Exception {
        Map<String, Double> sum = new LinkedHashMap<>();
        for (int task = 0; task < tasks; task++) {
            cluster.transformMetrics(connector, task, alias, names).forEach((k, v) -> sum.merge(k, v, Double::sum));
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------

    record Sent(String topic, int partition, long offset, byte[] value, Order order) {
        String position() {
            return topic + "/" + partition + "/" + offset;
        }
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return cluster.connect().kafka().createProducer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8_000_000));
    }

    static Sent send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value, Order order)
            throws Exception {
        RecordMetadata meta = producer.send(new ProducerRecord<>(topic, key, value)).get();
        return new Sent(topic, meta.partition(), meta.offset(), value, order);
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), UTF_8));
        }
        return headers;
    }

    /** Where a dead-lettered record was read from ({@code topic/partition/offset}), from Connect's context headers. */
    static String originalPosition(Map<String, String> dlqHeaders) {
        return dlqHeaders.get("__connect.errors.topic") + "/" + dlqHeaders.get("__connect.errors.partition") + "/"
                + dlqHeaders.get("__connect.errors.offset");
    }

    static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int atLeast) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        waitForCondition(() -> {
            records.clear();
            cluster.connect().kafka().consumeAll(10_000, topic).forEach(records::add);
            return records.size() >= atLeast;
        }, TIMEOUT_MS, () -> "Only " + records.size() + " of " + atLeast + " records in " + topic);
        return records;
    }

    /** Waits until the sink connector's committed offsets cover {@code records} records. */
    static void awaitCommitted(String connector, long records) throws InterruptedException {
        waitForCondition(() -> StreamSupport.stream(cluster.connect().connectorOffsets(connector).offsets().spliterator(), false)
                .mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue()).sum() >= records,
                TIMEOUT_MS, () -> "Offsets of " + connector + ": " + cluster.connect().connectorOffsets(connector));
    }
}
