package dev.truthline.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.truthline.audit.CannotJudgeException;

/**
 * What a replay does with each selected defect, before anything is written: it still fails the deployed contract
 * (stays where it is), it was already replayed (by an earlier run, or earlier in this one: the same change
 * dead-lettered by two sinks is one event, written once), or it is written, with the record to write.
 */
final class ReplayDecisions {

    enum Fate {
        STILL_FAILING, ALREADY_REPLAYED, WRITE
    }

    /**
     * One defect's decision.
     *
     * @param cause      the cause it was selected under ({@code truthline.replay.cause})
     * @param replayedBy the replay id that already wrote it (ALREADY_REPLAYED)
     * @param record     what is written (WRITE)
     */
    record Decision(ReplayCandidate candidate, String cause, Fate fate, Revalidation.Recheck recheck,
            String replayedBy, ProducerRecord<byte[], byte[]> record) {
    }

    interface Recheck {
        Revalidation.Recheck of(ReplayCandidate c) throws CannotJudgeException;
    }

    interface Ledgers {
        /** The ledger of a target topic, read from {@code sinceMs}. */
        ReplayLedger of(String topic, long sinceMs) throws CannotJudgeException;
    }

    private ReplayDecisions() {
    }

    static List<Decision> decide(List<ReplayCandidate> selected, Selection selection, Recheck recheck,
            Ledgers ledgers, boolean again, String replayId, String operator) throws CannotJudgeException {
        Map<String, Long> earliest = new HashMap<>();
        for (ReplayCandidate c : selected) {
            earliest.merge(c.target(), Math.max(0, c.timestamp()), Math::min);
        }
        Map<String, ReplayLedger> byTopic = new HashMap<>();
        if (!again) {
            for (Map.Entry<String, Long> e : earliest.entrySet()) {
                byTopic.put(e.getKey(), ledgers.of(e.getKey(), e.getValue()));
            }
        }
        Set<String> thisRun = new HashSet<>();
        List<Decision> decisions = new ArrayList<>();
        for (ReplayCandidate c : selected) {
            String cause = selection.selectedCause(c);
            Revalidation.Recheck r = recheck.of(c);
            if (!r.valid()) {
                decisions.add(new Decision(c, cause, Fate.STILL_FAILING, r, null, null));
                continue;
            }
            String of = c.of().toString();
            ReplayLedger ledger = byTopic.get(c.target());
            String by = ledger == null ? null : ledger.replayedBy(of);
            if (by == null && thisRun.contains(c.target() + "\n" + of)) {
                by = replayId;
            }
            if (by != null) {
                decisions.add(new Decision(c, cause, Fate.ALREADY_REPLAYED, r, by, null));
                continue;
            }
            thisRun.add(c.target() + "\n" + of);
            decisions.add(new Decision(c, cause, Fate.WRITE, r, null,
                    ReplayRecords.of(c, r, cause, replayId, operator)));
        }
        return decisions;
    }
}
