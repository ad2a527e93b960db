package dev.truthline.cli.lint;

import static dev.truthline.cli.connector.ConnectorConfig.Kind.SINK;
import static dev.truthline.cli.connector.ConnectorConfig.Kind.SOURCE;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

import dev.truthline.cli.connector.ConnectorConfig;
import dev.truthline.cli.connector.ConnectorConfig.Transform;
import dev.truthline.cli.connector.ConnectorFiles;
import dev.truthline.cli.connector.InvalidConnectorFileException;
import dev.truthline.connect.core.config.ConfigProblem;
import dev.truthline.connect.core.config.TransformConfigProbe;
import dev.truthline.connect.dedupe.DeduplicateConfig;
import dev.truthline.connect.validation.ValidateContractConfig;

/**
 * The rules {@code truthline lint} enforces, in id order. Ids are stable: users silence or grep
 * for them, so a retired rule's id is never reused.
 *
 * <p>A value that a worker's ConfigProvider resolves ({@code ${provider:path:key}}) is unknown
 * here: no rule judges it, and a key holding one counts as set.
 */
final class LintRules {

    static final String TOLERANCE = "errors.tolerance";
    static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
    static final String DLQ_HEADERS = "errors.deadletterqueue.context.headers.enable";
    static final String DLQ_REPLICATION = "errors.deadletterqueue.topic.replication.factor";
    static final String LOG_ENABLE = "errors.log.enable";
    static final String PRODUCER_ACKS = "producer.override.acks";
    static final String PRODUCER_COMPRESSION = "producer.override.compression.type";
    static final String TOPIC_COMPRESSION = "topic.creation.default.compression.type";
    static final String TASKS_MAX = "tasks.max";

    static final Set<String> ICEBERG_SINKS = Set.of(
            "org.apache.iceberg.connect.IcebergSinkConnector",
            "io.tabular.iceberg.connect.IcebergSinkConnector");

    static final List<LintRule> ALL = List.of(
            new SinkSilentLoss(), new DlqWithoutContext(), new DlqReplication(), new SourceSilentSkip(),
            new ProducerAcks(), new TopicReplication(), new TopicMinInsync(), new NoCompression(),
            new PlaintextSecret(), new IcebergWithoutContract(), new SmtConfigRejected(),
            new DedupeBeforeValidate(), new ValidateFailStopsTask(), new DedupeAcrossTasks(), new InlineKeyset(),
            new DeadLetterNotAwaited());

    /** TL015: a file of a folder that is not a readable connector config; checked per file, not per connector. */
    static final UnreadableFile UNREADABLE_FILE = new UnreadableFile();

    private LintRules() {
    }

    static boolean toleratesAll(ConnectorConfig c) {
        return "all".equalsIgnoreCase(c.known(TOLERANCE));
    }

    static boolean hasDlq(ConnectorConfig c) {
        String topic = c.config().get(DLQ_TOPIC);
        return topic != null && !topic.isBlank();
    }

    /** An integer setting, or null when absent, provided at run time or not a number (Connect reports that itself). */
    static Integer intValue(ConnectorConfig c, String key) {
        String value = c.known(key);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** TL001: a sink that tolerates every error and has nowhere to put the failed records. */
    static final class SinkSilentLoss extends LintRule {
        SinkSilentLoss() {
            super("TL001", "sink with errors.tolerance=all and no dead-letter queue (silent loss)",
                    "set " + DLQ_TOPIC + " (with " + DLQ_HEADERS + "=true), or errors.tolerance=none to stop on the "
                            + "first failure");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() == SINK && toleratesAll(c) && !hasDlq(c)) {
                out.add(finding(c, Severity.ERROR, TOLERANCE, "errors.tolerance=all with no " + DLQ_TOPIC
                        + ": a record that fails conversion, a transform or the sink is skipped without a trace"));
            }
        }
    }

