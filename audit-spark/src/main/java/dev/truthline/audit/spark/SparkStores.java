package dev.truthline.audit.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.CapturedEvents;
import dev.truthline.audit.ReconcilePlan;
import dev.truthline.audit.TopicRanges;
import dev.truthline.connect.core.ReplayHeaders;

/**
 * Reads the pipeline's stores into Spark's temporary views of the same names and columns as the one-machine audit's
 * tables: {@code captured} (the change and quarantine topics through Spark's Kafka source, batch, each event decoded
 * by {@link ChangeEventUdf}), {@code sink_rows} (the landing and quarantine tables through Iceberg's Spark runtime:
 * their Kafka position columns, and {@code _file}/{@code _pos} as the row's position) and {@code dead_letters} (the
 * dead-letter queues' {@code __connect.errors.*} headers); for the current-state reconciliation,
 * {@code captured_entities} (from the same read of the topics), {@code current_dead_letters}, {@code source_rows} and
 * {@code current_rows} ({@link #readCurrentState}).
 */
final class SparkStores {

    /** What was read: the offsets per partition, events, dead letters and data files. */
    record Read(Map<TopicPartition, TopicRanges.Range> ranges, long captured, long deadLetters,
            long deadLettersWithoutContext, int dataFiles) {
    }

    private final SparkSession spark;
    private final AuditPlan plan;
    private final Set<String> topics;

    SparkStores(SparkSession spark, AuditPlan plan) throws CannotJudgeException {
        this.spark = spark;
        this.plan = plan;
        this.topics = existingTopics(plan.bootstrapServers());
        spark.udf().register(ChangeEventUdf.NAME, new ChangeEventUdf(plan.keySchemas(), plan.valueSchemas()),
                ChangeEventUdf.TYPE);
    }

    Read read() throws CannotJudgeException {
        if (!topics.contains(plan.changeTopic())) {
            throw new CannotJudgeException("the change topic " + plan.changeTopic() + " does not exist");
        }
        Dataset<Row> captured = null;
        for (String topic : plan.capturedTopics()) {
            if (!topics.contains(topic)) {
                continue;
            }
            String kind = topic.equals(plan.changeTopic()) ? CapturedEvents.CHANGE : CapturedEvents.QUARANTINE;
            Dataset<Row> events = topic(topic).where("value IS NOT NULL")
                    .selectExpr("topic", "`partition`", "`offset`", literal(kind) + " AS kind",
                            ChangeEventUdf.NAME + "(topic, key, value) AS e", header(plan.rulesHeader()) + " AS rules",
                            header(ReplayHeaders.OF) + " AS replay_of", header(ReplayHeaders.ID) + " AS replay_id")
                    .selectExpr("topic", "`partition`", "`offset`", "kind", "e.key AS `key`", "e.id_hi AS id_hi",
                            "e.id_lo AS id_lo", "e.ts_ms AS ts_ms", "rules", "replay_of", "replay_id",
                            "e.entity AS entity", "e.lsn AS lsn", "e.op AS op");
            captured = captured == null ? events : captured.unionAll(events);
        }
        captured = captured.persist(StorageLevel.MEMORY_AND_DISK());
        captured.createOrReplaceTempView("captured");
        spark.sql("SELECT topic, \"partition\", \"offset\", kind, entity, lsn, op FROM captured")
                .createOrReplaceTempView("captured_entities");
        long events = captured.count();
        Map<TopicPartition, TopicRanges.Range> ranges = new LinkedHashMap<>();
        for (Row r : spark.sql("SELECT topic, \"partition\", min(\"offset\"), max(\"offset\") FROM captured "
                + "GROUP BY topic, \"partition\" ORDER BY topic, \"partition\"").collectAsList()) {
            ranges.put(new TopicPartition(r.getString(0), r.getInt(1)),
                    new TopicRanges.Range(r.getLong(2), r.getLong(3) + 1));
        }

        Dataset<Row> sinkRows = sinkRows(plan.landing(), "landing");
        if (plan.quarantine() != null) {
            Dataset<Row> q = sinkRows(plan.quarantine(), "quarantine");
            sinkRows = sinkRows == null ? q : q == null ? sinkRows : sinkRows.unionAll(q);
        }
        if (sinkRows == null) {
            sinkRows = spark.sql("SELECT CAST(NULL AS STRING) AS store, CAST(NULL AS STRING) AS role, "
                    + "CAST(NULL AS STRING) AS topic, CAST(NULL AS INT) AS \"partition\", CAST(NULL AS BIGINT) AS "
                    + "\"offset\", CAST(NULL AS STRING) AS row_position WHERE false");
        }
        sinkRows = sinkRows.persist(StorageLevel.MEMORY_AND_DISK());
        sinkRows.createOrReplaceTempView("sink_rows");
        long files = spark.sql("SELECT count(DISTINCT substring_index(row_position, '#', 1)) FROM sink_rows")
                .first().getLong(0);

        List<Dataset<Row>> dlqs = new ArrayList<>();
        for (Map.Entry<String, String> dlq : plan.deadLetterQueues().entrySet()) {
            // Every dead letter is read: one written late may name an event of the audited range.
            dlqs.add(deadLetters(dlq.getKey(), dlq.getValue()));
        }
        Dataset<Row> letters = dlqs.stream().reduce(Dataset::unionAll).orElseGet(() -> deadLetters(null, null));
        letters = letters.persist(StorageLevel.MEMORY_AND_DISK());
        letters.createOrReplaceTempView("all_dead_letters");
        Row dead = spark.sql("SELECT count(*), count_if(topic IS NULL OR \"partition\" IS NULL OR \"offset\" IS NULL) "
                + "FROM all_dead_letters").first();
        spark.sql("SELECT * FROM all_dead_letters WHERE topic IS NOT NULL AND \"partition\" IS NOT NULL "
                + "AND \"offset\" IS NOT NULL").createOrReplaceTempView("dead_letters");
        return new Read(ranges, events, dead.getLong(0), dead.getLong(1), (int) files);
    }

