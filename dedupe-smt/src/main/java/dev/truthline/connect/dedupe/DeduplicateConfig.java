package dev.truthline.connect.dedupe;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.config.ClientKeys;
import dev.truthline.connect.core.ReplayHeaders;

/** The configuration of {@link Deduplicate}: its keys, their documentation and their checks. */
public final class DeduplicateConfig extends AbstractConfig {

    public static final String STRATEGY = "strategy";
    public static final String ID_FIELDS = "id.fields";
    public static final String ENTITY_FIELDS = "entity.fields";
    public static final String VERSION_FIELD = "version.field";
    public static final String WINDOW_MAX_ENTRIES = "window.max.entries";
    public static final String WINDOW_TTL_MS = "window.ttl.ms";
    public static final String ON_DUPLICATE = "on.duplicate";
    public static final String MISSING_ID = "missing.id";
    public static final String HEADERS_PREFIX = "headers.prefix";
    public static final String REPLAY_HEADER = "replay.header";
    public static final String REBUILD_PREFIX = "rebuild.";
    public static final String REBUILD_BOOTSTRAP_SERVERS = "rebuild.bootstrap.servers";
    public static final String REBUILD_ON_FAILURE = "rebuild.on.failure";
    public static final String REBUILD_TIMEOUT_MS = "rebuild.timeout.ms";
    public static final String REBUILD_KEY_CONVERTER = "rebuild.key.converter";
    public static final String REBUILD_VALUE_CONVERTER = "rebuild.value.converter";
    public static final String REBUILD_HEADER_CONVERTER = "rebuild.header.converter";
    /** The rebuild consumer's keys: every other rebuild.<name> goes to it as <name>; its secrets are passwords. */
    static final ClientKeys REBUILD_CLIENT = new ClientKeys(REBUILD_PREFIX, Set.of("on.failure", "timeout.ms"));

    /** Largest window: about 62 bytes an entry, so 3.1 GB of heap at this bound. */
    static final int MAX_WINDOW_ENTRIES = 50_000_000;

    enum Strategy { EVENT_ID, DEBEZIUM, ENTITY_VERSION }

    enum OnDuplicate { DROP, TAG }

    enum MissingId { FAIL, PASS }

