package dev.truthline.connect.dedupe;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
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
import dev.truthline.connect.core.ChangeIdentity;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.IdEncoder;
import dev.truthline.connect.core.PluginCounters;
import dev.truthline.connect.core.Records;
import dev.truthline.connect.core.TruthlineVersion;

/**
 * Drops (or tags) records whose id the task has already seen at another position, and passes a
 * record seen again at the same position: that is a redelivery (rewind, retry, rebalance,
 * restart), and dropping it would turn at-least-once delivery into loss.
 *
 * <p>Works on sink records (position: original topic, partition and offset) and source records
 * (position: source partition and source offset).
 */
public class Deduplicate<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    public static final String OVERVIEW_DOC = "Drops or tags duplicate records within a bounded, position-aware "
            + "window: an id seen again at the position where it was first seen is a redelivery and passes; "
            + "only the same id at another position is a duplicate. Strategies: event_id, debezium, entity_version.";

    public static final ConfigDef CONFIG_DEF = DeduplicateConfig.CONFIG_DEF;

    /** posA of a source-record position; posB then holds a fingerprint of source partition and offset. */
    static final long SOURCE_POSITION = Long.MIN_VALUE;

    private static final Logger log = LoggerFactory.getLogger(Deduplicate.class);


    private final Time time;
    private Strategy strategy;
    private List<IdField> idFields;
    private IdField versionField;
    private OnDuplicate onDuplicate;
    private MissingId missingId;
    private String duplicateHeader;
    private String reasonHeader;
    private String ofHeader;
    private DedupeWindow window;
    private final Map<String, Integer> topicIndex = new HashMap<>();
    private final List<String> topics = new ArrayList<>();

    final LongAdder total = new LongAdder();
    final LongAdder passed = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder stale = new LongAdder();
    final LongAdder replays = new LongAdder();
    final LongAdder missing = new LongAdder();
    final LongAdder skipped = new LongAdder();
    private PluginMetrics pluginMetrics;

    public Deduplicate() {
        this(Time.SYSTEM);
    }

    /** For tests: a clock to drive the TTL. */
    Deduplicate(Time time) {
        this.time = time;
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
        window = new DedupeWindow(config.getInt(DeduplicateConfig.WINDOW_MAX_ENTRIES),
                config.getLong(DeduplicateConfig.WINDOW_TTL_MS), strategy == Strategy.ENTITY_VERSION);
        if (pluginMetrics != null) {
            registerMetrics(pluginMetrics);
        }
        log.info("Deduplicate configured: strategy={}, fields={}, window {} entries / {} ms, on.duplicate={}",
                strategy, idFields, config.getInt(DeduplicateConfig.WINDOW_MAX_ENTRIES),
                config.getLong(DeduplicateConfig.WINDOW_TTL_MS), onDuplicate);
    }

    @Override
    public R apply(R record) {
        total.increment();
        if (record.value() == null) {
            skipped.increment();
            return record;
        }
        IdEncoder id = new IdEncoder();
        String missingField = strategy == Strategy.DEBEZIUM ? debeziumId(record, id) : fieldsId(record, id);
        long version = 0;
        if (missingField == null && strategy == Strategy.ENTITY_VERSION) {
            Object v = versionField.get(record);
            if (v == null || v == FieldPath.ABSENT) {
                missingField = versionField.toString();
            } else {
                version = versionOf(v);
            }
        }
        if (missingField != null) {
            missing.increment();
            if (missingId == MissingId.PASS) {
                return record;
            }
            throw new DataException("Record has no value for id field " + missingField + " (topic " + record.topic()
                    + ", strategy " + strategy.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        long[] hash = id.hash128();
        long posA;
        long posB;
        if (record instanceof SinkRecord) {
            SinkRecord sink = (SinkRecord) record;
            Integer partition = sink.originalKafkaPartition();
            posA = ((long) topicIndex(sink.originalTopic()) << 32) | ((partition == null ? -1 : partition) & 0xffffffffL);
            posB = sink.originalKafkaOffset();
        } else {
            posA = SOURCE_POSITION;
            posB = sourceFingerprint(record);
        }
        long[] other = onDuplicate == OnDuplicate.TAG ? new long[2] : null;
        long now = time.milliseconds();
        Outcome outcome = strategy == Strategy.ENTITY_VERSION
                ? window.checkVersion(hash[0], hash[1], version, posA, posB, now, other)
                : window.check(hash[0], hash[1], posA, posB, now, other);
        switch (outcome) {
            case NEW:
                passed.increment();
                return record;
            case REPLAY:
                replays.increment();
                return record;
            case DUPLICATE:
                duplicates.increment();
                return onDuplicate == OnDuplicate.DROP ? null : tagged(record, "duplicate", other);
            case STALE:
                stale.increment();
                return onDuplicate == OnDuplicate.DROP ? null : tagged(record, "stale", other);
            default:
                throw new IllegalStateException("unhandled outcome " + outcome);
        }
    }

    private String fieldsId(R record, IdEncoder id) {
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
    private String debeziumId(R record, IdEncoder id) {
        return ChangeIdentity.appendTo(id, record.key(), record.value());
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

    private long sourceFingerprint(R record) {
        if (!(record instanceof SourceRecord)) {
            return new IdEncoder().add(record.topic()).add(record.kafkaPartition()).hash128()[0];
        }
        SourceRecord source = (SourceRecord) record;
        return new IdEncoder().add(source.sourcePartition()).add(source.sourceOffset()).hash128()[0];
    }

    private synchronized int topicIndex(String topic) {
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
        PluginCounters.counter(metrics, "missing-id-total", "Records without an id (or version).", missing);
        PluginCounters.counter(metrics, "records-skipped", "Tombstones, passed untouched.", skipped);
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
        if (window != null) {
            window.clear();
        }
    }
}
