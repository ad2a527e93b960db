package dev.truthline.connect.it;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.it.Recordings.Delivery;
import dev.truthline.connect.it.Recordings.Recording;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * ProtectFields and RevealFields from the packaged plugin on a real worker: PostgreSQL → the Debezium source with
 * {@code ProtectFields} (keysets from files through Kafka's DirectoryConfigProvider) → a topic → an authorised sink
 * with {@code RevealFields} and a sink whose {@code RevealFields} holds the wrong keys, whose every record goes to
 * its dead-letter queue with the error context.
 *
 * <p>A planted set of clear values (names, e-mail addresses, phone and card numbers, in inserts, updates' before
 * and after images and deletes) is searched for, as bytes, in every record key, value and header of every topic of
 * the broker — the change topic, the DLQ, Connect's config, offset and status topics, {@code __consumer_offsets}:
 * not one hit. The authorised sink gets every reversible value back exactly, with its original schema. Halfway the
 * token and encrypt keysets are rotated (the files are rewritten, the connectors restarted): nothing is lost, the
 * new values carry the new key ids, and the sink reveals both generations.
 */
class PrivacyIT {

    private static final Logger log = LoggerFactory.getLogger(PrivacyIT.class);

    private static final String PROTECT = "dev.truthline.connect.privacy.ProtectFields$Value";
    private static final String REVEAL = "dev.truthline.connect.privacy.RevealFields$Value";
    private static final String SOURCE = "customers-cdc";
    private static final String SINK = "customers-authorised";
    private static final String BAD_SINK = "customers-wrong-keys";
    private static final String DLQ = "customers.dlq";
    private static final String CONTROL = "privacy.control";
    private static final String SLOT = "truthline_privacy";
    private static final String PUBLICATION = "truthline_privacy";
    private static final String TOPIC = "privacy.public.customers";
    private static final long TIMEOUT_MS = 60_000;

    private static EmbeddedPostgres postgres;
    private static EmbeddedConnectCluster connect;
    private static Path keys;
    private static URLClassLoader packaged;

    @BeforeAll
    static void start() throws Exception {
        TruthlineCluster.assertTruthlineOnlyOnPluginPath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        keys = Files.createDirectories(tmp.resolve("privacy-keys"));
        packaged = packagedPlugin();
        writeKeyset("token.json", create("TOKEN"));
        writeKeyset("encrypt.json", create("ENCRYPT"));
        writeKeyset("fpe.json", create("FPE"));
        writeKeyset("wrong.json", create("TOKEN"));

        postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(tmp.resolve("embedded-pg").toFile())
                .setDataDirectory(tmp.resolve("embedded-pg-data-privacy"))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                .start();
        execute("CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text, phone text, "
                        + "card text, tier integer NOT NULL)",
                "ALTER TABLE customers REPLICA IDENTITY FULL",
                "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE customers");

        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("plugin.path", TruthlineCluster.PLUGIN_PATH.toString());
        workerProps.put("offset.flush.interval.ms", "500");
        workerProps.put("rest.extension.classes", TruthlineCluster.REST_EXTENSION);
        // Keysets only ever as ${dir:<keys>:<file>} references: the connector configs hold no key.
        workerProps.put("config.providers", "dir");
        workerProps.put("config.providers.dir.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        workerProps.put("config.providers.dir.param.allowed.paths", keys.toString());
        java.util.Properties brokerProps = new java.util.Properties();
        brokerProps.put("group.initial.rebalance.delay.ms", "0");
        connect = new EmbeddedConnectCluster.Builder()
                .name("truthline-privacy-it")
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(workerProps)
                .brokerProps(brokerProps)
                .build();
        connect.start();
        connect.assertions().assertExactlyNumWorkersAreUp(1, "The Connect worker did not start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (packaged != null) {
            packaged.close();
        }
    }

    /** One customer row with its planted clear values. */
    private record Customer(int id, String name, String email, String phone, String card) {
        static Customer of(int id) {
            String n = String.format("%03d", id);
            return new Customer(id, "Zelda Quinterro" + n, "zelda.q" + n + "@planted.example",
                    "+1 555 01" + n + "9", "4929-7712-3" + n + "-0" + n);
        }

        Customer moved() {
            return new Customer(id, name, "moved." + id + "@planted.example", phone, card);
        }

        List<String> planted() {
            return List.of(name, email, phone, card, card.replace("-", ""));
        }
    }

    @Test
    void noClearValueInAnyTopicWhileTheAuthorisedSinkGetsThemBackAcrossAKeyRoll() throws Exception {
        connect.kafka().createTopic(TOPIC, 1);
        connect.kafka().createTopic(DLQ, 1);
        connect.configureConnector(SOURCE, sourceConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SOURCE, 1, "The Debezium source did not start");
        waitForCondition(PrivacyIT::slotActive, TIMEOUT_MS, "Debezium did not start streaming from the slot");
        connect.configureConnector(SINK, sinkConfig(SINK, "token.json", "encrypt.json"));
        connect.configureConnector(BAD_SINK, badSinkConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SINK, 1, "The authorised sink did not start");
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(BAD_SINK, 1, "The DLQ sink did not start");
        Recording recording = Recordings.of(SINK);

        // --- First generation of keys: inserts, an update of every planted column, a delete. ---
        List<Customer> planted = new ArrayList<>();
        for (int id = 1; id <= 6; id++) {
            planted.add(Customer.of(id));
        }
        insert(planted.subList(0, 6));
        execute("UPDATE customers SET email = 'moved.2@planted.example' WHERE id = 2", "DELETE FROM customers WHERE id = 3");
        planted.add(Customer.of(2).moved());
        int firstGeneration = 6 + 1 + 2; // inserts, the update, the delete and its tombstone
        awaitSink(firstGeneration);
        int tokenKeyBefore = primaryKeyId("token.json");

        // --- Key roll in the middle of the stream: sinks first (they must reveal both generations), then the source.
        // Rows keep coming while it happens: 7 to 9 before the source restarts, 10 to 12 after. ---
        writeKeyset("token.json", rotate(Files.readString(keys.resolve("token.json"))));
        writeKeyset("encrypt.json", rotate(Files.readString(keys.resolve("encrypt.json"))));
        int tokenKeyAfter = primaryKeyId("token.json");
        assertThat(tokenKeyAfter).isNotEqualTo(tokenKeyBefore);
        // A restart request returns before the old task stops, and its RUNNING status still shows: wait for the new
        // sink task to start, and for a new backend to hold the source's slot, before counting on the new keys.
        int sinkStarts = recording.starts();
        connect.restartConnectorAndTasks(SINK, false, true, false);
        waitForCondition(() -> recording.starts() > sinkStarts, TIMEOUT_MS, "The sink task did not restart");
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SINK, 1, "The sink did not restart");
        for (int id = 7; id <= 12; id++) {
            planted.add(Customer.of(id));
        }
        insert(planted.subList(planted.size() - 6, planted.size() - 3));
        int oldBackend = slotBackend();
        connect.restartConnectorAndTasks(SOURCE, false, true, false);
        waitForCondition(() -> slotBackend() > 0 && slotBackend() != oldBackend, TIMEOUT_MS,
                "Debezium did not resume streaming from the slot with a new task");
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SOURCE, 1, "The source did not restart");
        insert(planted.subList(planted.size() - 3, planted.size()));
        execute("UPDATE customers SET email = 'moved.8@planted.example' WHERE id = 8");
        planted.add(Customer.of(8).moved());
        int total = firstGeneration + 6 + 1;
        awaitSink(total);

        // --- The authorised sink: every change, each reversible field exactly as in PostgreSQL. ---
        List<Delivery> deliveries = recording.deliveries();
        Map<Integer, Set<String>> emails = new TreeMap<>();
        for (Delivery d : deliveries) {
            if (d.value() != null && ((Struct) d.value()).getStruct("after") != null) {
                Struct after = ((Struct) d.value()).getStruct("after");
                Customer expected = Customer.of(after.getInt32("id"));
                emails.computeIfAbsent(expected.id(), k -> new java.util.TreeSet<>()).add(after.getString("email"));
                assertThat(after.getString("name")).isEqualTo(expected.name());
                assertThat(after.getString("card")).isEqualTo(expected.card());
                // mask cannot be undone: the sink sees the last 4 characters only.
                assertThat(after.getString("phone")).isEqualTo("*".repeat(expected.phone().length() - 4)
                        + expected.phone().substring(expected.phone().length() - 4));
                assertThat(after.schema().field("email").schema().parameters()).isNull();
            }
        }
        Map<Integer, Set<String>> expectedEmails = new TreeMap<>();
        for (int id = 1; id <= 12; id++) {
            expectedEmails.put(id, new java.util.TreeSet<>(Set.of(Customer.of(id).email())));
        }
        expectedEmails.get(2).add("moved.2@planted.example");
        expectedEmails.get(8).add("moved.8@planted.example");
        assertThat(emails).isEqualTo(expectedEmails);
        Struct deleteBefore = deliveries.stream().map(d -> (Struct) d.value())
                .filter(v -> v != null && "d".equals(v.getString("op"))).findFirst().orElseThrow().getStruct("before");
        assertThat(deleteBefore.getString("email")).isEqualTo(Customer.of(3).email());

        // --- The topic: tokens made before the roll name the old key, those made after it the new one. ---
        Map<String, Integer> keyIds = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(List.of(TOPIC))) {
            if (r.value() == null) {
                continue;
            }
            JsonNode after = TruthlineCluster.JSON.readTree(r.value()).path("payload").path("after");
            if (after.hasNonNull("email")) {
                int id = after.get("id").asInt();
                String change = id + (keyIds.containsKey(id + "") ? "'" : "");
                keyIds.put(change, keyIdOf(after.get("email").asText()));
            }
        }
        log.info("Key ids of the e-mail tokens per change (id, ' for an update): {}", keyIds);
        for (String early : List.of("1", "2", "2'", "3", "4", "5", "6")) {
            assertThat(keyIds).containsEntry(early, tokenKeyBefore);
        }
        for (String late : List.of("10", "11", "12", "8'")) {
            assertThat(keyIds).containsEntry(late, tokenKeyAfter);
        }
        assertThat(keyIds.values()).containsOnly(tokenKeyBefore, tokenKeyAfter);

        // --- The wrong-keys sink: everything it read is in its DLQ, with the error context. ---
        waitForCondition(() -> readAll(List.of(DLQ)).size() >= total - 2, TIMEOUT_MS,
                () -> "The DLQ holds " + readAll(List.of(DLQ)).size() + " records");
        ConsumerRecord<byte[], byte[]> dead = readAll(List.of(DLQ)).get(0);
        Map<String, String> context = new LinkedHashMap<>();
        for (Header h : dead.headers()) {
            context.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(context.get("__connect.errors.exception.message")).contains("cannot be revealed by rule ids (token)");

        // --- Every topic of the broker, every key, value and header: not one planted value. A control record with
        // a clear value, written straight to a topic of its own, shows that the search finds what is there. ---
        connect.kafka().createTopic(CONTROL, 1);
        connect.kafka().produce(CONTROL, null, "{\"email\":\"" + Customer.of(1).email() + "\"}");
        Set<String> topics;
        try (Admin admin = connect.kafka().createAdminClient()) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        }
        assertThat(topics).contains(TOPIC, DLQ, "__consumer_offsets");
        assertThat(topics).anyMatch(t -> t.contains("config")).anyMatch(t -> t.contains("offset"))
                .anyMatch(t -> t.contains("status"));
        List<ConsumerRecord<byte[], byte[]>> everything = readAll(List.copyOf(topics));
        Map<String, Integer> perTopic = new TreeMap<>();
        everything.forEach(r -> perTopic.merge(r.topic(), 1, Integer::sum));
        log.info("Searched {} records in {} topics: {}", everything.size(), topics.size(), perTopic);
        assertThat(perTopic.get(TOPIC)).isGreaterThanOrEqualTo(total);
        List<String> needles = new ArrayList<>();
        planted.forEach(c -> needles.addAll(c.planted()));
        needles.add("planted.example");
        List<String> hits = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : everything) {
            List<byte[]> parts = new ArrayList<>();
            parts.add(r.key());
            parts.add(r.value());
            for (Header h : r.headers()) {
                parts.add(h.value());
            }
            for (byte[] part : parts) {
                String text = part == null ? "" : new String(part, StandardCharsets.ISO_8859_1);
                for (String needle : needles) {
                    if (text.contains(needle)) {
                        hits.add(r.topic() + "/" + r.partition() + "/" + r.offset() + ": " + needle);
                    }
                }
                // No keyset either: the configs hold ${dir:...} references.
                if (text.contains("primaryKeyId") || text.contains("keyData")) {
                    hits.add(r.topic() + "/" + r.partition() + "/" + r.offset() + ": a keyset");
                }
            }
        }
        assertThat(hits).as("clear values found in topics").containsExactlyInAnyOrder(
                CONTROL + "/0/0: " + Customer.of(1).email(), CONTROL + "/0/0: planted.example");
    }

    @Test
    void ruleMistakesAreReportedByConfigValidateOnTheirFullKeys() {
        Map<String, String> config = sinkConfig("never", "token.json", "encrypt.json");
        // A config without ${...} references: the REST extension leaves those to the worker, which resolves them.
        config.keySet().removeIf(k -> k.startsWith("transforms.reveal."));
        config.put("name", "never");
        config.put("transforms.reveal.type", PROTECT);
        config.put("transforms.reveal.rules", "phones");
        config.put("transforms.reveal.rules.phones.fields", "after.phone,before.phone");
        config.put("transforms.reveal.rules.phones.method", "mask");
        config.put("transforms.reveal.rules.phones.keep.last", "-2");
        Map<String, List<String>> errors = new TreeMap<>();
        for (var info : connect.validateConnectorConfig(RecordingSinkConnector.class.getSimpleName(), config).configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        log.info("validate -> {}", errors);
        assertThat(errors).containsOnlyKeys("transforms.reveal.rules.phones.keep.last");
        assertThat(errors.get("transforms.reveal.rules.phones.keep.last")).singleElement().asString()
                .contains("transforms.reveal.rules.phones.keep.last");
    }

    // ---- Connectors

    private static Map<String, String> protectRules(String prefix, String type, String tokenFile, String encryptFile) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(prefix + "type", type);
        config.put(prefix + "rules", "ids,names,cards,phones");
        config.put(prefix + "rules.ids.fields", "before.email,after.email");
        config.put(prefix + "rules.ids.method", "token");
        config.put(prefix + "rules.ids.keyset", "${dir:" + keys + ":" + tokenFile + "}");
        config.put(prefix + "rules.names.fields", "before.name,after.name");
        config.put(prefix + "rules.names.method", "encrypt");
        config.put(prefix + "rules.names.keyset", "${dir:" + keys + ":" + encryptFile + "}");
        config.put(prefix + "rules.cards.fields", "before.card,after.card");
        config.put(prefix + "rules.cards.method", "fpe");
        config.put(prefix + "rules.cards.keyset", "${dir:" + keys + ":fpe.json}");
        config.put(prefix + "rules.phones.fields", "before.phone,after.phone");
        config.put(prefix + "rules.phones.method", "mask");
        return config;
    }

    private static Map<String, String> sourceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", "localhost");
        config.put("database.port", String.valueOf(postgres.getPort()));
        config.put("database.user", "postgres");
        config.put("database.password", "postgres");
        config.put("database.dbname", "postgres");
        config.put("topic.prefix", "privacy");
        config.put("table.include.list", "public.customers");
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", SLOT);
        config.put("publication.name", PUBLICATION);
        config.put("publication.autocreate.mode", "disabled");
        config.put("snapshot.mode", "no_data");
        config.put("key.converter", JsonConverter.class.getName());
        config.put("key.converter.schemas.enable", "false");
        config.put("value.converter", JsonConverter.class.getName());
        config.put("value.converter.schemas.enable", "true");
        config.put("errors.log.include.messages", "false");
        config.put("transforms", "protect");
        config.putAll(protectRules("transforms.protect.", PROTECT, "token.json", "encrypt.json"));
        return config;
    }

    private static Map<String, String> sinkConfig(String name, String tokenFile, String encryptFile) {
        Map<String, String> config = RecordingSinkConnector.jsonConfig(TOPIC, false, true);
        config.put("transforms", "reveal");
        config.putAll(protectRules("transforms.reveal.", REVEAL, tokenFile, encryptFile));
        return config;
    }

    private static Map<String, String> badSinkConfig() {
        Map<String, String> config = sinkConfig(BAD_SINK, "wrong.json", "encrypt.json");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    // ---- Keysets, made by the packaged plugin's own classes (none is on the test class path)

    private static URLClassLoader packagedPlugin() throws Exception {
        Path dir;
        try (Stream<Path> folders = Files.list(TruthlineCluster.PLUGIN_PATH)) {
            dir = folders.filter(p -> p.getFileName().toString().contains("truthline")).findFirst().orElseThrow();
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path jar : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                jars.add(jar.toUri().toURL());
            }
        }
        return new URLClassLoader(jars.toArray(new URL[0]), PrivacyIT.class.getClassLoader());
    }

    private static Class<?> packagedClass(String name) throws ClassNotFoundException {
        return Class.forName(name, true, packaged);
    }

    private static String create(String method) throws Exception {
        Class<?> keysets = packagedClass("dev.truthline.connect.privacy.Keysets");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object m = Enum.valueOf((Class<Enum>) packagedClass("dev.truthline.connect.privacy.Method"), method);
        Object handle = keysets.getMethod("create", m.getClass()).invoke(null, m);
        return (String) keysets.getMethod("toJson", packagedClass("com.google.crypto.tink.KeysetHandle"))
                .invoke(null, handle);
    }

    private static String rotate(String json) throws Exception {
        Class<?> keysets = packagedClass("dev.truthline.connect.privacy.Keysets");
        Class<?> handleClass = packagedClass("com.google.crypto.tink.KeysetHandle");
        Object handle = keysets.getMethod("parse", String.class, String.class).invoke(null, json, "test");
        Object rotated = keysets.getMethod("rotate", handleClass).invoke(null, handle);
        return (String) keysets.getMethod("toJson", handleClass).invoke(null, rotated);
    }

    private static void writeKeyset(String file, String json) throws Exception {
        Files.writeString(keys.resolve(file), json);
    }

    private static int primaryKeyId(String file) throws Exception {
        return TruthlineCluster.JSON.readTree(Files.readString(keys.resolve(file))).path("primaryKeyId").asInt();
    }

    /** Tink's output prefix: 0x01, then the 4-byte key id. */
    private static int keyIdOf(String token) {
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        assertThat(bytes[0]).isEqualTo((byte) 1);
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    }

    // ---- PostgreSQL and Kafka

    private static void insert(List<Customer> customers) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (Customer k : customers) {
                s.execute(String.format("INSERT INTO customers VALUES (%d, '%s', '%s', '%s', '%s', %d)", k.id(), k.name(),
                        k.email(), k.phone(), k.card(), k.id() % 3));
            }
        }
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static boolean slotActive() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The backend process streaming from the slot, 0 when none is. */
    private static int slotBackend() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + SLOT
                        + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Waits until the authorised sink has committed {@code records} of the change topic. */
    private static void awaitSink(long records) throws InterruptedException {
        waitForCondition(() -> committed(SINK) >= records, TIMEOUT_MS,
                () -> "The authorised sink committed " + committed(SINK) + " of " + records + " records; topic holds "
                        + readAll(List.of(TOPIC)).size());
    }

    private static long committed(String connector) {
        for (ConnectorOffset offset : connect.connectorOffsets(connector).offsets()) {
            Object value = offset.offset().get("kafka_offset");
            if (TOPIC.equals(offset.partition().get("kafka_topic")) && value instanceof Number) {
                return ((Number) value).longValue();
            }
        }
        return -1;
    }

    /** Every record of the topics, as bytes, from the beginning to the end offsets at the time of the call. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(List<String> topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
