package dev.truthline.audit.defects;

import java.util.List;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * One record in a source quarantine topic or a sink's dead-letter queue, as triage and replay see it. No payload value
 * is here but the key, which is for selecting ({@code truthline replay --key}) and is never printed unless asked.
 *
 * @param topic       the defect record's topic (the quarantine topic or a dead-letter queue)
 * @param partition   its partition
 * @param offset      its offset
 * @param timestampMs its record time
 * @param kind        quarantined (source) or dead-lettered (sink)
 * @param connector   the source connector of a quarantined record; the sink whose dead-letter queue holds it
 * @param replayOf    the captured event it stands for, {@code topic/partition/offset} (the format of
 *                    {@code truthline.replay.of}): a quarantined record's own position; the position a dead letter's
 *                    Connect context headers name ({@code __connect.errors.topic/partition/offset}), or null when it
 *                    carries none
 * @param targetTopic where a replay sends it: the change topic for a quarantined record; {@code __connect.errors.topic}
 *                    for a dead letter (null when absent)
 * @param sourceTable {@code source.schema.source.table} of the Debezium envelope, or null
 * @param key         the key as text (as the audit shows keys), or null
 * @param causes      why it is a defect: at least one
 */
public record Defect(String topic, int partition, long offset, long timestampMs, Kind kind, String connector,
        String replayOf, String targetTopic, String sourceTable, String key, List<DefectCause> causes) {

    /** Where a defect was put. */
    public enum Kind {
        /** Failed the source contract: written to the source quarantine topic. */
        QUARANTINED,
        /** A sink failed it: written to the sink's dead-letter queue. */
        DEAD_LETTERED
    }

    public Defect {
        causes = List.copyOf(causes);
    }

    /** This record's own position, {@code topic/partition/offset}. */
    public String position() {
        return position(topic, partition, offset);
    }

    /** {@code topic/partition/offset}, the format of {@code truthline.replay.of} and {@code dq.duplicate.of}. */
    public static String position(String topic, int partition, long offset) {
        return new ReplayHeaders.Position(topic, partition, offset).toString();
    }
}
