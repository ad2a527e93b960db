package dev.truthline.connect.it;

import static dev.truthline.connect.it.PackagedPluginIT.headers;
import static dev.truthline.connect.it.PackagedPluginIT.originalPosition;
import static dev.truthline.connect.it.TruthlineCluster.TIMEOUT_MS;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.it.Orders.Order;
import dev.truthline.connect.harness.ForkedConnectWorker;

/**
 * Counting holds under faults. Three workers — two in this JVM, one in a JVM of its own — run three
 * orders sinks over one topic (six tasks each). While orders flow, with copies of earlier orders among
 * them, the forked worker is killed with SIGKILL (its tasks neither stop nor commit) and one in-process
 * worker is restarted (a rebalance); then orders sent before the kill come again, as a source re-emits
 * after an offset rewind. Beside them a real Debezium capture flows through the same faults into a fourth sink
 * ({@code debezium} strategy with the rebuild, {@link CdcFaults}) and is rewound at the end. Afterwards, for each sink, every produced record is in exactly one
 * place: the warehouse table, the dead-letter queue, or dropped as a duplicate — and none is missing.
 * The two sinks whose Deduplicate rebuilds its window from the log ({@code event_id}, and
 * {@code entity_version} in front of the JDBC upsert) let no copy into their tables; the one without
 * the rebuild shows how many copies a lost window lets through.
 *
 * <p>Where each record is, is read from the stores themselves: the table's write log (a trigger records
 * every INSERT and UPDATE with the event id and copy number), the DLQ's context headers (the original
 * topic, partition and offset), and what is in neither is a drop. The drop counters themselves cannot
 * be the proof here: they live in each task and die with a killed worker (and in-process workers share
 * one MBean server, where a task that moves between them can lose its beans); PackagedPluginIT checks
 * them against the stores on a run without faults.
 */
class FaultAccountingIT {

    private static final Logger log = LoggerFactory.getLogger(FaultAccountingIT.class);

    private static final String TOPIC = "orders-faults";
    private static final int TASKS = 6;

    /**
     * One sink connector over the topic: its warehouse table, its dead-letter queue, and whether its Deduplicate
     * rebuilds its window from the log (then no copy may land).
     */
    record Sink(String connector, String table, String dlq, Map<String, String> dedupe, boolean rebuilds) {
        Map<String, String> config() {
            Map<String, String> config = Orders.sinkConfig(cluster, TOPIC, table, dlq, TASKS);
            config.putAll(dedupe);
            if (rebuilds) {
                config.put("transforms.dedupe.rebuild.bootstrap.servers", cluster.bootstrapServers());
            }
            return config;
        }
    }

    /**
     * The same stream into three tables: {@code event_id} without the rebuild (copies whose originals a lost task
     * judged may land, counted), {@code event_id} with it, and {@code entity_version} with it in front of the
     * same JDBC upsert (each order is its own entity, written once: a copy carries its original's version and
     * is stale).
     */
    private static final List<Sink> SINKS = List.of(
            new Sink("orders-faults", "orders_faults", "orders-faults.dlq", Map.of(), false),
            new Sink("orders-faults-rebuilt", "orders_faults_rebuilt", "orders-faults-rebuilt.dlq", Map.of(), true),
            new Sink("orders-faults-versioned", "orders_faults_versioned", "orders-faults-versioned.dlq", Map.of(
                    "transforms.dedupe.strategy", "entity_version",
                    "transforms.dedupe.entity.fields", "key",
                    "transforms.dedupe.version.field", "value.order_id"), true));

    private static TruthlineCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // A vanished worker is noticed within 6 s and its tasks move 5 s later.
        cluster = TruthlineCluster.start("faults", 2, Map.of("session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1500"));
        cluster.startPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    record Sent(int partition, long offset, Order order, boolean valid) {
        String position() {
            return TOPIC + "/" + partition + "/" + offset;
        }

        String write() {
            return order.eventId() + "#" + order.copyNo();
        }
    }

