package dev.truthline.audit.defects;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.audit.AuditRange;
import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.CapturedEvents;
import dev.truthline.audit.DeadLetters;
import dev.truthline.audit.TopicRanges;
import dev.truthline.connect.core.FieldPath;

/**
 * Reads a pipeline's defects: every record of its source quarantine topic and of the dead-letter queue of every sink
 * that reads its change or quarantine topic ({@link DefectPlan}), each as a {@link Defect} with its causes, passed on
 * with its record. Records stream through the audit's {@link TopicRanges} ({@code read_committed}); nothing is kept.
 */
public final class Defects {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FieldPath SOURCE_SCHEMA = FieldPath.parse("source.schema");
    private static final FieldPath SOURCE_TABLE = FieldPath.parse("source.table");

    private final DefectPlan plan;
    private final CapturedEvents decoder;
    private final String contractHeader;
    private final String violationsHeader;
    private final String rulesHeader;

    public Defects(DefectPlan plan) {
        this.plan = plan;
        this.decoder = new CapturedEvents(plan.keySchemas(), plan.valueSchemas(), plan.headersPrefix() + "rules");
        this.contractHeader = plan.headersPrefix() + "contract";
        this.violationsHeader = plan.headersPrefix() + "violations";
        this.rulesHeader = plan.headersPrefix() + "rules";
    }

    /**
     * Reads every defect of the plan's Kafka cluster recorded at or after {@code since} (null: all the topics hold),
     * the quarantine topic first, then each dead-letter queue, each partition in offset order. A topic that does not
     * exist holds none.
     */
    public static void read(DefectPlan plan, Instant since, Consumer<DefectRecord> each) throws CannotJudgeException {
        try (TopicRanges topics = TopicRanges.kafka(plan.bootstrapServers())) {
            read(plan, topics, since, each);
        }
    }

    /** As {@link #read(DefectPlan, Instant, Consumer)}, from {@code topics}. */
    public static void read(DefectPlan plan, TopicRanges topics, Instant since, Consumer<DefectRecord> each)
            throws CannotJudgeException {
        Defects defects = new Defects(plan);
        AuditRange.Bound start = since == null ? AuditRange.Bound.NONE
                : AuditRange.Bound.time("--since", since.toEpochMilli());
        for (String topic : plan.defectTopics()) {
            Map<TopicPartition, TopicRanges.Range> ranges = topics.resolve(topic, Map.of(), start,
                    AuditRange.Bound.NONE);
            topics.read(ranges, r -> each.accept(new DefectRecord(defects.defect(r), r)));
        }
    }

    /**
     * The defect a record of the quarantine topic or of a dead-letter queue is.
     *
     * @throws IllegalArgumentException when the record's topic is neither
     */
    public Defect defect(ConsumerRecord<byte[], byte[]> r) {
        String dlqConnector = plan.deadLetterQueues().get(r.topic());
        boolean quarantined = r.topic().equals(plan.quarantineTopic());
        if (!quarantined && dlqConnector == null) {
            throw new IllegalArgumentException(r.topic() + " is neither the quarantine topic nor a dead-letter queue");
        }
        String key = null;
        String sourceTable = null;
        try {
            CapturedEvents.Decoded d = decoder.decode(r.topic(), r.key(), r.value());
            key = d.keyText();
            sourceTable = sourceTable(d.value());
        } catch (RuntimeException notJson) {
            // A key the converter cannot read is shown as its bytes; the record is a defect all the same.
            key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        }
        if (quarantined) {
            String position = Defect.position(r.topic(), r.partition(), r.offset());
            return new Defect(r.topic(), r.partition(), r.offset(), r.timestamp(), Defect.Kind.QUARANTINED,
                    plan.sourceConnector(), position, plan.changeTopicOf(r.topic()), sourceTable, key,
                    quarantineCauses(r));
        }
        String topic = header(r, DeadLetters.TOPIC);
        String partition = header(r, DeadLetters.PARTITION);
        String offset = header(r, DeadLetters.OFFSET);
        String replayOf = null;
        if (topic != null && partition != null && offset != null) {
            try {
                replayOf = Defect.position(topic, Integer.parseInt(partition.trim()), Long.parseLong(offset.trim()));
            } catch (IllegalArgumentException notAPosition) {
                // Context headers Connect did not write: the dead letter names no event.
            }
        }
        DefectCause cause = DefectCause.deadLetter(dlqConnector, header(r, DeadLetters.STAGE),
                header(r, DeadLetters.CLASS_NAME), header(r, DeadLetters.EXCEPTION), header(r, DeadLetters.MESSAGE));
        return new Defect(r.topic(), r.partition(), r.offset(), r.timestamp(), Defect.Kind.DEAD_LETTERED, dlqConnector,
                replayOf, topic, sourceTable, key, List.of(cause));
    }

    /**
     * A quarantined record's causes: one per failed rule and field of {@code dq.violations} (warnings are not
     * failures), else one per rule of {@code dq.rules}, else one cause naming no rule.
     */
    List<DefectCause> quarantineCauses(ConsumerRecord<byte[], byte[]> r) {
        String contract = header(r, contractHeader);
        Set<DefectCause> causes = new LinkedHashSet<>();
        String violations = header(r, violationsHeader);
        if (violations != null) {
            try {
                for (JsonNode v : JSON.readTree(violations)) {
                    if (!"warn".equals(v.path("severity").asText(null)) && v.hasNonNull("rule")) {
                        causes.add(DefectCause.quarantine(contract, v.get("rule").asText(),
                                v.hasNonNull("field") ? v.get("field").asText() : null));
                    }
                }
            } catch (java.io.IOException | RuntimeException unreadable) {
                causes.clear();
            }
        }
        if (causes.isEmpty()) {
            String rules = header(r, rulesHeader);
            if (rules != null) {
                for (String rule : rules.split(",")) {
                    if (!rule.isBlank()) {
                        causes.add(DefectCause.quarantine(contract, rule.trim(), null));
                    }
                }
            }
        }
        if (causes.isEmpty()) {
            causes.add(DefectCause.quarantine(contract, null, null));
        }
        return new ArrayList<>(causes);
    }

    private static String sourceTable(Object envelope) {
        if (envelope == null) {
            return null;
        }
        Object schema = SOURCE_SCHEMA.get(envelope);
        Object table = SOURCE_TABLE.get(envelope);
        if (!(table instanceof String t)) {
            return null;
        }
        return schema instanceof String s ? s + "." + t : t;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return CapturedEvents.header(r.headers(), name);
    }
}