    /**
     * The current-state reconciliation's inputs beside {@code captured_entities}: {@code current_dead_letters} (the
     * current table's sink's dead-letter queue), and {@code source_rows} and {@code current_rows}
     * ({@link SparkTableRows}).
     */
    void readCurrentState(ReconcilePlan reconcile) throws CannotJudgeException {
        Dataset<Row> letters = reconcile.currentDeadLetters() == null ? deadLetters(null, null)
                : deadLetters(reconcile.currentDeadLetters(), reconcile.currentConnector());
        letters.where("topic IS NOT NULL AND \"partition\" IS NOT NULL AND \"offset\" IS NOT NULL")
                .persist(StorageLevel.MEMORY_AND_DISK()).createOrReplaceTempView("current_dead_letters");
        SparkTableRows.read(spark, reconcile);
    }

    /**
     * A dead-letter queue's records as {@code (connector, topic, partition, offset, reason)}: the failed record's
     * position from the {@code __connect.errors.*} headers; none when {@code topic} is null or does not exist.
     */
    private Dataset<Row> deadLetters(String topic, String connector) {
        if (topic == null || !topics.contains(topic)) {
            return spark.sql("SELECT CAST(NULL AS STRING) AS connector, CAST(NULL AS STRING) AS topic, "
                    + "CAST(NULL AS INT) AS \"partition\", CAST(NULL AS BIGINT) AS \"offset\", "
                    + "CAST(NULL AS STRING) AS reason WHERE false");
        }
        return topic(topic).selectExpr(literal(connector) + " AS connector",
                header("__connect.errors.topic") + " AS topic",
                "try_cast(" + header("__connect.errors.partition") + " AS INT) AS \"partition\"",
                "try_cast(" + header("__connect.errors.offset") + " AS BIGINT) AS \"offset\"",
                "coalesce(" + header("__connect.errors.exception.message") + ", "
                        + header("__connect.errors.exception.class.name") + ") AS reason");
    }

    /** Every record of a topic, as committed (transactions the producer aborted are not read, as by the sinks). */
    private Dataset<Row> topic(String topic) {
        return spark.read().format("kafka")
                .option("kafka.bootstrap.servers", plan.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("endingOffsets", "latest")
                .option("includeHeaders", "true")
                .option("kafka.isolation.level", "read_committed")
                // Offsets a transactional topic spends on commit markers hold no record: not a loss.
                .option("failOnDataLoss", "false")
                .load();
    }

    /** One row per row of a sink table's current snapshot: store, role, the Kafka position, file#row. */
    private Dataset<Row> sinkRows(AuditPlan.SinkTable sink, String role) throws CannotJudgeException {
        String name = plan.catalogName() + "." + sink.table();
        if (!spark.catalog().tableExists(name)) {
            // A sink creates its table with its first row: no table, no rows.
            return null;
        }
        try {
            return spark.table(name).selectExpr(literal(sink.table()) + " AS store", literal(role) + " AS role",
                    "_kafka_metadata_topic AS topic", "_kafka_metadata_partition AS \"partition\"",
                    "_kafka_metadata_offset AS \"offset\"",
                    "regexp_replace(_file, '^file:(//)?', '') || '#' || CAST(_pos AS STRING) AS row_position");
        } catch (RuntimeException e) {
            throw new CannotJudgeException(sink.table() + " cannot be read for its Kafka position columns "
                    + "(_kafka_metadata_topic/partition/offset): " + e.getMessage(), e);
        }
    }

    /** A header's last value as text, or null: {@code lastHeader}, as the one-machine audit reads it. */
    private static String header(String name) {
        return "CAST(try_element_at(filter(headers, h -> h.key = " + literal(name) + "), -1).value AS STRING)";
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Set<String> existingTopics(String bootstrapServers) throws CannotJudgeException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new CannotJudgeException("cannot list the topics of " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotJudgeException("interrupted listing the topics of " + bootstrapServers, e);
        }
    }
}