    /** TL002: a dead-letter queue whose records cannot be traced back. */
    static final class DlqWithoutContext extends LintRule {
        DlqWithoutContext() {
            super("TL002", "dead-letter queue without context headers",
                    "set " + DLQ_HEADERS + "=true");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() == SINK && hasDlq(c) && (!c.has(DLQ_HEADERS) || "false".equalsIgnoreCase(c.known(DLQ_HEADERS)))) {
                out.add(finding(c, Severity.WARNING, DLQ_HEADERS, "dead-letter queue without context headers: its "
                        + "records carry no source topic, partition, offset or exception, so they cannot be triaged "
                        + "or replayed"));
            }
        }
    }

    /** TL003: a dead-letter queue the connector creates with too few replicas. */
    static final class DlqReplication extends LintRule {
        DlqReplication() {
            super("TL003", "dead-letter queue replication factor below the profile's minimum",
                    "raise " + DLQ_REPLICATION + " (Connect's default is 3)");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            Integer rf = intValue(c, DLQ_REPLICATION);
            if (c.kind() == SINK && hasDlq(c) && rf != null && rf != -1 && rf < p.minReplicationFactor) {
                out.add(finding(c, p.strictly(), DLQ_REPLICATION, DLQ_REPLICATION + "=" + rf + " is below "
                        + p.minReplicationFactor + ": losing one broker can lose the dead-lettered records"));
            }
        }
    }

    /** TL004: a source that skips failed records without even logging them (sources have no DLQ). */
    static final class SourceSilentSkip extends LintRule {
        SourceSilentSkip() {
            super("TL004", "source with errors.tolerance=all and errors.log.enable=false (silent loss)",
                    "set errors.tolerance=none, or " + LOG_ENABLE + "=true; keep invalid records with ValidateContract "
                            + "on.failure=quarantine rather than skipping them");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() == SOURCE && toleratesAll(c) && (!c.has(LOG_ENABLE) || "false".equalsIgnoreCase(c.known(LOG_ENABLE)))) {
                String dlq = hasDlq(c) ? " (" + DLQ_TOPIC + " does nothing on a source)" : "";
                out.add(finding(c, Severity.ERROR, TOLERANCE, "errors.tolerance=all with " + LOG_ENABLE
                        + "=false on a source: sources have no dead-letter queue" + dlq
                        + ", so a record that fails conversion or a transform is dropped without a trace"));
            }
        }
    }

    /** TL005: a source whose records are acknowledged before they are replicated. */
    static final class ProducerAcks extends LintRule {
        ProducerAcks() {
            super("TL005", "source producer acks other than all",
                    "set " + PRODUCER_ACKS + "=all (or remove it: Connect's source producers default to all)");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() != SOURCE) {
                return;
            }
            String acks = c.known(PRODUCER_ACKS);
            if (acks != null && !isAll(acks)) {
                out.add(finding(c, p.strictly(), PRODUCER_ACKS, PRODUCER_ACKS + "=" + acks + ": a record is "
                        + "acknowledged, and its source offset committed, before it is replicated; a leader failover loses it"));
            }
            String plain = c.known("acks");
            if (plain != null && !isAll(plain)) {
                out.add(finding(c, Severity.WARNING, "acks", "acks=" + plain + " is not a connector key and has no "
                        + "effect; the producer still uses all unless " + PRODUCER_ACKS + " says otherwise",
                        "remove acks (" + PRODUCER_ACKS + " is the key for this connector's producer)"));
            }
        }

        private static boolean isAll(String acks) {
            return "all".equalsIgnoreCase(acks) || "-1".equals(acks);
        }
    }

    /** The topic creation groups of a source: default plus those named in topic.creation.groups. */
    static List<String> topicCreationGroups(ConnectorConfig c) {
        Set<String> groups = new LinkedHashSet<>();
        groups.add("default");
        String named = c.known("topic.creation.groups");
        if (named != null) {
            for (String g : named.split(",")) {
                if (!g.isBlank()) {
                    groups.add(g.trim());
                }
            }
        }
        return new ArrayList<>(groups);
    }

    /** TL006: topics the source creates with too few replicas. */
    static final class TopicReplication extends LintRule {
        TopicReplication() {
            super("TL006", "source topic creation with replication factor below the profile's minimum",
                    "set topic.creation.<group>.replication.factor to at least 3 (production)");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() != SOURCE) {
                return;
            }
            for (String group : topicCreationGroups(c)) {
                String key = "topic.creation." + group + ".replication.factor";
                Integer rf = intValue(c, key);
                if (rf == null) {
                    continue;
                }
                if (rf == -1) {
                    if (p.strict) {
                        out.add(finding(c, Severity.WARNING, key, key + "=-1 leaves the replication factor to the "
                                + "broker's default.replication.factor, which is 1 unless the cluster sets it"));
                    }
                } else if (rf < p.minReplicationFactor) {
                    out.add(finding(c, p.strictly(), key, key + "=" + rf + " is below " + p.minReplicationFactor
                            + ": losing " + (rf == 1 ? "the one broker that holds a partition" : "a broker or two")
                            + " loses its records"));
                }
            }
        }
    }

    /** TL007: topics the source creates that accept writes held by too few replicas. */
    static final class TopicMinInsync extends LintRule {
        TopicMinInsync() {
            super("TL007", "source topic creation with min.insync.replicas below the profile's minimum (or not below "
                    + "the replication factor)",
                    "set topic.creation.<group>.min.insync.replicas to 2 with replication factor 3");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() != SOURCE) {
                return;
            }
            for (String group : topicCreationGroups(c)) {
                String rfKey = "topic.creation." + group + ".replication.factor";
                String key = "topic.creation." + group + ".min.insync.replicas";
                if (!c.has(rfKey)) {
                    continue; // no topic creation for this group (other groups may inherit the default's settings)
                }
                if (!c.has(key)) {
                    if (p.strict && group.equals("default")) {
                        out.add(finding(c, Severity.WARNING, key, key + " is not set: created topics get the broker's "
                                + "min.insync.replicas, 1 unless the cluster sets it, so acks=all waits for one replica"));
                    }
                    continue;
                }
                Integer isr = intValue(c, key);
                Integer rf = intValue(c, rfKey);
                if (isr == null) {
                    continue;
                }
                if (isr < p.minInsyncReplicas) {
                    out.add(finding(c, p.strictly(), key, key + "=" + isr + " is below " + p.minInsyncReplicas
                            + ": acks=all is satisfied by a single replica, which can fail before the others catch up"));
                } else if (rf != null && rf > 1 && isr >= rf) {
                    out.add(finding(c, Severity.WARNING, key, key + "=" + isr + " with replication factor " + rf
                            + ": one broker down stops every write (NotEnoughReplicas)",
                            "keep min.insync.replicas below the replication factor (2 of 3)"));
                }
            }
        }
    }

    /** TL008: a source that writes uncompressed. */
    static final class NoCompression extends LintRule {
        private static final Set<String> CODECS = Set.of("gzip", "snappy", "lz4", "zstd");

        NoCompression() {
            super("TL008", "source without compression (production)",
                    "set " + PRODUCER_COMPRESSION + "=zstd (or lz4), or " + TOPIC_COMPRESSION + "=zstd");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() != SOURCE || !p.strict) {
                return;
            }
            // Unknown (provided at run time) counts as compressed: no false positives.
            String producer = c.has(PRODUCER_COMPRESSION) ? lower(c.known(PRODUCER_COMPRESSION)) : "none";
            String topic = c.has(TOPIC_COMPRESSION) ? lower(c.known(TOPIC_COMPRESSION)) : "producer";
            boolean compressed = topic == null || CODECS.contains(topic)
                    || ("producer".equals(topic) && (producer == null || CODECS.contains(producer)));
            if (!compressed) {
                String key = c.has(TOPIC_COMPRESSION) && !"producer".equals(topic) ? TOPIC_COMPRESSION : PRODUCER_COMPRESSION;
                out.add(finding(c, Severity.WARNING, key, "records are written uncompressed (" + PRODUCER_COMPRESSION
                        + "=" + producer + ", " + TOPIC_COMPRESSION + "=" + topic + "): several times the network, "
                        + "disk and replication traffic for change events"));
            }
        }

        private static String lower(String s) {
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        }
    }

    /** TL010: an Iceberg sink with nothing in front of it that keeps bad records out. */
    static final class IcebergWithoutContract extends LintRule {
        IcebergWithoutContract() {
            super("TL010", "Iceberg sink without an enforcing ValidateContract before it",
                    "add " + TruthlineTransforms.VALIDATE_VALUE + " to transforms (on.failure=fail with "
                            + "errors.tolerance=all and a dead-letter queue, or on.failure=quarantine)");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (!ICEBERG_SINKS.contains(c.connectorClass())) {
                return;
            }
            List<String> onlyTagging = new ArrayList<>();
            for (Transform t : c.transforms()) {
                if (!TruthlineTransforms.isValidateContract(t)) {
                    continue;
                }
                String mode = TruthlineTransforms.setting(t, ValidateContractConfig.MODE);
                String onFailure = TruthlineTransforms.setting(t, ValidateContractConfig.ON_FAILURE);
                if ("shadow".equals(mode) || "tag".equals(onFailure)) {
                    onlyTagging.add(t.alias());
                } else {
                    return;
                }
            }
            String message = onlyTagging.isEmpty()
                    ? "Iceberg sink with no ValidateContract in its transforms: a record it cannot write fails the "
                            + "task, which stalls on that offset until someone intervenes"
                    : "Iceberg sink whose ValidateContract (" + String.join(", ", onlyTagging) + ") only tags "
                            + "(mode=shadow or on.failure=tag): invalid records still reach the sink, which stalls on "
                            + "one it cannot write";
            out.add(finding(c, p.strictly(), "transforms", message));
        }
    }

    /** TL011: a Truthline SMT whose own ConfigDef or configure() rejects its configuration. */
    static final class SmtConfigRejected extends LintRule {

        SmtConfigRejected() {
            super("TL011", "Truthline SMT configuration that its own ConfigDef/configure() rejects",
                    "fix the key the message names; the connector's task would fail to start with the same message");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            for (Transform t : c.transforms()) {
                if (!TruthlineTransforms.isTruthline(t)) {
                    continue;
                }
                String prefix = TransformConfigProbe.keyPrefix(t.alias());
                Map<String, String> props = brokersStoodIn(TransformConfigProbe.transformProps(c.config(), t.alias()));
                Transformation<SinkRecord> transform = TruthlineTransforms.instantiate(t.type());
                if (transform == null) {
                    out.add(finding(c, Severity.ERROR, prefix + TransformConfigProbe.TYPE,
                            t.type() + " is not a Truthline transform", "use " + TruthlineTransforms.knownClasses()));
                    continue;
                }
                if (props.values().stream().anyMatch(ConnectorConfig::isProviderReference)) {
                    continue; // configure() would see the reference, not the value the worker resolves
                }
                String contractFile = t.props().get(ValidateContractConfig.CONTRACT_FILE);
                List<ConfigProblem> problems;
                if (TruthlineTransforms.isValidateContract(t) && !isBlank(contractFile)
                        && isBlank(t.props().get(ValidateContractConfig.CONTRACT_TEXT)) && !isHere(contractFile)) {
                    String fileKey = prefix + ValidateContractConfig.CONTRACT_FILE;
                    out.add(finding(c, Severity.WARNING, fileKey, "transform " + t.alias() + " reads its contract from "
                            + contractFile.trim() + ", which is not on this machine (it may be only on the workers): "
                            + "the contract and the inline rules were not checked, the keys Connect validates were",
                            "run truthline contracts validate on the contract file, and make sure it is on every worker "
                                    + "(or carry the contract in contract.text)"));
                    // Without the contract configure() cannot run: only what Connect itself validates is checked.
                    problems = TransformConfigProbe.declaredKeyProblems(transform, props, prefix).stream()
                            .filter(problem -> !problem.key().equals(fileKey)).toList();
                } else {
                    problems = TransformConfigProbe.probe(transform, props, prefix);
                }
                for (ConfigProblem problem : problems) {
                    out.add(finding(c, Severity.ERROR, problem.key(), "transform " + t.alias()
                            + " rejects its configuration: " + problem.message()));
                }
            }
        }

        /**
         * The transform's keys with a provider reference in a {@code bootstrap.servers} key (the rebuild's, the dead
         * letters') replaced by a stand-in: configure() only keeps that value for a client it makes later, so the rest
         * of the configuration is still checked.
         */
        private static Map<String, String> brokersStoodIn(Map<String, String> props) {
            Map<String, String> stoodIn = new LinkedHashMap<>(props);
            stoodIn.replaceAll((key, value) -> key.endsWith("bootstrap.servers") && ConnectorConfig.isProviderReference(value)
                    ? "broker-from-a-config-provider:9092" : value);
            return stoodIn;
        }

        /** Whether the path names a file here; a path that is not one at all is left for configure() to report. */
        private static boolean isHere(String path) {
            try {
                return Files.isRegularFile(Path.of(path.trim()));
            } catch (InvalidPathException e) {
                return true;
            }
        }

        private static boolean isBlank(String value) {
            return value == null || value.isBlank();
        }
    }

    /** TL012: de-duplication before validation on a sink. */
    static final class DedupeBeforeValidate extends LintRule {
        DedupeBeforeValidate() {
            super("TL012", "Deduplicate before ValidateContract in a sink's transforms",
                    "list ValidateContract before Deduplicate in transforms, as the reference pipeline does");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() != SINK) {
                return;
            }
            Transform dedupe = null;
            for (Transform t : c.transforms()) {
                if (dedupe == null && TruthlineTransforms.isDeduplicate(t)) {
                    dedupe = t;
                } else if (dedupe != null && TruthlineTransforms.isValidateContract(t)) {
                    out.add(finding(c, Severity.WARNING, "transforms", "Deduplicate " + dedupe.alias()
                            + " runs before ValidateContract " + t.alias() + ": the window remembers records that "
                            + "validation then rejects, so a corrected re-send with the same id is dropped as a "
                            + "duplicate and one bad event is counted both as invalid and as duplicate"));
                    return;
                }
            }
        }
    }

    /** TL013: a ValidateContract that fails the task on the first invalid record. */
    static final class ValidateFailStopsTask extends LintRule {
        ValidateFailStopsTask() {
            super("TL013", "ValidateContract on.failure=fail with errors.tolerance=none (first invalid record stops the task)",
                    "sink: errors.tolerance=all with " + DLQ_TOPIC + "; source: on.failure=quarantine");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if ((c.has(TOLERANCE) && c.known(TOLERANCE) == null) || toleratesAll(c)) {
                return;
            }
            for (Transform t : c.transforms()) {
                if (TruthlineTransforms.isValidateContract(t)
                        && "fail".equals(TruthlineTransforms.setting(t, ValidateContractConfig.ON_FAILURE))
                        && "enforce".equals(TruthlineTransforms.setting(t, ValidateContractConfig.MODE))) {
                    String fix = c.kind() == SINK
                            ? "set errors.tolerance=all with " + DLQ_TOPIC + " so invalid records go to the dead-letter queue"
                            : "set transforms." + t.alias() + ".on.failure=quarantine (sources have no dead-letter queue)";
                    out.add(finding(c, Severity.WARNING, "transforms." + t.alias() + "." + ValidateContractConfig.ON_FAILURE, "ValidateContract "
                            + t.alias() + " fails invalid records and errors.tolerance is none: the first invalid record "
                            + "fails the task, and the connector stops until someone intervenes", fix));
                }
            }
        }
    }

    /**
     * TL017: a sink's ValidateContract whose rejected records only reach a dead-letter queue Connect does not wait for
     * ({@code on.failure=fail} into {@code errors.deadletterqueue.topic.name}), or that writes them somewhere other
     * than the connector's DLQ ({@code on.failure=dead_letter} with another {@code dead.letter.topic}).
     */
    static final class DeadLetterNotAwaited extends LintRule {
        DeadLetterNotAwaited() {
            super("TL017", "sink ValidateContract rejects into a dead-letter queue without waiting for it (on.failure=fail), "
                    + "or into another topic than the connector's DLQ",
                    "on.failure=dead_letter with dead.letter.topic = " + DLQ_TOPIC + " and dead.letter.bootstrap.servers");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            if (c.kind() != SINK) {
                return;
            }
            String dlq = c.config().get(DLQ_TOPIC);
            for (Transform t : c.transforms()) {
                if (!TruthlineTransforms.isValidateContract(t)
                        || !"enforce".equals(TruthlineTransforms.setting(t, ValidateContractConfig.MODE))) {
                    continue;
                }
                String onFailure = TruthlineTransforms.setting(t, ValidateContractConfig.ON_FAILURE);
                String key = TransformConfigProbe.keyPrefix(t.alias());
                if ("fail".equals(onFailure) && toleratesAll(c)) {
                    out.add(finding(c, Severity.WARNING, key + ValidateContractConfig.ON_FAILURE, "ValidateContract "
                            + t.alias() + " fails invalid records into Connect's dead-letter queue, whose write Connect "
                            + "does not wait for before it commits the offsets after the record: a worker that dies "
                            + "in between loses the record (in no table, no DLQ, never handed again)",
                            "set " + key + "on.failure=dead_letter, " + key + "dead.letter.topic="
                                    + (hasDlq(c) ? dlq.trim() : "the connector's " + DLQ_TOPIC) + " and "
                                    + key + "dead.letter.bootstrap.servers"));
                } else if ("dead_letter".equals(onFailure)) {
                    String topic = t.props().get(ValidateContractConfig.DEAD_LETTER_TOPIC);
                    if (topic != null && dlq != null && !ConnectorConfig.isProviderReference(topic)
                            && !topic.trim().equals(dlq.trim())) {
                        out.add(finding(c, Severity.WARNING, key + ValidateContractConfig.DEAD_LETTER_TOPIC,
                                "ValidateContract " + t.alias() + " writes rejected records to " + topic.trim()
                                        + ", not to the connector's dead-letter queue " + dlq.trim() + ": triage, "
                                        + "replay and the audit read the DLQ the connector names",
                                "set " + key + "dead.letter.topic=" + dlq.trim()));
                    }
                }
            }
        }
    }

    /** TL014: a de-duplication window split across tasks. */
    static final class DedupeAcrossTasks extends LintRule {
        DedupeAcrossTasks() {
            super("TL014", "Deduplicate with ids not taken from the record key and tasks.max > 1 (window is per task)",
                    "take the id from the key (id.fields=key) and key records by it, or run one task");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            Integer tasks = intValue(c, TASKS_MAX);
            if (tasks == null || tasks <= 1) {
                return;
            }
            for (Transform t : c.transforms()) {
                if (!TruthlineTransforms.isDeduplicate(t)) {
                    continue;
                }
                String strategy = TruthlineTransforms.setting(t, DeduplicateConfig.STRATEGY);
                String fieldsKey = "event_id".equals(strategy) ? DeduplicateConfig.ID_FIELDS
                        : "entity_version".equals(strategy) ? DeduplicateConfig.ENTITY_FIELDS : null;
                if (fieldsKey == null) {
                    continue; // debezium: the id includes the record key, so copies meet on one partition
                }
                String fields = TruthlineTransforms.setting(t, fieldsKey);
                if (fields == null || fields.isBlank()) {
                    continue;
                }
                boolean keyed = false;
                for (String f : fields.split(",")) {
                    String field = f.trim();
                    keyed |= field.equals("key") || field.startsWith("key.");
                }
                if (!keyed) {
                    out.add(finding(c, Severity.WARNING, "transforms." + t.alias() + "." + fieldsKey, "Deduplicate "
                            + t.alias() + " remembers ids per task and tasks.max=" + tasks + ": copies of an id on "
                            + "partitions that different tasks read are not caught unless they share a record key"));
                }
            }
        }
    }

    /** TL015: a JSON file in a folder that cannot be read as a connector config; the other files are still linted. */
    static final class UnreadableFile extends LintRule {
        UnreadableFile() {
            super("TL015", "a JSON file in a folder that cannot be read as a connector config",
                    "fix the file (JSON object, flat string values, connector.class), or move it out of the folder");
        }

        @Override
        void check(ConnectorConfig c, Profile p, List<Finding> out) {
            // A connector that was read is readable: this rule judges files, see finding(InvalidConnectorFileException).
        }

        Finding finding(InvalidConnectorFileException e) {
            return new Finding(id, Severity.ERROR, ConnectorFiles.nameOf(e.file()), e.file(), "-", "cannot be read as a connector config: "
                    + e.problem(), fix);
        }
    }
}
