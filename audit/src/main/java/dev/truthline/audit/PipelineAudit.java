package dev.truthline.audit;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.common.TopicPartition;

/**
 * One audit of a running pipeline: reads the captured events (change topic and source quarantine), the landing and
 * quarantine tables' provenance and the dead-letter queues into an {@link AuditDatabase}, and assigns the fates.
 */
public final class PipelineAudit {

    private PipelineAudit() {
    }

    /**
     * What was read, beside the result: ranges audited (for the checkpoint), how much, how long landed events
     * took to become readable, and the events and distinct changes per kind and fate ({@code counts}; null where an
     * engine does not count them).
     */
    public record Outcome(AuditResult result, Map<TopicPartition, TopicRanges.Range> ranges, long capturedEvents,
            long deadLetters, long deadLettersWithoutContext, int dataFiles, long millis,
            LandingLatency.Histogram latency, Reconciliation.Result reconciliation, long reconciliationMillis,
            AuditCounts counts) {

        /** An outcome without the counts beside the fates (null). */
        public Outcome(AuditResult result, Map<TopicPartition, TopicRanges.Range> ranges, long capturedEvents,
                long deadLetters, long deadLettersWithoutContext, int dataFiles, long millis,
                LandingLatency.Histogram latency, Reconciliation.Result reconciliation, long reconciliationMillis) {
            this(result, ranges, capturedEvents, deadLetters, deadLettersWithoutContext, dataFiles, millis, latency,
                    reconciliation, reconciliationMillis, null);
        }

        /** An outcome without a current-state reconciliation. */
        public Outcome(AuditResult result, Map<TopicPartition, TopicRanges.Range> ranges, long capturedEvents,
                long deadLetters, long deadLettersWithoutContext, int dataFiles, long millis,
                LandingLatency.Histogram latency) {
            this(result, ranges, capturedEvents, deadLetters, deadLettersWithoutContext, dataFiles, millis, latency,
                    null, 0);
        }

        /** 0 when every event (and, when reconciled, every key of the current table) is explained; else 1. */
        public int exitCode() {
            int fates = result.exitCode();
            return reconciliation == null ? fates : Math.max(fates, reconciliation.exitCode());
        }
    }

    /**
     * Runs the audit.
     *
     * @param checkpoint where the previous audit stopped, per partition of the captured topics (may be empty)
     * @param sinceMs    or the first record time to audit (null: from the start or the checkpoint)
     * @param untilMs    the record time to stop before (null: the topics' ends now)
     * @param listLimit  unexplained events and rows listed one by one
     */
    public static Outcome run(AuditPlan plan, Map<TopicPartition, Long> checkpoint, Long sinceMs, Long untilMs,
            int listLimit) throws CannotJudgeException, SQLException {
        return run(plan, checkpoint, AuditRange.byTime(sinceMs, untilMs), listLimit, null);
    }

    /**
     * Runs the audit and, when {@code reconcile} is given, the current-state reconciliation of its source and current
     * tables against the changes the pipeline rejected.
     */
    public static Outcome run(AuditPlan plan, Map<TopicPartition, Long> checkpoint, Long sinceMs, Long untilMs,
            int listLimit, ReconcilePlan reconcile) throws CannotJudgeException, SQLException {
        return run(plan, checkpoint, AuditRange.byTime(sinceMs, untilMs), listLimit, reconcile);
    }

    /** Runs the audit of {@code range} (a time, offsets or landing-table snapshots at each end). */
    public static Outcome run(AuditPlan plan, Map<TopicPartition, Long> checkpoint, AuditRange range, int listLimit,
            ReconcilePlan reconcile) throws CannotJudgeException, SQLException {
        try (TopicRanges topics = TopicRanges.kafka(plan.bootstrapServers()); JdbcCatalog catalog = catalog(plan)) {
            return run(plan, topics, catalog, checkpoint, range, listLimit, reconcile);
        }
    }

