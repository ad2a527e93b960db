package dev.truthline.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.connect.harness.DebeziumEnvelopes;

/**
 * Ranges by snapshot of the landing table and by offsets, through the whole audit ({@code PipelineAudit}) over topics
 * held in memory and Iceberg tables whose data files DuckDB wrote.
 *
 * <p>The pipeline: change topic partition 0 holds, by offset, 0 1 landed in S1; 2 dead-lettered; 3 landed in S2; 4 a
 * duplicate of 3; 5 landed in S2; 6 dead-lettered; 7 landed in S3; 8 dead-lettered after every landed row. Partition 1:
 * 0 landed in S2, 1 in S3 (it has no row in S1), 2 a duplicate of 0 (re-sent after S3: its copy landed two snapshots
 * earlier). The quarantine topic's 0 is a row of the quarantine table's Q1 (committed between S1 and S2), its 1 of Q2
 * (after S3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotRangeTest {

    private static final String CHANGES = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";
    private static final String DLQ = "orders.silver.dlq";

    @TempDir
    static Path dir;

    private MemoryLog log;
    private InMemoryCatalog catalog;
    private AuditPlan plan;
    private long s1;
    private long s2;
    private long s3;
    private long lastCommitMs;

    @BeforeEach
    void topics() {
        log = new MemoryLog().topic(CHANGES, 2).topic(QUARANTINE, 1).topic(DLQ, 1);
        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        for (int o = 0; o < 9; o++) {
            // Offset 4 repeats offset 3's change (a duplicate); the others are changes of their own.
            int change = o == 4 ? 3 : o;
            change(keys, values, 0, change);
            if (o == 2 || o == 6 || o == 8) {
                RecordHeaders h = new RecordHeaders();
                h.add("__connect.errors.topic", CHANGES.getBytes(UTF_8));
                h.add("__connect.errors.partition", "0".getBytes(UTF_8));
                h.add("__connect.errors.offset", String.valueOf(o).getBytes(UTF_8));
                h.add("__connect.errors.exception.message", "failed rules currency_iso".getBytes(UTF_8));
                log.append(DLQ, 0, null, new byte[] {'x'}, h);
            }
        }
        change(keys, values, 1, 100);
        change(keys, values, 1, 101);
        change(keys, values, 1, 100);
        for (int i = 0; i < 2; i++) {
            RecordHeaders h = new RecordHeaders();
            h.add("dq.rules", "customer_required".getBytes(UTF_8));
            log.append(QUARANTINE, 0, null, values.fromConnectData(QUARANTINE, null,
                    DebeziumEnvelopes.change("c", 200 + i).lsn(9_000 + i).map()), h);
        }
    }

    /** The tables, once for the class: no test changes them. */
    @BeforeAll
    void tables() throws Exception {
        catalog = new InMemoryCatalog();
        catalog.initialize("iceberg", Map.of());
        catalog.createNamespace(Namespace.of("silver"));
        catalog.createNamespace(Namespace.of("quarantine"));
        Schema schema = new Schema(
                Types.NestedField.optional(1, IcebergSinkRows.TOPIC_COLUMN, Types.StringType.get()),
                Types.NestedField.optional(2, IcebergSinkRows.PARTITION_COLUMN, Types.IntegerType.get()),
                Types.NestedField.optional(3, IcebergSinkRows.OFFSET_COLUMN, Types.LongType.get()));
        Table silver = catalog.createTable(TableIdentifier.of("silver", "orders"), schema);
        Table quarantine = catalog.createTable(TableIdentifier.of("quarantine", "orders"), schema);
        s1 = land(silver, CHANGES, "s1", new long[][] {{0, 0}, {0, 1}});
        land(quarantine, QUARANTINE, "q1", new long[][] {{0, 0}});
        s2 = land(silver, CHANGES, "s2", new long[][] {{0, 3}, {0, 5}, {1, 0}});
        s3 = land(silver, CHANGES, "s3", new long[][] {{0, 7}, {1, 1}});
        land(quarantine, QUARANTINE, "q2", new long[][] {{0, 1}});

        plan = new AuditPlan("memory", CHANGES, QUARANTINE, "dq.rules", true, false, "iceberg", Map.of(),
                new AuditPlan.SinkTable("orders-silver", "silver.orders"),
                new AuditPlan.SinkTable("orders-quarantine", "quarantine.orders"), Map.of(DLQ, "orders-silver"),
                "64MB", null);
    }

    @AfterAll
    void close() throws Exception {
        catalog.close();
    }

    @Test
    void consecutiveSnapshotRangesGiveEveryEventExactlyOnceAndBlameNothingLandedEarlier() throws Exception {
        PipelineAudit.Outcome whole = audit(AuditRange.WHOLE);
        assertThat(whole.result().exitCode()).isZero();
        assertThat(whole.capturedEvents()).isEqualTo(14);

        PipelineAudit.Outcome first = audit(range(null, s1));
        PipelineAudit.Outcome second = audit(range(s1, s2));
        PipelineAudit.Outcome third = audit(range(s2, s3));
        PipelineAudit.Outcome rest = audit(range(s3, null));

        assertThat(fates(first)).isEqualTo(fates(2, 0, 0, 0));
        // 2 dead-lettered, 3 and 5 landed, 4 a duplicate of 3, partition 1's 0 landed; the quarantine's 0 (Q1).
        assertThat(fates(second)).isEqualTo(fates(3, 1, 1, 1));
        // 6 dead-lettered, 7 and partition 1's 1 landed: the rows of S1 and S2 in the table read at S3 are not blamed.
        assertThat(fates(third)).isEqualTo(fates(2, 0, 1, 0));
        // After S3: the dead letter at 8 (no row after it yet), the quarantine's 1, and partition 1's 2: a duplicate
        // whose landed copy (partition 1's 0, in S2) lies before the range, found by reading back from the range's start.
        assertThat(fates(rest)).isEqualTo(fates(0, 1, 1, 1));
        List<PipelineAudit.Outcome> ranges = List.of(first, second, third, rest);
        for (PipelineAudit.Outcome o : ranges) {
            assertThat(o.result().exitCode()).isZero();
            assertThat(o.result().extraRows()).isZero();
        }
        Map<Fate, Long> summed = new EnumMap<>(Fate.class);
        ranges.forEach(o -> o.result().fates().forEach((f, n) -> summed.merge(f, n, Long::sum)));
        assertThat(summed).isEqualTo(whole.result().fates());

        // The ranges meet: each partition's ranges follow one another from its start to its end, no gap, no overlap.
        Map<TopicPartition, Long> next = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (PipelineAudit.Outcome o : ranges) {
            o.ranges().forEach((p, r) -> {
                assertThat(r.from()).as("start of %s", p).isEqualTo(next.getOrDefault(p, 0L));
                next.put(p, r.until());
            });
        }
        assertThat(next).containsEntry(new TopicPartition(CHANGES, 0), 9L)
                .containsEntry(new TopicPartition(CHANGES, 1), 3L).containsEntry(new TopicPartition(QUARANTINE, 0), 2L);
        assertThat(first.ranges()).containsEntry(new TopicPartition(CHANGES, 1), new TopicRanges.Range(0, 0));
    }

    @Test
    void aChangeLostAfterTheStartStaysUnexplainedThoughItsPartitionIsReadBack() throws Exception {
        // A new change at partition 0's offset 9: no row, no dead letter, no copy anywhere.
        change(converter(true), converter(false), 0, 50);
        PipelineAudit.Outcome rest = audit(range(s3, null));
        assertThat(rest.result().count(Fate.UNEXPLAINED)).isEqualTo(1);
        assertThat(rest.result().unexplained()).singleElement()
                .satisfies(u -> assertThat(u.offset()).isEqualTo(9L));
        assertThat(rest.result().count(Fate.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void anEventLandedAfterTheEndSnapshotIsNotInTheRange() throws Exception {
        // Until S2: 7 (landed in S3) lies past S2's cut of partition 0, and the table is read as of S2.
        PipelineAudit.Outcome o = audit(range(null, s2));
        assertThat(o.ranges()).containsEntry(new TopicPartition(CHANGES, 0), new TopicRanges.Range(0, 6));
        assertThat(fates(o)).isEqualTo(fates(5, 1, 1, 1));
        assertThat(o.result().exitCode()).isZero();
    }

    @Test
    void offsetRangesAreInclusiveStartsAndExclusiveEnds() throws Exception {
        AuditRange byOffsets = new AuditRange(
                AuditRange.Bound.offsets("--since-offsets", AuditRange.offsets("--since-offsets", CHANGES + ":0=2")),
                AuditRange.Bound.offsets("--until-offsets", AuditRange.offsets("--until-offsets",
                        CHANGES + ":0=6,1=1;" + QUARANTINE + ":0=1")));
        PipelineAudit.Outcome o = audit(byOffsets);
        assertThat(o.ranges()).containsEntry(new TopicPartition(CHANGES, 0), new TopicRanges.Range(2, 6))
                .containsEntry(new TopicPartition(CHANGES, 1), new TopicRanges.Range(0, 1))
                .containsEntry(new TopicPartition(QUARANTINE, 0), new TopicRanges.Range(0, 1));
        assertThat(fates(o)).isEqualTo(fates(3, 1, 1, 1));
    }

    @Test
    void rangesTheStoresCannotAnswerNameTheirOption() {
        assertThatThrownBy(() -> audit(range(42L, null))).isInstanceOfSatisfying(CannotJudgeException.class,
                e -> assertThat(e.option()).isEqualTo("--since-snapshot"))
                .hasMessageContaining("42 is not a snapshot of silver.orders");
        assertThatThrownBy(() -> audit(range(s3, s1))).isInstanceOfSatisfying(CannotJudgeException.class,
                e -> assertThat(e.option()).isEqualTo("--since-snapshot"))
                .hasMessageContaining("is not an ancestor of --until-snapshot " + s1);
        assertThatThrownBy(() -> audit(offsets("--until-offsets", CHANGES + ":0=10")))
                .isInstanceOfSatisfying(CannotJudgeException.class,
                        e -> assertThat(e.option()).isEqualTo("--until-offsets"))
                .hasMessageContaining(CHANGES + "-0 ends at offset 9 now, not 10");
        assertThatThrownBy(() -> audit(offsets("--until-offsets", CHANGES + ":5=1")))
                .isInstanceOfSatisfying(CannotJudgeException.class,
                        e -> assertThat(e.option()).isEqualTo("--until-offsets"))
                .hasMessageContaining("has no partition 5");
        assertThatThrownBy(() -> audit(offsets("--until-offsets", "orders.other:0=1")))
                .isInstanceOfSatisfying(CannotJudgeException.class,
                        e -> assertThat(e.option()).isEqualTo("--until-offsets"))
                .hasMessageContaining("orders.other is not a captured topic");
    }

    private PipelineAudit.Outcome audit(AuditRange range) throws Exception {
        AuditPlan p = new AuditPlan(plan.bootstrapServers(), plan.changeTopic(), plan.quarantineTopic(),
                plan.rulesHeader(), plan.keySchemas(), plan.valueSchemas(), plan.catalogName(),
                plan.catalogProperties(), plan.landing(), plan.quarantine(), plan.deadLetterQueues(),
                plan.memoryLimit(), java.nio.file.Files.createTempDirectory(dir, "spill"));
        try (TopicRanges topics = new TopicRanges(log)) {
            return PipelineAudit.run(p, topics, catalog, Map.of(), range, 10, null);
        }
    }

    private static AuditRange range(Long since, Long until) {
        return new AuditRange(since == null ? AuditRange.Bound.NONE : AuditRange.Bound.snapshot("--since-snapshot", since),
                until == null ? AuditRange.Bound.NONE : AuditRange.Bound.snapshot("--until-snapshot", until));
    }

    private static AuditRange offsets(String option, String value) {
        return new AuditRange(AuditRange.Bound.NONE, AuditRange.Bound.offsets(option, AuditRange.offsets(option, value)));
    }

    private static Map<Fate, Long> fates(PipelineAudit.Outcome o) {
        return o.result().fates();
    }

    private static Map<Fate, Long> fates(long landed, long quarantined, long deadLettered, long duplicate) {
        Map<Fate, Long> m = new EnumMap<>(Fate.class);
        m.put(Fate.LANDED, landed);
        m.put(Fate.QUARANTINED, quarantined);
        m.put(Fate.DEAD_LETTERED, deadLettered);
        m.put(Fate.DUPLICATE, duplicate);
        m.put(Fate.UNEXPLAINED, 0L);
        return m;
    }

    private void change(JsonConverter keys, JsonConverter values, int partition, long change) {
        DebeziumEnvelopes.Change c = DebeziumEnvelopes.change("u", change).lsn(1_000 + change * 8)
                .tsMs(1_700_000_000_000L + change);
        log.append(CHANGES, partition, keys.fromConnectData(CHANGES, DebeziumEnvelopes.KEY, c.key()),
                values.fromConnectData(CHANGES, null, c.map()), new RecordHeaders());
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", String.valueOf(isKey)), isKey);
        return c;
    }

    /** One data file of {partition, offset} rows of {@code topic}, appended as one snapshot; returns its id. */
    private long land(Table table, String topic, String name, long[][] rows) throws Exception {
        Path file = dir.resolve(name + ".parquet");
        List<String> values = new ArrayList<>();
        for (long[] r : rows) {
            values.add("('" + topic + "', " + r[0] + "::INTEGER, " + r[1] + "::BIGINT)");
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES " + String.join(", ", values) + ") t("
                    + IcebergSinkRows.TOPIC_COLUMN + ", " + IcebergSinkRows.PARTITION_COLUMN + ", "
                    + IcebergSinkRows.OFFSET_COLUMN + ")) TO '" + file + "' (FORMAT parquet)");
        }
        while (System.currentTimeMillis() <= lastCommitMs) {
            Thread.onSpinWait(); // each commit a later millisecond: the quarantine table is found "as of" a time
        }
        AppendFiles append = table.newAppend();
        append.appendFile(DataFiles.builder(PartitionSpec.unpartitioned()).withPath(file.toString())
                .withFormat(FileFormat.PARQUET).withFileSizeInBytes(java.nio.file.Files.size(file))
                .withRecordCount(rows.length).build());
        append.commit();
        table.refresh();
        lastCommitMs = table.currentSnapshot().timestampMillis();
        return table.currentSnapshot().snapshotId();
    }
}
