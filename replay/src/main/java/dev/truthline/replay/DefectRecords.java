package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.TopicRanges;
import dev.truthline.audit.defects.Defect;
import dev.truthline.audit.defects.DefectCause;
import dev.truthline.audit.defects.DefectPlan;
import dev.truthline.audit.defects.DefectRecord;
import dev.truthline.audit.defects.Defects;
import dev.truthline.connect.core.ReplayHeaders;
import dev.truthline.connect.core.ReplayHeaders.Position;

/**
 * The pipeline's defects as triage reads them ({@link Defects}: the source quarantine topic and every dead-letter
 * queue of a sink of the change or quarantine topic), as {@link ReplayCandidate}s, keeping those the selection takes.
 * A dead letter without Connect's context headers ({@code errors.deadletterqueue.context.headers.enable=false}) names
 * no input position and cannot be replayed: it is counted, not taken.
 */
final class DefectRecords {

    private final DefectPlan plan;
    private final Revalidation keys;
    private long withoutContext;

    DefectRecords(DefectPlan plan, Revalidation keys) {
        this.plan = plan;
        this.keys = keys;
    }

    /** The selected defects, quarantine topic first, each topic in partition and offset order. */
    List<ReplayCandidate> read(TopicRanges topics, Selection selection) throws CannotJudgeException {
        List<ReplayCandidate> selected = new ArrayList<>();
        Instant since = selection.sinceMs == null ? null : Instant.ofEpochMilli(selection.sinceMs);
        Defects.read(plan, topics, since, d -> {
            ReplayCandidate c = candidate(d);
            if (c == null) {
                withoutContext++;
            } else if (selection.all || selection.matches(c)) {
                selected.add(c);
            }
        });
        return selected;
    }

    /** Dead letters read that name no input position. */
    long withoutContext() {
        return withoutContext;
    }

    /** The defect as a replay candidate, or null when it names no captured event or no topic to go to. */
    ReplayCandidate candidate(DefectRecord d) {
        Defect defect = d.defect();
        ConsumerRecord<byte[], byte[]> r = d.record();
        if (defect.replayOf() == null || defect.targetTopic() == null || defect.connector() == null) {
            return null;
        }
        Position of = Position.parse(defect.replayOf());
        // A replayed record rejected again (a sink's dead letter; a quarantine sink's dead letter replayed into the
        // quarantine topic) still stands for the event first captured.
        String earlier = header(r.headers(), ReplayHeaders.OF);
        if (earlier != null) {
            try {
                of = Position.parse(earlier);
            } catch (IllegalArgumentException notAPosition) {
                // keep the input position
            }
        }
        List<String> causes = defect.causes().stream().map(DefectCause::id).toList();
        return new ReplayCandidate(defect.kind() == Defect.Kind.QUARANTINED ? ReplayCandidate.Kind.QUARANTINE
                : ReplayCandidate.Kind.DEAD_LETTER, new Position(r.topic(), r.partition(), r.offset()), of,
                defect.connector(), defect.targetTopic(), causes, r.timestamp(), r.key(), r.value(), r.headers(),
                keyForms(defect, r.key()));
    }

    private List<String> keyForms(Defect defect, byte[] key) {
        List<String> forms = new ArrayList<>();
        if (defect.key() != null) {
            forms.add(defect.key());
        }
        if (key != null) {
            forms.add(new String(key, StandardCharsets.UTF_8));
            keys.keyForms(defect.connector(), defect.targetTopic(), key).forEach(f -> {
                if (!forms.contains(f)) {
                    forms.add(f);
                }
            });
        }
        return forms;
    }

    static String header(Headers headers, String name) {
        return dev.truthline.audit.CapturedEvents.header(headers, name);
    }
}