    @Test
    void everyRecordIsInExactlyOnePlaceAfterAWorkerIsKilledAndAnotherRestarted() throws Exception {
        ForkedConnectWorker forked = cluster.startForkedWorker();
        cluster.connect().kafka().createTopic(TOPIC, TASKS);
        for (Sink sink : SINKS) {
            Orders.createTable(cluster, sink.table());
            cluster.putConnector(sink.connector(), sink.config());
        }
        CdcFaults cdc = new CdcFaults(cluster);
        cdc.start(TASKS);
        List<String> connectors = new ArrayList<>(SINKS.stream().map(Sink::connector).toList());
        connectors.add(CdcFaults.SINK);
        for (String connector : connectors) {
            cluster.awaitRunning(connector, TASKS);
            waitForCondition(() -> cluster.connect().connectorStatus(connector).tasks().stream()
                            .anyMatch(t -> forked.workerId().equals(t.workerId()) && t.state().equals("RUNNING")),
                    TIMEOUT_MS, () -> "No task on the forked worker: " + cluster.connect().connectorStatus(connector));
        }
        log.info("Tasks before the faults: {}", cluster.connect().connectorStatus(SINKS.get(0).connector()).tasks());

        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(sent, 4_000, 400));
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> cdc.write(150));

        // The faults land mid-stream whatever the machine's load: the kill once a quarter of the orders is sent and
        // the sinks are writing, the restart (a rebalance) at half.
        String firstTable = SINKS.get(0).table();
        waitForCondition(() -> sent.size() >= 1_000 && Orders.rowCount(cluster, firstTable) >= 500, TIMEOUT_MS,
                () -> "The stream did not get under way: sent " + sent.size());
        int before = sent.size();
        forked.killHard();
        log.info("Killed the forked worker {} hard after {} records", forked.workerId(), before);
        waitForCondition(() -> sent.size() >= 2_000, TIMEOUT_MS, () -> "Sent only " + sent.size());
        WorkerHandle restarted = cluster.connect().workers().iterator().next();
        String restartedUrl = String.valueOf(restarted.url());
        cluster.connect().removeWorker(restarted);
        cluster.connect().addWorker();
        log.info("Restarted in-process worker {} after {} records", restartedUrl, sent.size());
        // A bound for a loaded machine, not a timing assertion: 4,000 records at 400/s take 10 s when quiet.
        producing.get(300, TimeUnit.SECONDS);
        writing.get(300, TimeUnit.SECONDS);
        // Re-emitted copies, as a source sends after an offset rewind: every fifth valid order sent before the kill,
        // again, once every task runs again — their originals were judged by task instances that are gone now.
        for (Sink sink : SINKS) {
            cluster.awaitRunning(sink.connector(), TASKS);
        }
        List<Order> reEmitted = new ArrayList<>();
        synchronized (sent) {
            for (Sent s : sent.subList(0, before)) {
                if (s.valid() && s.order().copyNo() == 0 && s.order().orderId() % 5 == 0) {
                    reEmitted.add(s.order().copy(2));
                }
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (Order copy : reEmitted) {
                sent.add(send(producer, copy, true));
            }
        }
        log.info("Re-emitted {} orders sent before the kill", reEmitted.size());
        cluster.awaitRunning(CdcFaults.SOURCE, 1);
        cdc.rewind();

        List<Sent> all = new ArrayList<>(sent);
        Set<String> validOriginals = new HashSet<>();
        Set<String> invalidPositions = new HashSet<>();
        for (Sent s : all) {
            if (!s.valid()) {
                invalidPositions.add(s.position());
            } else if (s.order().copyNo() == 0) {
                validOriginals.add(s.order().eventId());
            }
        }
        // A last valid order on each partition: once all have landed, every record before them was processed.
        List<Sent> sentinels = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int partition = 0; partition < TASKS; partition++) {
                Order order = Order.valid(1_000_000 + partition);
                RecordMetadata meta = producer.send(new ProducerRecord<>(TOPIC, partition, order.key(), order.value())).get();
                sentinels.add(new Sent(meta.partition(), meta.offset(), order, true));
            }
        }
        all.addAll(sentinels);
        sentinels.forEach(s -> validOriginals.add(s.order().eventId()));
        Map<String, Long> copiesLanded = new LinkedHashMap<>();
        for (Sink sink : SINKS) {
            copiesLanded.put(sink.connector(), account(sink, all, validOriginals, invalidPositions));
        }
        log.info("Copies in the tables: {}", copiesLanded);
        cdc.account();
        // The faults did lose windows: without the rebuild, copies of what the lost task instances judged landed.
        assertThat(copiesLanded.get(SINKS.get(0).connector())).as("copies landed without the rebuild").isPositive();
    }

    /**
     * Waits until the sink has converged (the table has every valid order, the DLQ every invalid position), then
     * places every record produced from the stores: in the table, the DLQ, or dropped as a copy of a landed order.
     */
    /** @return how many copies landed in the sink's table */
    private static long account(Sink sink, List<Sent> all, Set<String> validOriginals, Set<String> invalidPositions)
            throws Exception {
        String connector = sink.connector();
        String table = sink.table();
        waitForCondition(() -> Orders.rows(cluster, table).size() == validOriginals.size(), TIMEOUT_MS,
                () -> connector + ": rows " + Orders.rowCount(cluster, table) + " of " + validOriginals.size() + "; "
                        + cluster.connect().connectorStatus(connector));
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        Set<String> deadPositions = new HashSet<>();
        waitForCondition(() -> {
            dead.clear();
            cluster.connect().kafka().consumeAll(10_000, sink.dlq()).forEach(dead::add);
            deadPositions.clear();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                deadPositions.add(originalPosition(headers(r)));
            }
            return deadPositions.containsAll(invalidPositions);
        }, TIMEOUT_MS, () -> connector + ": DLQ has " + deadPositions.size() + " of " + invalidPositions.size()
                + " invalid records");
        assertThat(cluster.connect().connectorStatus(connector).tasks()).hasSize(TASKS)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));

        // Where each record is, from the stores.
        Set<String> writes = Orders.writes(cluster, table);
        Map<String, Integer> placed = new LinkedHashMap<>(Map.of("table", 0, "dlq", 0, "dropped duplicate", 0));
        List<String> misplaced = new ArrayList<>();
        for (Sent s : all) {
            boolean landed = writes.contains(s.write());
            boolean deadLettered = deadPositions.contains(s.position());
            if (landed && deadLettered) {
                misplaced.add(s + " is both in the table and in the DLQ");
            } else if (!s.valid() && !deadLettered) {
                misplaced.add(s + " is invalid but not in the DLQ" + (landed ? " (it is in the table)" : ""));
            } else if (s.valid() && deadLettered) {
                misplaced.add(s + " is valid but in the DLQ");
            } else if (s.valid() && s.order().copyNo() == 0 && !landed) {
                misplaced.add(s + " is a valid original that never reached the table");
            }
            placed.merge(landed ? "table" : deadLettered ? "dlq" : "dropped duplicate", 1, Integer::sum);
        }
        assertThat(misplaced).as("%s: records not in exactly one place", connector).isEmpty();
        assertThat(deadPositions).isEqualTo(invalidPositions);
        // No invalid record and nothing but orders in the table; one row per valid order.
        assertThat(Orders.rows(cluster, table).keySet()).isEqualTo(validOriginals);

        long copies = all.stream().filter(s -> s.order().copyNo() > 0 && s.valid()).count();
        long copiesLanded = all.stream().filter(s -> s.order().copyNo() > 0 && s.valid() && writes.contains(s.write())).count();
        log.info("{}: sent {} records: {} ; copies of valid orders {}, of which {} reached the table after a window was "
                        + "lost; DLQ holds {} records for {} positions (redelivered: {})", connector,
                all.size(), placed, copies, copiesLanded, dead.size(), deadPositions.size(),
                dead.size() - deadPositions.size());
        // The equation: every record produced is in the table, the DLQ, or dropped as a duplicate of a landed order.
        assertThat(placed.get("table") + placed.get("dlq") + placed.get("dropped duplicate")).isEqualTo(all.size());
        assertThat(placed.get("dropped duplicate")).isEqualTo((int) (copies - copiesLanded)).isPositive();
        assertThat(placed.get("dlq")).isEqualTo(invalidPositions.size());
        if (sink.rebuilds()) {
            // The window rebuilt from the log: no copy landed, whichever task (or dead worker) judged its original.
            assertThat(copiesLanded).as("%s: copies in the table", connector).isZero();
        }
        return copiesLanded;
    }

    /** {@code count} orders at about {@code perSecond}: one in 20 invalid; one in 12 sent again 1–40 records later. */
    private static void produce(List<Sent> sent, int count, int perSecond) {
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"))) {
            Map<Integer, Order> pendingCopies = new LinkedHashMap<>();
            long start = System.nanoTime();
            int n = 0;
            for (long id = 1; id <= count; id++) {
                boolean valid = id % 20 != 0;
                Order order = valid ? Order.valid(id) : Order.invalid(id, (int) (id / 20));
                sent.add(send(producer, order, valid));
                if (id % 12 == 0) {
                    pendingCopies.put((int) (id + 1 + id % 40), order.copy(1));
                }
                Order copy = pendingCopies.remove((int) id);
                if (copy != null) {
                    sent.add(send(producer, copy, valid(copy)));
                }
                n++;
                long due = start + TimeUnit.SECONDS.toNanos(n) / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            for (Order copy : pendingCopies.values()) {
                sent.add(send(producer, copy, valid(copy)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean valid(Order order) {
        return order.orderId() % 20 != 0;
    }

    private static Sent send(KafkaProducer<byte[], byte[]> producer, Order order, boolean valid) throws Exception {
        RecordMetadata meta = producer.send(new ProducerRecord<>(TOPIC, order.key(), order.value())).get();
        return new Sent(meta.partition(), meta.offset(), order, valid);
    }
}