    /** The audit over given topics and catalog. */
    static Outcome run(AuditPlan plan, TopicRanges topics, Catalog catalog, Map<TopicPartition, Long> checkpoint,
            AuditRange range, int listLimit, ReconcilePlan reconcile) throws CannotJudgeException, SQLException {
        long start = System.nanoTime();
        requireCapturedTopics(plan, range);
        Map<TopicPartition, TopicRanges.Range> ranges = new LinkedHashMap<>();
        try (AuditDatabase db = AuditDatabase.open(plan.memoryLimit(), plan.spillDir())) {
            Table landing = table(catalog, plan.landing());
            Table quarantine = plan.quarantine() == null ? null : table(catalog, plan.quarantine());
            SnapshotRange.Resolved resolved = SnapshotRange.resolve(db, plan, range, landing, quarantine);
            CapturedEvents events = new CapturedEvents(plan.keySchemas(), plan.valueSchemas(), plan.rulesHeader());
            if (reconcile != null) {
                events.withEntities();
            }
            long captured = 0;
            for (String topic : plan.capturedTopics()) {
                Map<TopicPartition, TopicRanges.Range> r = topics.resolve(topic, checkpoint,
                        resolved.range().since(), resolved.range().until());
                if (r.isEmpty() && topic.equals(plan.changeTopic())) {
                    throw new CannotJudgeException("the change topic " + topic + " does not exist");
                }
                ranges.putAll(r);
                captured += events.load(db, topics, r, topic.equals(plan.changeTopic())
                        ? CapturedEvents.CHANGE : CapturedEvents.QUARANTINE);
            }
            long tombstones = events.tombstones();
            long dead = 0;
            long deadWithoutContext = 0;
            for (Map.Entry<String, String> dlq : plan.deadLetterQueues().entrySet()) {
                // Every dead letter is read: one written late may name an event of the audited range.
                long[] counts = DeadLetters.load(db, topics, topics.whole(dlq.getKey()), dlq.getValue());
                dead += counts[0];
                deadWithoutContext += counts[1];
            }
            int files = 0;
            if (landing != null) {
                files += IcebergSinkRows.load(db, landing, plan.landing().table(), "landing",
                        resolved.landingSnapshot());
            }
            if (quarantine != null && !resolved.quarantineEmpty()) {
                files += IcebergSinkRows.load(db, quarantine, plan.quarantine().table(), "quarantine",
                        resolved.quarantineSnapshot());
            }
            FateAssignment.create(db);
            if (!range.whole() || !checkpoint.isEmpty()) {
                EarlierCopies.resolve(db, topics, events, plan.changeTopic(), ranges);
            }
            AuditResult result = FateAssignment.summarise(db, listLimit);
            LandingLatency.Histogram latency = LandingLatency.measure(db);
            AuditCounts counts = AuditCounts.measure(db, tombstones);
            long audited = System.nanoTime();
            Reconciliation.Result reconciliation = null;
            if (reconcile != null) {
                reconciliation = reconcile(db, topics, reconcile, listLimit);
            }
            long end = System.nanoTime();
            return new Outcome(result, ranges, captured, dead, deadWithoutContext, files,
                    (audited - start) / 1_000_000, latency, reconciliation, (end - audited) / 1_000_000, counts);
        }
    }

    /** Offsets the operator gave name captured topics only. */
    private static void requireCapturedTopics(AuditPlan plan, AuditRange range) throws CannotJudgeException {
        for (AuditRange.Bound b : java.util.List.of(range.since(), range.until())) {
            if (b.offsets() == null) {
                continue;
            }
            for (TopicPartition p : b.offsets().keySet()) {
                if (!plan.capturedTopics().contains(p.topic())) {
                    throw CannotJudgeException.option(b.option(), p.topic() + " is not a captured topic of this "
                            + "pipeline (" + String.join(", ", plan.capturedTopics()) + ")");
                }
            }
        }
    }

    /**
     * Reads the current table's sink's dead letters, then both tables through JDBC (the source's primary key and
     * columns decide what is compared), and classifies every key.
     */
    private static Reconciliation.Result reconcile(AuditDatabase db, TopicRanges topics, ReconcilePlan plan,
            int listLimit) throws CannotJudgeException, SQLException {
        if (plan.currentDeadLetters() != null) {
            DeadLetters.load(db, topics, topics.whole(plan.currentDeadLetters()), plan.currentConnector(),
                    AuditDatabase.CURRENT_DEAD_LETTERS);
        }
        TableRows.Shape shape;
        try (java.sql.Connection source = TableRows.connect(plan.source())) {
            shape = TableRows.shape(source, plan.source().table()).without(plan.notCompared());
            TableRows.load(db, AuditDatabase.SOURCE_ROWS, source, plan.source().table(), shape, null);
        }
        try (java.sql.Connection current = TableRows.connect(plan.current())) {
            // A sink creates its table with its first row: no table, no rows.
            if (TableRows.exists(current, plan.current().table())) {
                TableRows.load(db, AuditDatabase.CURRENT_ROWS, current, plan.current().table(), shape,
                        plan.lsnColumn());
            }
        } catch (SQLException e) {
            throw new CannotJudgeException("cannot read " + plan.current() + " by the columns of "
                    + plan.source().table() + " " + shape.columns() + " and " + plan.lsnColumn() + ": "
                    + e.getMessage(), e);
        }
        return Reconciliation.run(db, listLimit);
    }

    /** The sink's table, or null: a sink creates its table with its first row (no table, no rows). */
    private static Table table(Catalog catalog, AuditPlan.SinkTable sink) {
        TableIdentifier id = TableIdentifier.parse(sink.table());
        return catalog.tableExists(id) ? catalog.loadTable(id) : null;
    }

    private static JdbcCatalog catalog(AuditPlan plan) throws CannotJudgeException {
        Map<String, String> props = new HashMap<>(plan.catalogProperties());
        props.remove("catalog-impl");
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new org.apache.hadoop.conf.Configuration());
        try {
            catalog.initialize(plan.catalogName(), props);
        } catch (RuntimeException e) {
            throw new CannotJudgeException("cannot open the Iceberg catalog " + plan.catalogName() + " at "
                    + props.get("uri") + ": " + e.getMessage(), e);
        }
        return catalog;
    }
}
