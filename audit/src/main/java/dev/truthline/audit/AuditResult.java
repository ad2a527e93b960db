package dev.truthline.audit;

import java.util.List;
import java.util.Map;

/**
 * What an audit found: how many captured events met each fate, the quarantine per rule, the dead letters per
 * connector and reason, the unexplained events and sink rows, and the events whose fate came through a replay with
 * their histories (listed up to a limit, all counted).
 */
public record AuditResult(
        Map<Fate, Long> fates,
        Map<String, Long> quarantinedPerRule,
        Map<String, Long> deadLetteredPerReason,
        List<Unexplained> unexplained,
        long extraRows,
        List<Row> extra,
        long rowsLandedTwice,
        List<Row> landedTwice,
        long replayed,
        List<Replayed> replays) {

    /** A result without replayed events. */
    public AuditResult(Map<Fate, Long> fates, Map<String, Long> quarantinedPerRule,
            Map<String, Long> deadLetteredPerReason, List<Unexplained> unexplained, long extraRows, List<Row> extra,
            long rowsLandedTwice, List<Row> landedTwice) {
        this(fates, quarantinedPerRule, deadLetteredPerReason, unexplained, extraRows, extra, rowsLandedTwice,
                landedTwice, 0, List.of());
    }

    /** Exit code when everything is explained. */
    public static final int EXPLAINED = 0;
    /** Exit code when any event or sink row is unexplained. */
    public static final int UNEXPLAINED = 1;
    /** Exit code when the audit cannot judge (a store it cannot read, a configuration it cannot resolve). */
    public static final int CANNOT_JUDGE = 2;

    /** A captured event with no fate: where it was in Kafka and its key. */
    public record Unexplained(String topic, int partition, long offset, String kind, String key) {
    }

    /**
     * A captured event whose fate came through {@code truthline replay}: where it was captured, the fate its history
     * ends in, and that history (its own fate, then each replayed copy's position and fate; no payload value).
     */
    public record Replayed(String topic, int partition, long offset, String kind, Fate fate, String history) {
    }

    /** A sink row, by the Kafka position its provenance names, and where it is in its table. */
    public record Row(String store, String topic, int partition, long offset, String rowPosition) {
    }

    public long captured() {
        return fates.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(Fate fate) {
        return fates.getOrDefault(fate, 0L);
    }

    /** 0 when every captured event has a fate and every landing row a captured event; else 1. */
    public int exitCode() {
        return count(Fate.UNEXPLAINED) == 0 && extraRows == 0 && rowsLandedTwice == 0 ? EXPLAINED : UNEXPLAINED;
    }
}
