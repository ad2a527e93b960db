package dev.truthline.replay;

import java.util.List;

import org.apache.kafka.common.header.Headers;

import dev.truthline.connect.core.ReplayHeaders.Position;

/**
 * One defect a replay may send back: a record of a source quarantine topic or of a sink's dead-letter queue, with
 * where it would go.
 *
 * @param kind       where it was held
 * @param at         the defect record's own position (in the quarantine topic or the dead-letter queue)
 * @param of         the captured event it stands for ({@code truthline.replay.of}): the quarantine position itself,
 *                   or the input position a dead letter's context headers name
 * @param connector  the connector that rejected it (the source for a quarantine record, the sink for a dead letter)
 * @param target     the topic it is replayed into (the change topic, or the sink's input topic)
 * @param causes     its cause ids (a record that broke two rules belongs to two causes)
 * @param timestamp  the defect record's timestamp (the original change's, as Connect and the source keep it)
 * @param keyForms   the key as an operator may write it ({@code --key}): bytes as text, Connect data, struct fields
 */
record ReplayCandidate(Kind kind, Position at, Position of, String connector, String target, List<String> causes,
        long timestamp, byte[] key, byte[] value, Headers headers, List<String> keyForms) {

    enum Kind {
        QUARANTINE, DEAD_LETTER
    }

    /** The key as a report may show it (its bytes as text), or {@code null}; never the value. */
    String keyText() {
        return keyForms.isEmpty() ? null : keyForms.get(0);
    }
}
