package dev.truthline.connect.dedupe;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;
import dev.truthline.connect.dedupe.DeduplicateConfig.MissingId;
import dev.truthline.connect.dedupe.DeduplicateConfig.OnDuplicate;
import dev.truthline.connect.dedupe.DeduplicateConfig.Strategy;
import dev.truthline.connect.core.ChangeEvent;
import dev.truthline.connect.core.ChangeIdentity;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.IdEncoder;
import dev.truthline.connect.core.PluginCounters;
import dev.truthline.connect.core.Records;
import dev.truthline.connect.core.TaskCounter;
import dev.truthline.connect.core.TaskStop;
import dev.truthline.connect.core.ThreadOwner;
import dev.truthline.connect.core.ReplayHeaders;
import dev.truthline.connect.core.TruthlineVersion;

/**
 * Drops (or tags) records whose id the task has already seen at another position, and passes a
 * record seen again at the same position: that is a redelivery (rewind, retry, rebalance,
 * restart), and dropping it would turn at-least-once delivery into loss.
 *
 * <p>Works on sink records (position: original topic, partition and offset) and source records
 * (position: source partition and source offset).
 *
 * <p>A sink record written again by {@code truthline replay} names the position it replays in a header
 * ({@code replay.header}, {@link ReplayHeaders#OF}). It passes once when this task never judged its
 * original: the window remembers the original only from a rebuild (debezium, event_id), or holds that
 * very version as the entity's newest (entity_version); the window then remembers the replay's position,
 * so a second replay is a duplicate. Everything else about it is judged as for any record.
 */