    private static final ConfigDef.Validator ID_FIELD_LIST = ConfigDef.LambdaValidator.with((key, value) -> {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) value;
        IdField.parseAll(key, texts);
    }, () -> "key, key.<path>, value.<path> or header.<name>, comma-separated");

    public static final ConfigDef CONFIG_DEF = rebuildKeys(new ConfigDef()
            .define(STRATEGY, Type.STRING, "event_id", CaseInsensitiveValidString.in("event_id", "debezium", "entity_version"),
                    Importance.HIGH,
                    "How a record's identity is formed. event_id: from id.fields; a second record with an id "
                            + "already seen at another position is a duplicate. debezium: from the change event "
                            + "itself (its table, its position in the source database's log, op, and the record key; "
                            + "the position by source.connector: postgresql source.sequence or else source.lsn; mysql and "
                            + "mariadb file, pos, row, gtid and the transaction block (provide.transaction.metadata=true), else the row "
                            + "images; sqlserver commit_lsn, change_lsn, event_serial_no; oracle scn, "
                            + "commit_scn, rs_id, ssn and more; mongodb ts_ms, ord, lsid, txnNumber), which catches events "
                            + "Debezium re-emits after a restart (use it after Kafka, on the sink side). "
                            + "entity_version: per entity (entity.fields), a record whose version.field is not "
                            + "newer than the newest seen is stale.")
            .define(ID_FIELDS, Type.LIST, List.of(), ID_FIELD_LIST, Importance.HIGH,
                    "event_id: the parts of the id, comma-separated: key (the whole key), key.<path>, "
                            + "value.<path> or header.<name>; several form a composite id.")
            .define(ENTITY_FIELDS, Type.LIST, List.of("key"), ID_FIELD_LIST, Importance.MEDIUM,
                    "entity_version: the parts of the entity's identity, as in id.fields.")
            .define(VERSION_FIELD, Type.STRING, null, ConfigDef.LambdaValidator.with((key, value) -> {
                if (value != null && !((String) value).isBlank()) {
                    try {
                        IdField.parse((String) value);
                    } catch (IllegalArgumentException e) {
                        throw new KeyedConfigException(key, value, e.getMessage());
                    }
                }
            }, () -> "key, key.<path>, value.<path> or header.<name>"), Importance.MEDIUM,
                    "entity_version: where the version is, as one id.fields entry (e.g. value.after.updated_at "
                            + "or value.source.lsn). A number, a Connect timestamp/date, or a string holding an "
                            + "integer or an ISO-8601 instant.")
            .define(WINDOW_MAX_ENTRIES, Type.INT, 1_000_000, Range.between(1, MAX_WINDOW_ENTRIES), Importance.MEDIUM,
                    "Most ids the window remembers; the oldest is forgotten first. About 56 bytes of heap each "
                            + "(62 for entity_version) once the window has filled; it starts small and doubles as it fills.")
            .define(WINDOW_TTL_MS, Type.LONG, 3_600_000L, Range.atLeast(1), Importance.MEDIUM,
                    "How long an id is remembered after it was first seen (entity_version: after its newest "
                            + "version was seen), in milliseconds.")
            .define(ON_DUPLICATE, Type.STRING, "drop", CaseInsensitiveValidString.in("drop", "tag"), Importance.HIGH,
                    "drop: discard duplicates and stale records (counted). tag: keep them, with headers "
                            + "dq.duplicate=true, dq.duplicate.reason (duplicate or stale) and dq.duplicate.of "
                            + "(where the id, or the newest version, was first seen).")
            .define(MISSING_ID, Type.STRING, "fail", CaseInsensitiveValidString.in("fail", "pass"), Importance.MEDIUM,
                    "fail: a record without an id (or version) fails with a DataException naming the missing "
                            + "field, for Connect's error handling; pass: let it through unchecked (counted).")
            .define(HEADERS_PREFIX, Type.STRING, "dq.", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Prefix of the headers written in tag mode.")
            .define(REPLAY_HEADER, Type.STRING, ReplayHeaders.OF, Importance.LOW,
                    "Sink records: the header in which truthline replay names the position (topic/partition/offset) "
                            + "of the record a replay writes again. A replay passes once when this task never judged "
                            + "its original: debezium and event_id, the window holds the id at exactly that position "
                            + "and only because a rebuild read it back from the log (the original was rejected before "
                            + "this transform); entity_version, the entity's newest version sits at that position and "
                            + "the replay carries it. The window then remembers the replay's position, so a second "
                            + "replay is a duplicate (or stale). Otherwise, and when the value is not topic/partition/"
                            + "offset, the record is judged as any other. Empty: replays are judged as any other record."));

    private static ConfigDef rebuildKeys(ConfigDef def) {
        String group = "Rebuild from the Kafka log";
        def.define(REBUILD_BOOTSTRAP_SERVERS, Type.STRING, "", Importance.HIGH,
                "Brokers to rebuild the window from (host:port, comma-separated; a ${env:...} reference works). When "
                        + "set, a task that first sees a partition (start, restart, rebalance) first reads what the "
                        + "log holds for it: a sink task, on the first partition of an input topic, that partition's "
                        + "records before the first offset it is given and the topic's other partitions up to their "
                        + "end (a partition given later: what was added since; entity_version: each partition when first "
                        + "given, only its records before that offset); a source task the tail of the output topic. At most window.max.entries records a partition, none older than window.ttl.ms. Every other rebuild.<name> key is passed to that "
                        + "consumer as <name> (security.protocol, sasl.mechanism, isolation.level, ...). Empty: no "
                        + "rebuild, the window starts empty.", group, 1, ConfigDef.Width.LONG, "Rebuild brokers");
        def.define(REBUILD_ON_FAILURE, Type.STRING, "fail", CaseInsensitiveValidString.in("fail", "empty"),
                Importance.MEDIUM, "When the log cannot be read within rebuild.timeout.ms: fail (the task fails with an "
                        + "error naming the partition and the brokers; nothing passes unchecked) or empty (go on with "
                        + "what the window holds, log a WARN and count rebuild-failures-total).", group, 2,
                ConfigDef.Width.SHORT, "On rebuild failure");
        def.define(REBUILD_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), Importance.LOW,
                "Longest one rebuild may take, in milliseconds. Keep it below the sink's max.poll.interval.ms.", group, 3,
                ConfigDef.Width.SHORT, "Rebuild timeout");
        def.define(REBUILD_KEY_CONVERTER, Type.STRING, ClientKeys.JSON_CONVERTER, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "Converter that turns the log's key bytes into Connect data, as the pipeline's key.converter does "
                        + "(its settings as rebuild.key.converter.<name>, e.g. schemas.enable; JsonConverter's default "
                        + "is schemas.enable=true, as the worker's).", group, 4, ConfigDef.Width.LONG, "Rebuild key converter");
        def.define(REBUILD_VALUE_CONVERTER, Type.STRING, ClientKeys.JSON_CONVERTER, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "Converter for the log's value bytes, as the pipeline's value.converter (settings as "
                        + "rebuild.value.converter.<name>).", group, 5, ConfigDef.Width.LONG, "Rebuild value converter");
        def.define(REBUILD_HEADER_CONVERTER, Type.STRING, ClientKeys.SIMPLE_HEADER_CONVERTER, new ConfigDef.NonEmptyString(),
                Importance.LOW, "Header converter for header.<name> ids read back from the log, as the pipeline's "
                        + "header.converter.", group, 6, ConfigDef.Width.LONG, "Rebuild header converter");
        return REBUILD_CLIENT.defineSecrets(def, "rebuild consumer", group, 7);
    }

    DeduplicateConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    boolean rebuildFailEmpty() {
        return getString(REBUILD_ON_FAILURE).equalsIgnoreCase("empty");
    }

    /** The rebuild reader this configuration describes (rebuild.bootstrap.servers must be set). */
    WindowRebuild windowRebuild() {
        return windowRebuild(WindowRebuild::kafkaConsumer);
    }

    /** As {@link #windowRebuild()}, with the consumer made by {@code consumers} from the consumer properties. */
    WindowRebuild windowRebuild(
            java.util.function.Function<Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers) {
        return new WindowRebuild(REBUILD_CLIENT.clientProperties(this),
                ClientKeys.converter(this, REBUILD_KEY_CONVERTER, true),
                ClientKeys.converter(this, REBUILD_VALUE_CONVERTER, false),
                ClientKeys.headerConverter(this, REBUILD_HEADER_CONVERTER), getInt(WINDOW_MAX_ENTRIES),
                getLong(WINDOW_TTL_MS), getLong(REBUILD_TIMEOUT_MS), consumers);
    }

    Strategy strategy() {
        return Strategy.valueOf(getString(STRATEGY).toUpperCase(Locale.ROOT));
    }

    OnDuplicate onDuplicate() {
        return OnDuplicate.valueOf(getString(ON_DUPLICATE).toUpperCase(Locale.ROOT));
    }

    MissingId missingId() {
        return MissingId.valueOf(getString(MISSING_ID).toUpperCase(Locale.ROOT));
    }

    List<IdField> idFields() {
        List<IdField> fields = IdField.parseAll(ID_FIELDS, getList(ID_FIELDS));
        if (strategy() == Strategy.EVENT_ID && fields.isEmpty()) {
            throw new KeyedConfigException(ID_FIELDS, fields, "strategy event_id needs at least one id field");
        }
        return fields;
    }

    List<IdField> entityFields() {
        List<IdField> fields = IdField.parseAll(ENTITY_FIELDS, getList(ENTITY_FIELDS));
        if (fields.isEmpty()) {
            throw new KeyedConfigException(ENTITY_FIELDS, fields, "strategy entity_version needs at least one entity field");
        }
        return fields;
    }

    IdField versionField() {
        String text = getString(VERSION_FIELD);
        if (text == null || text.isBlank()) {
            throw new KeyedConfigException(VERSION_FIELD, text, "strategy entity_version needs a version field");
        }
        try {
            return IdField.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KeyedConfigException(VERSION_FIELD, text, e.getMessage());
        }
    }
}
