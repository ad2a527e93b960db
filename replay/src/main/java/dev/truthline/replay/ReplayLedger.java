package dev.truthline.replay;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import dev.truthline.audit.AuditRange;
import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.TopicRanges;
import dev.truthline.connect.core.ReplayHeaders;

/**
 * What earlier replays already wrote: the {@code truthline.replay.of} positions in a target topic, with the replay
 * id that wrote each. Read from the earliest selected defect's time (a replayed record keeps its original's timestamp,
 * and lands after the original) to the topic's end, committed records only; only headers are looked at.
 */
final class ReplayLedger {

    /** {@code truthline.replay.of} → the replay id that wrote it (the first seen). */
    private final Map<String, String> replayed = new HashMap<>();

    static ReplayLedger read(TopicRanges topics, String topic, long sinceMs) throws CannotJudgeException {
        ReplayLedger ledger = new ReplayLedger();
        Map<TopicPartition, TopicRanges.Range> ranges = topics.resolve(topic, Map.of(),
                AuditRange.Bound.time("--since", sinceMs), AuditRange.Bound.NONE);
        topics.read(ranges, r -> {
            String of = DefectRecords.header(r.headers(), ReplayHeaders.OF);
            if (of != null) {
                String id = DefectRecords.header(r.headers(), ReplayHeaders.ID);
                ledger.replayed.putIfAbsent(of, id == null ? "?" : id);
            }
        });
        return ledger;
    }

    /** The replay that already wrote {@code of}, or null. */
    String replayedBy(String of) {
        return replayed.get(of);
    }

    /** A ledger of the given positions (tests). */
    static ReplayLedger of(Map<String, String> replayed) {
        ReplayLedger ledger = new ReplayLedger();
        ledger.replayed.putAll(replayed);
        return ledger;
    }
}
