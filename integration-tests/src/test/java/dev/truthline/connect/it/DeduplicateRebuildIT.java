package dev.truthline.connect.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.it.Recordings.Delivery;

/**
 * Deduplicate's window rebuilt from the Kafka log, on a real Connect worker with the packaged plugin:
 * a task restarted after its offsets were committed starts with an empty window, reads the input
 * partitions' records before its first offset back from the broker, and so still drops copies whose
 * originals the previous task instance judged. A second connector on the same topic without
 * {@code rebuild.bootstrap.servers} shows the copies passing without it (the test can fail). A log
 * that cannot be reached fails the task with a clear error, or with {@code rebuild.on.failure=empty}
 * lets it go on.
 *
 * <p>Harness pieces written here (to be folded into the shared harness): waiting for a sink
 * connector's committed offsets, and reading the rebuild metrics over JMX.
 */
class DeduplicateRebuildIT {

    private static final Logger log = LoggerFactory.getLogger(DeduplicateRebuildIT.class);
    private static final long TIMEOUT_MS = 90_000;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startConnect() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("plugin.path", TruthlineCluster.PLUGIN_PATH.toString());
        // Commit sink offsets quickly, so a restart resumes after what the first task instance judged.
        workerProps.put("offset.flush.interval.ms", "500");
        Properties brokerProps = new Properties();
        brokerProps.put("group.initial.rebalance.delay.ms", "0");
        connect = new EmbeddedConnectCluster.Builder().name("truthline-rebuild-it").numWorkers(1).numBrokers(1)
                .workerProps(workerProps).brokerProps(brokerProps).build();
        connect.start();
        connect.assertions().assertExactlyNumWorkersAreUp(1, "The Connect worker did not start");
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void aRestartedTaskRebuildsItsWindowAndStillDropsCopiesOfWhatItsPredecessorSaw() throws Exception {
        String topic = "orders-rebuild";
        connect.kafka().createTopic(topic, 2);
        String rebuilt = "dedupe-rebuilt";
        String control = "dedupe-not-rebuilt";
        connect.configureConnector(rebuilt, EventIdSink.config(topic, 1, Map.of(
                "transforms.dedupe.rebuild.bootstrap.servers", connect.kafka().bootstrapServers(),
                "transforms.dedupe.rebuild.key.converter", StringConverter.class.getName(),
                "transforms.dedupe.rebuild.value.converter.schemas.enable", "false")));
        connect.configureConnector(control, EventIdSink.config(topic, 1, Map.of()));
        for (String c : List.of(rebuilt, control)) {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, "The recording sink did not start");
        }
        List<String> firstPhase = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                EventIdSink.send(producer, topic, 0, "a-" + i);
                EventIdSink.send(producer, topic, 1, "b-" + i);
                firstPhase.add("a-" + i);
                firstPhase.add("b-" + i);
            }
            for (String c : List.of(rebuilt, control)) {
                waitForCondition(() -> Recordings.of(c).deliveries().size() >= 20, TIMEOUT_MS,
                        () -> c + " did not receive the first 20 records");
                // The task's successor resumes after offset 9 on both partitions.
                waitForCommitted(c, topic, 10);
                // A new task instance: a new transformation chain, an empty window.
                connect.restartTask(c, 0);
            }
            for (String c : List.of(rebuilt, control)) {
                connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, c + " did not restart");
            }
            // Copies of first-phase events at new offsets (same partition and the other one), and new events.
            EventIdSink.send(producer, topic, 0, "a-3");
            EventIdSink.send(producer, topic, 0, "b-5");
            EventIdSink.send(producer, topic, 1, "b-9");
            EventIdSink.send(producer, topic, 1, "a-0");
            EventIdSink.send(producer, topic, 0, "a-10");
            EventIdSink.send(producer, topic, 1, "b-10");
        }
        for (String c : List.of(rebuilt, control)) {
            waitForCondition(() -> EventIdSink.ids(c).containsAll(List.of("a-10", "b-10")), TIMEOUT_MS,
                    () -> c + " did not receive the last records: " + EventIdSink.ids(c));
        }
        List<String> copies = List.of("a-3", "b-5", "b-9", "a-0");
        // With the rebuild: every event once, however many task instances judged them.
        List<String> rebuiltIds = new ArrayList<>();
        for (Delivery d : Recordings.of(rebuilt).deliveries()) {
            rebuiltIds.add(EventIdSink.idOf(d));
        }
        assertThat(rebuiltIds).doesNotHaveDuplicates().containsAll(firstPhase).contains("a-10", "b-10").hasSize(22);
        // Without it, the restarted task lets the copies through: what the rebuild is there for.
        List<String> controlIds = Recordings.of(control).deliveries().stream().map(EventIdSink::idOf).toList();
        assertThat(controlIds).containsAll(firstPhase).hasSize(26);
        assertThat(controlIds.subList(20, 26)).containsExactlyInAnyOrder("a-3", "b-5", "b-9", "a-0", "a-10", "b-10");
        assertThat(copies).allSatisfy(id -> assertThat(rebuiltIds).containsOnlyOnce(id));

        Map<String, Double> metrics = metrics(rebuilt, "rebuilds-total", "rebuild-records-read-total",
                "rebuild-failures-total", "duplicates-total", "records-passed", "replays-total", "window-entries");
        log.info("Rebuild scenario: metrics of the restarted task {}", metrics);
        // The first partition seen rebuilds the topic: both partitions' first 10 records, and whatever of
        // the second phase had reached the other partition by then (read back at its own offsets, so it
        // passes as a redelivery when the task is given it).
        assertThat(metrics.get("rebuilds-total")).isBetween(1.0, 2.0);
        assertThat(metrics.get("rebuild-records-read-total")).isBetween(20.0, 23.0);
        assertThat(metrics).containsEntry("rebuild-failures-total", 0.0).containsEntry("duplicates-total", 4.0)
                .containsEntry("window-entries", 22.0);
        assertThat(metrics.get("records-passed") + metrics.get("replays-total")).isEqualTo(2.0);
    }

    /**
     * A sink that commits only the offsets of what it wrote, as the Iceberg sink does: when a partition's last
     * records are copies the chain dropped, its committed offset stays before them (the lag seen in a kill run), and
     * a restarted task is handed them again. Its window starts empty: without the rebuild the copies pass now; with
     * it their originals are read back from the log before the resumed offset and the copies are dropped again.
     */
    @Test
    void copiesASinkDidNotCommitAreHandedToTheNextTaskAndDroppedAgainAfterTheRebuild() throws Exception {
        String topic = "orders-commit-written";
        connect.kafka().createTopic(topic, 1);
        String rebuilt = "written-only-rebuilt";
        String control = "written-only-not-rebuilt";
        Map<String, String> writtenOnly = Map.of(RecordingSinkConnector.COMMIT_WRITTEN_ONLY, "true");
        Map<String, String> withRebuild = new HashMap<>(writtenOnly);
        withRebuild.putAll(Map.of("transforms.dedupe.rebuild.bootstrap.servers", connect.kafka().bootstrapServers(),
                "transforms.dedupe.rebuild.key.converter", StringConverter.class.getName(),
                "transforms.dedupe.rebuild.value.converter.schemas.enable", "false"));
        connect.configureConnector(rebuilt, EventIdSink.config(topic, 1, withRebuild));
        connect.configureConnector(control, EventIdSink.config(topic, 1, writtenOnly));
        for (String c : List.of(rebuilt, control)) {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, c + " did not start");
        }
        List<String> originals = new ArrayList<>();
        List<String> copies = List.of("w-3", "w-5", "w-7");
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                EventIdSink.send(producer, topic, 0, "w-" + i);
                originals.add("w-" + i);
            }
            // The partition's last records: copies (offsets 10-12), dropped by both chains.
            for (String copy : copies) {
                EventIdSink.send(producer, topic, 0, copy);
            }
            for (String c : List.of(rebuilt, control)) {
                waitForCondition(() -> metrics(c, "duplicates-total").get("duplicates-total") == 3.0, TIMEOUT_MS,
                        () -> c + " did not drop the copies");
                // What it wrote is committed: offset 10, before the dropped copies.
                waitForCommittedOffset(c, topic, 1, 10);
            }
            assertThat(committedOffset(rebuilt, topic)).as("committed after the dropped copies").isEqualTo(10);
            for (String c : List.of(rebuilt, control)) {
                connect.restartTask(c, 0);
            }
            for (String c : List.of(rebuilt, control)) {
                connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, c + " did not restart");
            }
            EventIdSink.send(producer, topic, 0, "w-10");
        }
        for (String c : List.of(rebuilt, control)) {
            waitForCondition(() -> EventIdSink.ids(c).contains("w-10"), TIMEOUT_MS, () -> c + " did not get w-10");
        }
        // The new instance was handed the copies again (offsets 10-12) and, having rebuilt, dropped them again.
        List<String> rebuiltIds = Recordings.of(rebuilt).deliveries().stream().map(EventIdSink::idOf).toList();
        assertThat(rebuiltIds).doesNotHaveDuplicates().containsAll(originals).contains("w-10").hasSize(11);
        Map<String, Double> metrics = metrics(rebuilt, "duplicates-total", "rebuilds-total", "rebuild-records-read-total");
        assertThat(metrics).containsEntry("duplicates-total", 3.0).containsEntry("rebuilds-total", 1.0)
                .containsEntry("rebuild-records-read-total", 10.0);
        // Without the rebuild the redelivered copies land.
        List<String> controlIds = Recordings.of(control).deliveries().stream().map(EventIdSink::idOf).toList();
        assertThat(controlIds).containsAll(originals).hasSize(14);
        assertThat(controlIds.subList(10, 14)).containsExactly("w-3", "w-5", "w-7", "w-10");
        log.info("Commit-written-only sink: after the restart the rebuilt task dropped the {} redelivered copies again "
                + "({}); without the rebuild they landed", copies.size(), metrics);
    }

    /**
     * {@code truthline replay} after a deploy: a record rejected before Deduplicate (here a {@code Filter} on a
     * header, standing in for {@code ValidateContract on.failure=fail}) is in the log; the task restarts (as a deploy
     * that loosens the contract restarts it) and rebuilds its window, which then holds the rejected original. Its
     * replay — same bytes, a new offset, {@code truthline.replay.of} naming the original — passes once; a second
     * replay is dropped, also after a second restart whose rebuild reads the passed replay back. With the replay
     * header turned off, the rebuilt original drops the replay: the loss the rule prevents.
     */
    @Test
    void aReplayOfARecordRejectedBeforeARestartLandsOnceAfterIt() throws Exception {
        String topic = "orders-replay";
        connect.kafka().createTopic(topic, 1);
        Map<String, String> rejecting = new HashMap<>(Map.of("transforms", "reject,dedupe",
                "transforms.reject.type", "org.apache.kafka.connect.transforms.Filter",
                "transforms.reject.predicate", "rejected",
                "predicates", "rejected",
                "predicates.rejected.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
                "predicates.rejected.name", "rejected",
                "transforms.dedupe.rebuild.bootstrap.servers", connect.kafka().bootstrapServers(),
                "transforms.dedupe.rebuild.key.converter", StringConverter.class.getName(),
                "transforms.dedupe.rebuild.value.converter.schemas.enable", "false"));
        String replays = "replays-judged";
        String control = "replays-not-judged";
        Map<String, String> off = new HashMap<>(rejecting);
        off.put("transforms.dedupe.replay.header", "");
        connect.configureConnector(replays, EventIdSink.config(topic, 1, rejecting));
        connect.configureConnector(control, EventIdSink.config(topic, 1, off));
        List<String> both = List.of(replays, control);
        for (String c : both) {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, c + " did not start");
        }
        String original = topic + "/0/0";
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            sendWithHeader(producer, topic, "r-1", "rejected", "status_known"); // offset 0: rejected
            EventIdSink.send(producer, topic, 0, "r-2");
            EventIdSink.send(producer, topic, 0, "r-3");
            restartAfterCommitted(both, topic, 3, "r-3");
            sendWithHeader(producer, topic, "r-1", "truthline.replay.of", original); // offset 3: the replay
            sendWithHeader(producer, topic, "r-1", "truthline.replay.of", original); // offset 4: a second replay
            EventIdSink.send(producer, topic, 0, "r-4");
            for (String c : both) {
                waitForCondition(() -> EventIdSink.ids(c).contains("r-4"), TIMEOUT_MS, () -> c + " did not get r-4");
            }
            Map<String, Double> afterDeploy = metrics(replays, "replays-passed-total", "duplicates-total", "rebuilds-total");
            assertThat(afterDeploy).containsEntry("replays-passed-total", 1.0).containsEntry("duplicates-total", 1.0)
                    .containsEntry("rebuilds-total", 1.0);
            assertThat(metrics(control, "replays-passed-total", "duplicates-total"))
                    .containsEntry("replays-passed-total", 0.0).containsEntry("duplicates-total", 2.0);
            restartAfterCommitted(both, topic, 6, "r-4");
            sendWithHeader(producer, topic, "r-1", "truthline.replay.of", original); // offset 6: a third replay
            EventIdSink.send(producer, topic, 0, "r-5");
        }
        for (String c : both) {
            waitForCondition(() -> EventIdSink.ids(c).contains("r-5"), TIMEOUT_MS, () -> c + " did not get r-5");
        }
        List<String> landed = Recordings.of(replays).deliveries().stream().map(EventIdSink::idOf).toList();
        assertThat(landed).containsExactly("r-2", "r-3", "r-1", "r-4", "r-5");
        Map<String, Double> metrics = metrics(replays, "replays-passed-total", "duplicates-total", "rebuilds-total");
        assertThat(metrics).containsEntry("replays-passed-total", 0.0).containsEntry("duplicates-total", 1.0)
                .containsEntry("rebuilds-total", 1.0);
        List<String> withoutTheRule = Recordings.of(control).deliveries().stream().map(EventIdSink::idOf).toList();
        assertThat(withoutTheRule).as("the rebuilt rejected original drops its replays").containsExactly("r-2", "r-3",
                "r-4", "r-5");
        log.info("Replay after a restart: landed {} with the rule (task after the second restart: {}), {} without it",
                landed, metrics, withoutTheRule);
    }

    /** One event on partition 0 with one header. */
    private static void sendWithHeader(KafkaProducer<byte[], byte[]> producer, String topic, String eventId,
            String header, String value) throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, ("order-" + eventId).getBytes(UTF_8),
                ("{\"event_id\":\"" + eventId + "\",\"amount\":10}").getBytes(UTF_8));
        record.headers().add(header, value.getBytes(UTF_8));
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** Waits until each connector got {@code last} and committed {@code offset}, then restarts its task. */
    private static void restartAfterCommitted(List<String> connectors, String topic, long offset, String last)
            throws Exception {
        for (String c : connectors) {
            waitForCondition(() -> EventIdSink.ids(c).contains(last), TIMEOUT_MS, () -> c + " did not get " + last);
            waitForCommittedOffset(c, topic, 1, offset);
            connect.restartTask(c, 0);
        }
        for (String c : connectors) {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, c + " did not restart");
        }
    }

    @Test
    void anUnreachableLogFailsTheTaskClearlyOrIsSkippedWhenAllowed() throws Exception {
        String topic = "orders-unreachable";
        connect.kafka().createTopic(topic, 1);
        Map<String, String> unreachable = Map.of("transforms.dedupe.rebuild.bootstrap.servers", "127.0.0.1:9",
                "transforms.dedupe.rebuild.timeout.ms", "3000");
        String failing = "dedupe-rebuild-fails";
        String lenient = "dedupe-rebuild-empty";
        // As the reference sinks run: errors tolerated into a DLQ. Connect would tolerate an exception from the
        // transform by dead-lettering each record and going on; the task must stop instead.
        String tolerant = "dedupe-rebuild-fails-tolerant";
        connect.configureConnector(failing, EventIdSink.config(topic, 1, unreachable));
        Map<String, String> tolerating = new HashMap<>(unreachable);
        tolerating.put("errors.tolerance", "all");
        tolerating.put("errors.deadletterqueue.topic.name", tolerant + ".dlq");
        tolerating.put("errors.deadletterqueue.topic.replication.factor", "1");
        connect.configureConnector(tolerant, EventIdSink.config(topic, 1, tolerating));
        Map<String, String> empty = new HashMap<>(unreachable);
        empty.put("transforms.dedupe.rebuild.on.failure", "empty");
        connect.configureConnector(lenient, EventIdSink.config(topic, 1, empty));
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            EventIdSink.send(producer, topic, 0, "u-1");
            EventIdSink.send(producer, topic, 0, "u-1");
            EventIdSink.send(producer, topic, 0, "u-2");
        }
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(failing, 1, "The task did not fail");
        String trace = connect.connectorStatus(failing).tasks().get(0).trace();
        assertThat(trace).contains("Deduplicate could not rebuild its window for orders-unreachable-0 (and the topic's other partitions) from the Kafka log "
                + "(rebuild.bootstrap.servers=127.0.0.1:9)").contains("rebuild.on.failure=empty");
        assertThat(Recordings.of(failing).deliveries()).isEmpty();
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(tolerant, 1, "The tolerant task did not fail");
        assertThat(connect.connectorStatus(tolerant).tasks().get(0).trace())
                .contains("Deduplicate could not rebuild its window for orders-unreachable-0");
        assertThat(Recordings.of(tolerant).deliveries()).isEmpty();
        assertThat(connect.kafka().consumeAll(5_000, tolerant + ".dlq")).as("nothing dead-lettered in its place").isEmpty();

        waitForCondition(() -> EventIdSink.ids(lenient).contains("u-2"), TIMEOUT_MS, () -> "the lenient task did not go on");
        assertThat(EventIdSink.ids(lenient)).containsExactly("u-1", "u-2");
        assertThat(metrics(lenient, "rebuild-failures-total", "rebuilds-total"))
                .containsEntry("rebuild-failures-total", 1.0).containsEntry("rebuilds-total", 0.0);
    }

    /**
     * A task that starts at a tombstone — the task before it dropped the copy of the delete right before it and
     * stopped there (a restart, a rebalance) — judges the tombstone with that delete, read back from the log. The
     * log of one partition: order 1 created (0), deleted (1, its tombstone 2), created again (3); a source rewind's
     * copies of the delete (4), its tombstone (5) and the create (6). Three sink connectors with Deduplicate
     * ({@code debezium}), their groups' offsets set before they start: one at 5 with the rebuild (the tombstone's copy
     * must go: passed, an upsert sink would delete the order created again at 3, with 6 dropped as a copy); the same
     * without the rebuild (it cannot know: the tombstone and the create's copy pass); one at 2 with the rebuild (the
     * delete at 1 passed, so its tombstone passes, and the copies at 4-6 are judged live).
     */
    @Test
    void aTaskThatStartsAtATombstoneJudgesItWithTheDeleteBeforeIt() throws Exception {
        String topic = "orders-tombstones";
        connect.kafka().createTopic(topic, 1);
        String key = "{\"id\":1}";
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (String value : List.of(orderChange("c", 100), orderChange("d", 200), "", orderChange("c", 300),
                    orderChange("d", 200), "", orderChange("c", 300))) {
                producer.send(new ProducerRecord<>(topic, 0, key.getBytes(UTF_8),
                        value.isEmpty() ? null : value.getBytes(UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, String> rebuild = Map.of("transforms.dedupe.rebuild.bootstrap.servers",
                connect.kafka().bootstrapServers(), "transforms.dedupe.rebuild.key.converter.schemas.enable", "false",
                "transforms.dedupe.rebuild.value.converter.schemas.enable", "false");
        Map<String, Long> startAt = Map.of("tombstone-at-copy", 5L, "tombstone-at-copy-no-rebuild", 5L,
                "tombstone-at-original", 2L);
        for (Map.Entry<String, Long> c : startAt.entrySet()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    connect.kafka().bootstrapServers()))) {
                admin.alterConsumerGroupOffsets("connect-" + c.getKey(), Map.of(
                        new org.apache.kafka.common.TopicPartition(topic, 0),
                        new org.apache.kafka.clients.consumer.OffsetAndMetadata(c.getValue())))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> config = EventIdSink.config(topic, 1, c.getKey().endsWith("no-rebuild") ? Map.of()
                    : rebuild);
            config.put("key.converter", org.apache.kafka.connect.json.JsonConverter.class.getName());
            config.put("key.converter.schemas.enable", "false");
            config.put("transforms.dedupe.strategy", "debezium");
            config.remove("transforms.dedupe.id.fields");
            connect.configureConnector(c.getKey(), config);
        }
        for (String c : startAt.keySet()) {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(c, 1, c + " did not start");
            waitForCommittedOffset(c, topic, 1, 7);
        }
        assertThat(Recordings.of("tombstone-at-copy").deliveries()).as("the copies of the tombstone and the create")
                .isEmpty();
        assertThat(metrics("tombstone-at-copy", "stale-tombstones-total", "records-skipped", "duplicates-total"))
                .containsEntry("stale-tombstones-total", 1.0).containsEntry("records-skipped", 0.0)
                .containsEntry("duplicates-total", 1.0);
        assertThat(Recordings.of("tombstone-at-copy-no-rebuild").deliveries()).extracting(Delivery::offset)
                .as("without the log, nothing tells the copies").containsExactly(5L, 6L);
        assertThat(Recordings.of("tombstone-at-original").deliveries()).extracting(Delivery::offset)
                .as("the delete at 1 passed: its tombstone passes; the rewind's copies are dropped")
                .containsExactly(2L, 3L);
        assertThat(metrics("tombstone-at-original", "stale-tombstones-total", "records-skipped"))
                .containsEntry("stale-tombstones-total", 1.0).containsEntry("records-skipped", 1.0);
        for (String c : startAt.keySet()) {
            connect.deleteConnector(c);
        }
    }

    /** A Debezium PostgreSQL change of order 1 as schemaless JSON: the identity from table, LSN, sequence, op, key. */
    private static String orderChange(String op, long lsn) {
        String row = "{\"id\":1,\"status\":\"NEW\"}";
        return "{\"before\":" + ("d".equals(op) ? row : "null") + ",\"after\":" + ("d".equals(op) ? "null" : row)
                + ",\"source\":{\"connector\":\"postgresql\",\"db\":\"shop\",\"schema\":\"public\","
                + "\"table\":\"orders\",\"lsn\":" + lsn + ",\"sequence\":\"[\\\"" + (lsn - 1) + "\\\",\\\""
                + lsn + "\\\"]\"},\"op\":\"" + op + "\",\"ts_ms\":" + System.nanoTime() + "}";
    }

    /** Waits until the sink connector's consumer group has committed {@code offset} on both partitions of the topic. */
    private static void waitForCommitted(String connector, String topic, long offset) throws Exception {
        waitForCommittedOffset(connector, topic, 2, offset);
    }

    /** Waits until the connector's group has committed at least {@code offset} on {@code partitions} partitions. */
    private static void waitForCommittedOffset(String connector, String topic, int partitions, long offset)
            throws Exception {
        waitForCondition(() -> committedOffsets(connector, topic).values().stream().filter(o -> o >= offset).count()
                == partitions, TIMEOUT_MS, () -> connector + " did not commit offset " + offset);
    }

    /** The committed offset of partition 0. */
    private static long committedOffset(String connector, String topic) throws Exception {
        return committedOffsets(connector, topic).getOrDefault(0, -1L);
    }

    private static Map<Integer, Long> committedOffsets(String connector, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                connect.kafka().bootstrapServers()))) {
            Map<Integer, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).forEach((tp, o) -> {
                        if (tp.topic().equals(topic) && o != null) {
                            offsets.put(tp.partition(), o.offset());
                        }
                    });
            return offsets;
        }
    }

    /** Deduplicate metrics of the connector's task 0, over JMX from the worker in this JVM. */
    private static Map<String, Double> metrics(String connector, String... names) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName bean = new ObjectName("kafka.connect:type=plugins,connector=" + connector
                + ",task=0,transformation=dedupe");
        Map<String, Double> metrics = new HashMap<>();
        for (String name : names) {
            metrics.put(name, ((Number) server.getAttribute(bean, name)).doubleValue());
        }
        return metrics;
    }
}