public class Deduplicate<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    public static final String OVERVIEW_DOC = "Drops or tags duplicate records within a bounded, position-aware "
            + "window: an id seen again at the position where it was first seen is a redelivery and passes; "
            + "only the same id at another position is a duplicate. Strategies: event_id, debezium, entity_version.";

    public static final ConfigDef CONFIG_DEF = DeduplicateConfig.CONFIG_DEF;

    /** posA of a source-record position; posB then holds a fingerprint of source partition and offset. */
    static final long SOURCE_POSITION = Long.MIN_VALUE;
    /** posB of an id read back from a source task's output topic: whatever source position a copy has, it is a copy. */
    static final long REBUILT_SOURCE_POSITION = 0x7265_6275_696c_7421L;

    private static final Logger log = LoggerFactory.getLogger(Deduplicate.class);


    private final Time time;
    /** Makes the consumer a rebuild reads the log with. */
    private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
    private Strategy strategy;
    private List<IdField> idFields;
    private IdField versionField;
    private OnDuplicate onDuplicate;
    private MissingId missingId;
    private String duplicateHeader;
    private String reasonHeader;
    private String ofHeader;
    /** Null when replays are judged as any record. */
    private String replayHeader;
    private DedupeWindow window;
    private final ChangeIdentity changeIdentity = new ChangeIdentity(problem -> log.warn("Deduplicate: {}", problem));
    /**
     * What one record's judgement writes into, reused record after record. Connect calls a transform from its
     * task's thread: the first thread to judge owns one, reached without a lookup; any other thread uses a
     * thread-local of its own.
     */
    private static final class Scratch {
        final IdEncoder id = new IdEncoder();
        final IdEncoder fingerprint = new IdEncoder();
        final long[] firstSeen = new long[2];
        long version;
        long posA;
        long posB;
        /** Whether the record names a position it replays that this task knows the topic of, and that position. */
        boolean replay;
        long ofA;
        long ofB;
        /**
         * Per stream (sink: input topic-partition; source: output topic), the Debezium delete the last record this
         * thread judged there was, when it was dropped (or tagged) as a duplicate or stale: the tombstone Debezium
         * writes right behind a delete shares its verdict. Held only until the stream's next record, so the common
         * path reads one count; a few streams at once at most (a poll's records come partition by partition).
         */
        final JudgedDelete[] judgedDeletes = new JudgedDelete[8];
        int judgedDeleteCount;

        /** Forgets, and returns, the delete judged last in {@code stream} (null when none). */
        JudgedDelete takeJudgedDelete(long stream) {
            for (int i = 0; i < judgedDeleteCount; i++) {
                JudgedDelete d = judgedDeletes[i];
                if (d.stream() == stream) {
                    judgedDeletes[i] = judgedDeletes[--judgedDeleteCount];
                    judgedDeletes[judgedDeleteCount] = null;
                    return d;
                }
            }
            return null;
        }

        void judgedDelete(JudgedDelete d) {
            takeJudgedDelete(d.stream());
            if (judgedDeleteCount == judgedDeletes.length) {
                // More streams with a delete pending than a poll interleaves: the oldest goes (its tombstone passes).
                System.arraycopy(judgedDeletes, 1, judgedDeletes, 0, --judgedDeleteCount);
            }
            judgedDeletes[judgedDeleteCount++] = d;
        }
    }

    /** A delete dropped (or tagged): its stream and key, the verdict and where it was first seen (for the tag). */
    private record JudgedDelete(long stream, Object key, String reason, long firstA, long firstB) {
    }

    private final ThreadLocal<Scratch> otherThreadsScratch = ThreadLocal.withInitial(Scratch::new);
    /** The thread {@link #ownerScratch} is for: the task's. */
    private final ThreadOwner scratchOwner = new ThreadOwner();
    private final Scratch ownerScratch = new Scratch();
    private final Map<String, Integer> topicIndex = new HashMap<>();
    private final List<String> topics = new ArrayList<>();

    /** Null when the window is not rebuilt from the log. */
    private WindowRebuild rebuild;
    private boolean rebuildFailEmpty;
    private String rebuildServers;
    /** Sink: per input topic, the partitions this instance has judged records of. */
    private final Map<String, java.util.Set<Integer>> seenPartitions = new ConcurrentHashMap<>();
    /** Sink: per input topic rebuilt, how far (exclusive offset) each partition was read. Guarded by seenPartitions. */
    private final Map<String, Map<Integer, Long>> rebuiltUpTo = new HashMap<>();
    private final java.util.Set<String> rebuiltTopics = ConcurrentHashMap.newKeySet();

    final TaskCounter total = new TaskCounter();
    final LongAdder rebuilds = new LongAdder();
    final LongAdder rebuildRecords = new LongAdder();
    final LongAdder rebuildMillis = new LongAdder();
    final LongAdder rebuildFailures = new LongAdder();
    /** Duration of the last rebuild, for an alert on slow rebuilds (counters cannot show one after a restart). */
    private volatile long lastRebuildMillis;
    final TaskCounter passed = new TaskCounter();
    final TaskCounter duplicates = new TaskCounter();
    final TaskCounter stale = new TaskCounter();
    final TaskCounter replays = new TaskCounter();
    final TaskCounter replaysPassed = new TaskCounter();
    final TaskCounter missing = new TaskCounter();
    final TaskCounter skipped = new TaskCounter();
    final TaskCounter staleTombstones = new TaskCounter();
    private PluginMetrics pluginMetrics;

    public Deduplicate() {
        this(Time.SYSTEM);
    }

    /** For tests: a clock to drive the TTL. */
    Deduplicate(Time time) {
        this(time, WindowRebuild::kafkaConsumer);
    }

    /** For tests: a clock, and the consumers a rebuild reads the log with. */
    Deduplicate(Time time, Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
        this.time = time;
        this.consumers = consumers;
    }

    @Override
    public void configure(Map<String, ?> props) {
        DeduplicateConfig config = new DeduplicateConfig(props);
        strategy = config.strategy();
        switch (strategy) {
            case EVENT_ID:
                idFields = config.idFields();
                break;
            case ENTITY_VERSION:
                idFields = config.entityFields();
                versionField = config.versionField();
                break;
            default:
                idFields = List.of();
        }
        onDuplicate = config.onDuplicate();
        missingId = config.missingId();
        String prefix = config.getString(DeduplicateConfig.HEADERS_PREFIX);
        duplicateHeader = prefix + "duplicate";
        reasonHeader = prefix + "duplicate.reason";
        ofHeader = prefix + "duplicate.of";
        String replay = config.getString(DeduplicateConfig.REPLAY_HEADER);
        replayHeader = replay == null || replay.isBlank() ? null : replay;
        window = new DedupeWindow(config.getInt(DeduplicateConfig.WINDOW_MAX_ENTRIES),
                config.getLong(DeduplicateConfig.WINDOW_TTL_MS), strategy == Strategy.ENTITY_VERSION);
        if (rebuild != null) {
            rebuild.close();
        }
        rebuildServers = config.getString(DeduplicateConfig.REBUILD_BOOTSTRAP_SERVERS);
        rebuild = rebuildServers.isBlank() ? null : config.windowRebuild(consumers);
        rebuildFailEmpty = config.rebuildFailEmpty();
        if (pluginMetrics != null) {
            registerMetrics(pluginMetrics);
        }
        log.info("Deduplicate configured: strategy={}, fields={}, window {} entries / {} ms, on.duplicate={}, "
                + "replay.header={}", strategy, idFields, config.getInt(DeduplicateConfig.WINDOW_MAX_ENTRIES),
                config.getLong(DeduplicateConfig.WINDOW_TTL_MS), onDuplicate, replayHeader);
    }

    @Override
    public R apply(R record) {
        total.increment();
        if (record.value() == null) {
            return tombstone(record);
        }
        if (rebuild != null) {
            rebuildOnFirstSight(record);
        }
        Scratch scratch = scratch();
        if (scratch.judgedDeleteCount != 0) {
            scratch.takeJudgedDelete(stream(record));
        }
        String missingField = identify(record, scratch);
        if (missingField != null) {
            missing.increment();
            if (missingId == MissingId.PASS) {
                return record;
            }
            throw new DataException("Record has no value for id field " + missingField + " (topic " + record.topic()
                    + ", strategy " + strategy.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        position(record, scratch);
        replayOf(record, scratch);
        long[] other = onDuplicate == OnDuplicate.TAG ? scratch.firstSeen : null;
        Outcome outcome = judge(scratch, false, time.milliseconds(), other);
        switch (outcome) {
            case NEW:
                passed.increment();
                return record;
            case REPLAY:
                replays.increment();
                return record;
            case REPLAYED:
                replaysPassed.increment();
                return record;
            case DUPLICATE:
                duplicates.increment();
                judgedDelete(record, scratch, "duplicate");
                return onDuplicate == OnDuplicate.DROP ? null : tagged(record, "duplicate", other);
            case STALE:
                stale.increment();
                judgedDelete(record, scratch, "stale");
                return onDuplicate == OnDuplicate.DROP ? null : tagged(record, "stale", other);
            default:
                throw new IllegalStateException("unhandled outcome " + outcome);
        }
    }

    /**
     * Remembers a Debezium delete dropped (or tagged), so the tombstone behind it shares its verdict: a delete is a
     * duplicate or stale only when the same delete, or a newer change of its row, was passed before — the tombstone
     * Debezium wrote behind that delete passed then; this copy would delete a row re-inserted since.
     */
    private void judgedDelete(R record, Scratch scratch, String reason) {
        if (ChangeEvent.kindOf(record.value()) == ChangeEvent.Kind.ROW_BEFORE) {
            boolean tagged = onDuplicate == OnDuplicate.TAG;
            scratch.judgedDelete(new JudgedDelete(stream(record), record.key(), reason,
                    tagged ? scratch.firstSeen[0] : 0, tagged ? scratch.firstSeen[1] : 0));
        }
    }

    /**
     * A tombstone carries no id and passes untouched ({@code records-skipped}) — unless it is right behind a delete
     * this thread dropped (or tagged) in its stream, with the delete's key: then it goes with the delete.
     */
    private R tombstone(R record) {
        Scratch scratch = scratch();
        JudgedDelete delete = scratch.judgedDeleteCount == 0 ? null : scratch.takeJudgedDelete(stream(record));
        if (delete == null && rebuild != null && record instanceof SinkRecord && rebuildOnFirstSight(record)) {
            delete = deleteBefore((SinkRecord) record, scratch);
        }
        if (delete != null && Objects.deepEquals(delete.key(), record.key())) {
            staleTombstones.increment();
            return onDuplicate == OnDuplicate.DROP ? null
                    : tagged(record, delete.reason(), new long[] {delete.firstA(), delete.firstB()});
        }
        skipped.increment();
        return record;
    }

    /**
     * A task whose first record of a partition is a tombstone (it took over right behind a delete: a restart, a
     * rebalance), once its window is rebuilt up to it as for any first record: reads the record before it from the
     * log, and when that is a Debezium delete with its key that the window judges a duplicate or stale — the task
     * before this one dropped it — returns it, so the tombstone goes with it. A log that cannot be read: as a rebuild
     * that fails.
     */
    private JudgedDelete deleteBefore(SinkRecord tombstone, Scratch scratch) {
        ConnectRecord<?> before;
        try {
            synchronized (seenPartitions) { // the rebuild's consumer, as the rebuilds use it
                before = rebuild.recordBefore(tombstone.originalTopic(), tombstone.originalKafkaPartition(),
                        tombstone.originalKafkaOffset());
            }
        } catch (RuntimeException e) {
            rebuildFailures.increment();
            if (!rebuildFailEmpty) {
                throw new TaskStop("Deduplicate could not read the record before the tombstone at "
                        + tombstone.originalTopic() + "-" + tombstone.originalKafkaPartition() + "@"
                        + tombstone.originalKafkaOffset() + " from the Kafka log ("
                        + DeduplicateConfig.REBUILD_BOOTSTRAP_SERVERS + "=" + rebuildServers + "): " + e
                        + "; it stops rather than let a copy through. Set " + DeduplicateConfig.REBUILD_ON_FAILURE
                        + "=empty to go on.", e);
            }
            log.warn("Deduplicate could not read the record before a tombstone from the Kafka log ({}); the tombstone "
                    + "passes ({}=empty)", e.toString(), DeduplicateConfig.REBUILD_ON_FAILURE);
            return null;
        }
        if (before == null || ChangeEvent.kindOf(before.value()) != ChangeEvent.Kind.ROW_BEFORE
                || !Objects.deepEquals(before.key(), tombstone.key()) || identify(before, scratch) != null) {
            return null;
        }
        position(before, scratch);
        scratch.replay = false;
        // As the rebuild judged it (it read the delete back): at its own position it passed; elsewhere, a copy.
        long[] first = scratch.firstSeen;
        long now = time.milliseconds();
        Outcome outcome = judge(scratch, true, now, first);
        if (outcome == Outcome.DUPLICATE) {
            // Where it was first seen, for the tag (a rebuilt check does not say); a duplicate changes nothing.
            judge(scratch, false, now, first);
        } else if (outcome != Outcome.STALE) {
            return null;
        }
        return new JudgedDelete(stream(tombstone), before.key(), outcome == Outcome.DUPLICATE ? "duplicate" : "stale",
                first[0], first[1]);
    }

    /** The stream a record is read in order from: sink, its input topic-partition; source, its output topic. */
    private long stream(ConnectRecord<?> record) {
        if (record instanceof SinkRecord) {
            SinkRecord sink = (SinkRecord) record;
            Integer partition = sink.originalKafkaPartition();
            return ((long) topicIndex(sink.originalTopic()) << 32)
                    | ((partition == null ? -1 : partition) & 0xffffffffL);
        }
        return ((long) topicIndex(record.topic()) << 32) | 0xffffffffL;
    }

    /**
     * Checks the id and position in {@code scratch} against the window, remembering them when new.
     *
     * @param rebuilt whether the record was read back from the log by a rebuild (not judged live)
     */
    private Outcome judge(Scratch scratch, boolean rebuilt, long nowMs, long[] other) {
        long[] hash = scratch.id.hash128();
        if (strategy == Strategy.ENTITY_VERSION) {
            return scratch.replay
                    ? window.checkVersionReplay(hash[0], hash[1], scratch.version, scratch.posA, scratch.posB,
                            scratch.ofA, scratch.ofB, nowMs, other)
                    : window.checkVersion(hash[0], hash[1], scratch.version, scratch.posA, scratch.posB, nowMs, other);
        }
        if (scratch.replay) {
            return window.checkReplay(hash[0], hash[1], scratch.posA, scratch.posB, scratch.ofA, scratch.ofB, rebuilt,
                    nowMs, other);
        }
        return rebuilt ? window.checkRebuilt(hash[0], hash[1], scratch.posA, scratch.posB, nowMs)
                : window.check(hash[0], hash[1], scratch.posA, scratch.posB, nowMs, other);
    }

    /**
     * Reads the position a sink record replays from its {@code replay.header} into {@code scratch}. A
     * value that is not topic/partition/offset, or names a topic this task never saw (so no entry can
     * sit there), leaves the record judged as any record; neither is logged (a header is data).
     */
    private void replayOf(ConnectRecord<?> record, Scratch scratch) {
        scratch.replay = false;
        if (replayHeader == null || !(record instanceof SinkRecord)) {
            return;
        }
        Header header = record.headers().lastWithName(replayHeader);
        Object value = header == null ? null : header.value();
        String text = value instanceof String ? (String) value
                : value instanceof byte[] ? new String((byte[]) value, StandardCharsets.UTF_8) : null;
        if (text == null) {
            return;
        }
        ReplayHeaders.Position of;
        try {
            of = ReplayHeaders.Position.parse(text);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        Integer topic = knownTopicIndex(of.topic());
        if (topic != null) {
            scratch.ofA = ((long) topic << 32) | (of.partition() & 0xffffffffL);
            scratch.ofB = of.offset();
            scratch.replay = true;
        }
    }

    /**
     * Writes the record's id (and version) into {@code scratch}.
     *
     * @return null, or the path of the field the id lacks
     */
    private String identify(ConnectRecord<?> record, Scratch scratch) {
        IdEncoder id = scratch.id.reset();
        String missingField = strategy == Strategy.DEBEZIUM ? debeziumId(record, id) : fieldsId(record, id);
        scratch.version = 0;
        if (missingField == null && strategy == Strategy.ENTITY_VERSION) {
            Object v = versionField.get(record);
            if (v == null || v == FieldPath.ABSENT) {
                missingField = versionField.toString();
            } else {
                scratch.version = versionOf(v);
            }
        }
        return missingField;
    }

    /** Writes the record's position into {@code scratch}. */
    private void position(ConnectRecord<?> record, Scratch scratch) {
        if (record instanceof SinkRecord) {
            scratch.posA = stream(record);
            scratch.posB = ((SinkRecord) record).originalKafkaOffset();
        } else {
            scratch.posA = SOURCE_POSITION;
            scratch.posB = sourceFingerprint(record, scratch.fingerprint);
        }
    }

    /**
     * Before a partition's first record is judged (sink: an input partition; source: an output topic),
     * remembers what the Kafka log holds for it. Once per partition for the life of this instance.
     *
     * @return whether this was that first record (the partition, or the source's topic, seen now)
     */
    private boolean rebuildOnFirstSight(R record) {
        if (record instanceof SinkRecord) {
            SinkRecord sink = (SinkRecord) record;
            String topic = sink.originalTopic();
            Integer partition = sink.originalKafkaPartition();
            if (partition == null || seenPartitions.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet())
                    .contains(partition)) {
                return false;
            }
            synchronized (seenPartitions) {
                if (seenPartitions.get(topic).contains(partition)) {
                    return false;
                }
                long before = sink.originalKafkaOffset();
                // entity_version reads each partition only up to the first offset it is given, when it is first given:
                // a version read ahead of the task would supersede older ones it is then handed, and when a transform
                // before Deduplicate rejects that newer version, the entity would land in no version at all.
                Map<Integer, Long> readUpTo = strategy == Strategy.ENTITY_VERSION
                        ? rebuiltUpTo.computeIfAbsent(topic, t -> new HashMap<>()) : rebuiltUpTo.get(topic);
                if (readUpTo == null) {
                    Map<Integer, Long> upTo = new HashMap<>();
                    if (runRebuild(topic + "-" + partition + " (and the topic's other partitions)",
                            now -> rebuild.sinkTopic(topic, partition, before, now, this::rememberRebuilt, upTo))) {
                        rebuiltUpTo.put(topic, upTo);
                    }
                } else {
                    // A partition this task is given later (a rebalance): what was added to it since the topic's rebuild
                    // (entity_version: its records before the first offset it is given).
                    long from = readUpTo.getOrDefault(partition, 0L);
                    if (from < before && runRebuild(topic + "-" + partition, now -> rebuild.sinkPartition(topic, partition,
                            from, before, now, this::rememberRebuilt))) {
                        readUpTo.put(partition, before);
                    }
                }
                seenPartitions.get(topic).add(partition);
                return true;
            }
        } else {
            String topic = record.topic();
            if (rebuiltTopics.contains(topic)) {
                return false;
            }
            synchronized (seenPartitions) {
                if (rebuiltTopics.contains(topic)) {
                    return false;
                }
                runRebuild(topic, now -> rebuild.sourceTopic(topic, now, this::rememberRebuilt));
                rebuiltTopics.add(topic);
                return true;
            }
        }
    }

    /** @return whether the log was read (else: rebuild.on.failure=empty, logged and counted) */
    private boolean runRebuild(String what, java.util.function.LongFunction<WindowRebuild.Result> read) {
        try {
            WindowRebuild.Result result = read.apply(time.milliseconds());
            rebuilds.increment();
            rebuildRecords.add(result.recordsRead());
            rebuildMillis.add(result.millis());
            lastRebuildMillis = result.millis();
            log.info("Deduplicate rebuilt its window for {} from the Kafka log: {} records read, {} ids remembered, {} ms",
                    what, result.recordsRead(), result.remembered(), result.millis());
            return true;
        } catch (RuntimeException e) {
            rebuildFailures.increment();
            if (!rebuildFailEmpty) {
                // An error, not an exception: with errors.tolerance=all Connect would hand the record to its DLQ and go on.
                throw new TaskStop("Deduplicate could not rebuild its window for " + what + " from the Kafka log ("
                        + DeduplicateConfig.REBUILD_BOOTSTRAP_SERVERS + "=" + rebuildServers + "): " + e
                        + "; it stops rather than let copies through. Set " + DeduplicateConfig.REBUILD_ON_FAILURE
                        + "=empty to go on with what the window holds.", e);
            }
            log.warn("Deduplicate could not rebuild its window for {} from the Kafka log ({}={}): {}; going on with "
                    + "what the window holds ({}=empty): copies of records judged before this task may pass",
                    what, DeduplicateConfig.REBUILD_BOOTSTRAP_SERVERS, rebuildServers, e.toString(),
                    DeduplicateConfig.REBUILD_ON_FAILURE);
            return false;
        }
    }

    private Scratch scratch() {
        return scratchOwner.owns() ? ownerScratch : otherThreadsScratch.get();
    }

    /** Remembers a record read back from the log at its own position; true when the window took it as new. */
    private boolean rememberRebuilt(ConnectRecord<?> record, long timestampMs) {
        Scratch scratch = scratch();
        if (identify(record, scratch) != null) {
            return false;
        }
        if (record instanceof SinkRecord) {
            position(record, scratch);
            replayOf(record, scratch);
        } else {
            // Already in the output topic: a source record with this id at any source position is a copy.
            scratch.posA = SOURCE_POSITION;
            scratch.posB = REBUILT_SOURCE_POSITION;
            scratch.replay = false;
        }
        return judge(scratch, true, timestampMs, null) == Outcome.NEW;
    }

    private String fieldsId(ConnectRecord<?> record, IdEncoder id) {
        for (IdField field : idFields) {
            Object value = field.get(record);
            if (value == null || value == FieldPath.ABSENT) {
                return field.toString();
            }
            id.add(value);
        }
        return null;
    }

    /** The change's identity as {@link ChangeIdentity} defines it. */
    private String debeziumId(ConnectRecord<?> record, IdEncoder id) {
        return changeIdentity.append(id, record.key(), record.value());
    }

    private static long versionOf(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.util.Date) {
            return ((java.util.Date) v).getTime();
        }
        if (v instanceof BigDecimal) {
            try {
                return ((BigDecimal) v).longValueExact();
            } catch (ArithmeticException e) {
                throw new DataException("version is a decimal with a fraction or out of range; use an integer version");
            }
        }
        if (v instanceof String) {
            String s = ((String) v).trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException notAnInteger) {
                try {
                    Instant instant = Instant.parse(s);
                    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw new DataException("version is a string that is neither an integer nor an ISO-8601 instant");
                }
            }
        }
        throw new DataException("version must be an integer, a timestamp or a string holding one, not "
                + v.getClass().getSimpleName());
    }

    private long sourceFingerprint(ConnectRecord<?> record, IdEncoder fingerprint) {
        if (!(record instanceof SourceRecord)) {
            return fingerprint.reset().add(record.topic()).add(record.kafkaPartition()).hash128()[0];
        }
        SourceRecord source = (SourceRecord) record;
        return fingerprint.reset().add(source.sourcePartition()).add(source.sourceOffset()).hash128()[0];
    }

    /** The index of a topic this instance has seen, or null: a header naming an unknown topic adds nothing. */
    private synchronized Integer knownTopicIndex(String topic) {
        return topicIndex.get(topic);
    }

    /** The topic of the last record and its index: a task's records come from one or a few topics. */
    private record LastTopic(String topic, int index) {
    }

    private volatile LastTopic lastTopic;

    private int topicIndex(String topic) {
        LastTopic last = lastTopic;
        if (last != null && last.topic == topic) {
            return last.index;
        }
        int index = indexTopic(topic);
        lastTopic = new LastTopic(topic, index);
        return index;
    }

    private synchronized int indexTopic(String topic) {
        Integer index = topicIndex.get(topic);
        if (index == null) {
            index = topics.size();
            topics.add(topic);
            topicIndex.put(topic, index);
        }
        return index;
    }

    /** Renders a stored position: topic/partition/offset, or source:<fingerprint> for source records. */
    synchronized String render(long posA, long posB) {
        if (posA == SOURCE_POSITION) {
            return String.format("source:%016x", posB);
        }
        int topic = (int) (posA >>> 32);
        int partition = (int) posA;
        return topics.get(topic) + "/" + partition + "/" + posB;
    }

    private R tagged(R record, String reason, long[] firstSeen) {
        Headers headers = record.headers().duplicate();
        headers.remove(duplicateHeader).remove(reasonHeader).remove(ofHeader);
        headers.addString(duplicateHeader, "true");
        headers.addString(reasonHeader, reason);
        headers.addString(ofHeader, render(firstSeen[0], firstSeen[1]));
        return Records.withHeaders(record, record.topic(), record.kafkaPartition(), headers);
    }

    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        this.pluginMetrics = metrics;
        if (window != null) {
            registerMetrics(metrics);
        }
    }

    private void registerMetrics(PluginMetrics metrics) {
        PluginCounters.counter(metrics, "records-total", "Records the transform has seen; a redelivered record counts each time.", total);
        PluginCounters.counter(metrics, "records-passed", "Records passed as new (first seen, or a newer version).", passed);
        PluginCounters.counter(metrics, "duplicates-total", "Records with an id already seen at another position; a duplicate "
                + "redelivered by a rewind counts again.", duplicates);
        PluginCounters.counter(metrics, "stale-total", "entity_version: records whose version was not newer than the newest seen.",
                stale);
        PluginCounters.counter(metrics, "replays-total",
                "Records seen again at the position where they were first seen: redeliveries, passed.", replays);
        PluginCounters.counter(metrics, "replays-passed-total", "Records replayed by truthline replay (header "
                + "replay.header) that passed as the replay of a record this task never judged: debezium and event_id, "
                + "the original only read back from the log by a rebuild; entity_version, the entity's newest version "
                + "itself. The window then remembers the replay's position, so a second replay is a duplicate.",
                replaysPassed);
        PluginCounters.counter(metrics, "missing-id-total", "Records without an id (or version).", missing);
        PluginCounters.counter(metrics, "records-skipped", "Tombstones, passed untouched.", skipped);
        PluginCounters.counter(metrics, "stale-tombstones-total", "Tombstones right behind a Debezium delete dropped (or "
                + "tagged) as a duplicate or stale, dropped (or tagged) with it: a copy that would delete a row "
                + "re-inserted since.", staleTombstones);
        PluginCounters.counter(metrics, "rebuilds-total", "Window rebuilds from the Kafka log (one per partition a task "
                + "first sees; sink: input partition, source: output topic).", rebuilds);
        PluginCounters.counter(metrics, "rebuild-records-read-total", "Records read from the Kafka log by rebuilds.",
                rebuildRecords);
        PluginCounters.counter(metrics, "rebuild-time-ms-total", "Milliseconds spent rebuilding the window.", rebuildMillis);
        PluginCounters.counter(metrics, "rebuild-failures-total", "Rebuilds that could not read the log (the task failed, "
                + "or with rebuild.on.failure=empty went on without them).", rebuildFailures);
        PluginCounters.gauge(metrics, "last-rebuild-time-ms", "Duration of the last window rebuild, in milliseconds (0 before the "
                + "first).", Map.of(), () -> lastRebuildMillis);
        DedupeWindow w = window;
        PluginCounters.gauge(metrics, "window-entries", "Ids the window remembers now.", Map.of(), w::size);
        PluginCounters.gauge(metrics, "window-max-entries", "The most ids the window remembers (window.max.entries): "
                + "window-entries over this is how full it is.", Map.of(), w::capacity);
        PluginCounters.gauge(metrics, "window-evictions-total",
                "Ids forgotten to keep within window.max.entries and window.ttl.ms.", Map.of(), w::evictions);
    }

    /** The window, for tests. */
    DedupeWindow window() {
        return window;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return TruthlineVersion.get();
    }

    @Override
    public void close() {
        if (rebuild != null) {
            rebuild.close();
        }
        if (window != null) {
            window.clear();
        }
    }
}
