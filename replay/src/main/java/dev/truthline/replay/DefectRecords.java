package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.TopicRanges;
import dev.truthline.connect.core.ReplayHeaders;
import dev.truthline.connect.core.ReplayHeaders.Position;

/**
 * Reads the pipeline's defects — every record of its source quarantine topics and of its sinks' dead-letter queues —
 * as {@link ReplayCandidate}s, keeping those {@code selection} takes. A dead letter without Connect's context headers
 * ({@code errors.deadletterqueue.context.headers.enable=false}) names no input position and cannot be replayed: it is
 * counted, not taken.
 */
final class DefectRecords {

    static final String ERRORS_TOPIC = "__connect.errors.topic";
    static final String ERRORS_PARTITION = "__connect.errors.partition";
    static final String ERRORS_OFFSET = "__connect.errors.offset";

    private final ReplayPipeline pipeline;
    private final Revalidation keys;
    private long withoutContext;

    DefectRecords(ReplayPipeline pipeline, Revalidation keys) {
        this.pipeline = pipeline;
        this.keys = keys;
    }

    /** The selected defects, quarantine topics first, each topic in partition and offset order. */
    List<ReplayCandidate> read(TopicRanges topics, Selection selection) throws CannotJudgeException {
        List<ReplayCandidate> selected = new ArrayList<>();
        for (ReplayPipeline.Quarantine q : pipeline.quarantines().values()) {
            String prefix = quarantinePrefix(q.connector());
            topics.read(topics.whole(q.topic()), r -> take(selected, selection, quarantined(q, prefix, r)));
        }
        for (Map.Entry<String, String> dlq : pipeline.deadLetterQueues().entrySet()) {
            topics.read(topics.whole(dlq.getKey()), r -> {
                ReplayCandidate c = deadLetter(dlq.getValue(), r);
                if (c == null) {
                    withoutContext++;
                } else {
                    take(selected, selection, c);
                }
            });
        }
        return selected;
    }

    /** Dead letters read that name no input position. */
    long withoutContext() {
        return withoutContext;
    }

    private static void take(List<ReplayCandidate> selected, Selection selection, ReplayCandidate c) {
        if (selection.all || selection.matches(c)) {
            selected.add(c);
        }
    }

    private String quarantinePrefix(String source) {
        for (Map<String, String> t : ReplayPipeline.transforms(pipeline.config(source)).values()) {
            if (ReplayPipeline.isValidate(t) && "quarantine".equalsIgnoreCase(t.get("on.failure"))) {
                return t.getOrDefault("headers.prefix", "dq.");
            }
        }
        return "dq.";
    }

    ReplayCandidate quarantined(ReplayPipeline.Quarantine q, String prefix, ConsumerRecord<byte[], byte[]> r) {
        Position at = new Position(r.topic(), r.partition(), r.offset());
        return new ReplayCandidate(ReplayCandidate.Kind.QUARANTINE, at, at, q.connector(), q.changeTopic(),
                CauseIds.quarantine(r.headers(), prefix), r.timestamp(), r.key(), r.value(), r.headers(),
                keyForms(q.connector(), q.changeTopic(), r.key()));
    }

    ReplayCandidate deadLetter(String sink, ConsumerRecord<byte[], byte[]> r) {
        String topic = CauseIds.text(r.headers(), ERRORS_TOPIC);
        String partition = CauseIds.text(r.headers(), ERRORS_PARTITION);
        String offset = CauseIds.text(r.headers(), ERRORS_OFFSET);
        if (topic == null || partition == null || offset == null) {
            return null;
        }
        Position of;
        try {
            of = new Position(topic, Integer.parseInt(partition), Long.parseLong(offset));
        } catch (NumberFormatException e) {
            return null;
        }
        // A replayed record that a sink rejected again still stands for the event first captured.
        String earlier = CauseIds.text(r.headers(), ReplayHeaders.OF);
        if (earlier != null) {
            try {
                of = Position.parse(earlier);
            } catch (IllegalArgumentException notAPosition) {
                // keep the input position
            }
        }
        return new ReplayCandidate(ReplayCandidate.Kind.DEAD_LETTER, new Position(r.topic(), r.partition(),
                r.offset()), of, sink, topic, CauseIds.deadLetter(r.headers(), sink), r.timestamp(), r.key(),
                r.value(), r.headers(), keyForms(sink, topic, r.key()));
    }

    private List<String> keyForms(String connector, String topic, byte[] key) {
        if (key == null) {
            return List.of();
        }
        List<String> forms = new ArrayList<>();
        forms.add(new String(key, StandardCharsets.UTF_8));
        forms.addAll(keys.keyForms(connector, topic, key));
        return forms;
    }
}
