package dev.truthline.audit.defects;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.header.Header;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * Defects grouped by cause, for {@code truthline triage}: per cause its records, the distinct captured events they
 * stand for, first and last seen, a count per day (per hour when the window is shorter than two days), the connectors
 * and source tables involved and a few example positions. A record with two causes counts in each; the totals count
 * distinct records. Only positions, names and counts are kept: never a payload value, not even the key.
 */
public final class Triage {

    /** Windows shorter than this are shown per hour, longer ones per day. */
    static final Duration HOURLY_BELOW = Duration.ofDays(2);
    /**
     * Buckets a trend shows at most, the latest: records older than that (a topic kept for years, or record times
     * far in the past) count in everything but the trend.
     */
    public static final int MAX_TREND_BUCKETS = 400;
    /** Example positions kept per cause. */
    public static final int EXAMPLES = 3;

    private final Instant since;
    private final Instant until;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Integer> topicNumbers = new HashMap<>();
    private final DistinctPositions events = new DistinctPositions(topicNumbers);
    private long records;
    private long quarantined;
    private long deadLettered;
    private long withoutEvent;
    private long earliestMs = Long.MAX_VALUE;

    /**
     * @param since the window's start (null: from the first defect read)
     * @param until the window's end (when the triage runs)
     */
    public Triage(Instant since, Instant until) {
        this.since = since;
        this.until = until;
    }

    /**
     * Counts one defect read from its record: a record that is itself a replay ({@code truthline.replay.of}) rejected
     * again counts as the event first captured, the one its earlier defects stand for.
     */
    public void add(DefectRecord r) {
        Header replayed = r.record().headers().lastHeader(ReplayHeaders.OF);
        add(r.defect(), replayed == null || replayed.value() == null ? null
                : new String(replayed.value(), StandardCharsets.UTF_8));
    }

    /** Counts one defect under each of its causes. */
    public void add(Defect d) {
        add(d, null);
    }

    /** @param firstCaptured the event the defect's record replays, or null when it is no replay */
    private void add(Defect d, String firstCaptured) {
        records++;
        if (d.kind() == Defect.Kind.QUARANTINED) {
            quarantined++;
        } else {
            deadLettered++;
        }
        if (d.replayOf() == null) {
            withoutEvent++;
        }
        // A dead letter that names no event stands for itself: it is one event nobody can place.
        String event = firstCaptured != null ? firstCaptured : d.replayOf() != null ? d.replayOf() : d.position();
        events.add(event);
        earliestMs = Math.min(earliestMs, d.timestampMs());
        for (DefectCause c : d.causes()) {
            groups.computeIfAbsent(c.id(), id -> new Group(c, new DistinctPositions(topicNumbers))).add(d, event);
        }
    }

    /** The causes, most records first. */
    public Result result() {
        Instant start = since != null ? since
                : earliestMs == Long.MAX_VALUE ? until : Instant.ofEpochMilli(earliestMs);
        Granularity g = Duration.between(start, until).compareTo(HOURLY_BELOW) < 0 ? Granularity.HOUR
                : Granularity.DAY;
        List<CauseSummary> causes = new ArrayList<>();
        for (Group group : groups.values()) {
            causes.add(group.summary(g, start, until));
        }
        causes.sort(Comparator.comparingLong(CauseSummary::records).reversed().thenComparing(CauseSummary::id));
        return new Result(since, start, until, g, causes,
                new Totals(records, events.size(), quarantined, deadLettered, causes.size(), withoutEvent));
    }

    /** The trend's bucket. */
    public enum Granularity {
        HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

        private final ChronoUnit unit;

        Granularity(ChronoUnit unit) {
            this.unit = unit;
        }

        /** The start of the bucket {@code t} falls in (UTC). */
        public Instant bucket(Instant t) {
            return t.truncatedTo(unit);
        }

        public Instant next(Instant bucket) {
            return bucket.plus(1, unit);
        }

        /** {@code hour} or {@code day}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A triage's outcome.
     *
     * @param since       the start asked for, or null (everything the topics hold)
     * @param start       the window's start: {@code since}, else the first defect's time
     * @param until       the window's end
     * @param granularity the trend's bucket
     * @param causes      per cause, most records first
     * @param totals      over all causes
     */
    public record Result(Instant since, Instant start, Instant until, Granularity granularity, List<CauseSummary> causes,
            Totals totals) {
    }

    /**
     * @param records      defect records read
     * @param events       distinct captured events they stand for
     * @param quarantined  records of the source quarantine
     * @param deadLettered records of dead-letter queues
     * @param causes       distinct causes
     * @param withoutEvent dead letters without Connect's context headers (they name no event)
     */
    public record Totals(long records, long events, long quarantined, long deadLettered, long causes,
            long withoutEvent) {
    }

    /**
     * One cause.
     *
     * @param cause        the cause (its {@link DefectCause#id() id} is {@link #id()})
     * @param records      defect records with this cause
     * @param events       distinct captured events they stand for
     * @param firstSeen    the earliest record time
     * @param lastSeen     the latest record time
     * @param trend        records per bucket from the window's start to its end, empty buckets included
     * @param connectors   the connectors involved (the source for a quarantine cause, the sink for a dead letter)
     * @param sourceTables the source tables ({@code schema.table}) of its records
     * @param examples     up to {@link #EXAMPLES} records, the first read
     */
    public record CauseSummary(DefectCause cause, long records, long events, Instant firstSeen, Instant lastSeen,
            Map<Instant, Long> trend, List<String> connectors, List<String> sourceTables, List<Example> examples) {

        public String id() {
            return cause.id();
        }
    }

    /**
     * An example of a cause: where the defect record is and the captured event it stands for (null when it names
     * none).
     */
    public record Example(String position, String replayOf) {
    }

    private static final class Group {
        final DefectCause cause;
        final DistinctPositions events;
        final Map<Long, Long> perHour = new HashMap<>();
        final Set<String> connectors = new TreeSet<>();
        final Set<String> tables = new TreeSet<>();
        final List<Example> examples = new ArrayList<>(EXAMPLES);
        long records;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        Group(DefectCause cause, DistinctPositions events) {
            this.cause = cause;
            this.events = events;
        }

        void add(Defect d, String event) {
            records++;
            events.add(event);
            first = Math.min(first, d.timestampMs());
            last = Math.max(last, d.timestampMs());
            perHour.merge(Math.floorDiv(d.timestampMs(), 3_600_000L), 1L, Long::sum);
            if (d.connector() != null) {
                connectors.add(d.connector());
            }
            if (d.sourceTable() != null) {
                tables.add(d.sourceTable());
            }
            if (examples.size() < EXAMPLES) {
                examples.add(new Example(d.position(), d.replayOf()));
            }
        }

        CauseSummary summary(Granularity g, Instant start, Instant until) {
            Map<Instant, Long> trend = new LinkedHashMap<>();
            Instant end = g.bucket(until.isBefore(Instant.ofEpochMilli(last)) ? Instant.ofEpochMilli(last) : until);
            Instant from = g.bucket(start.isAfter(Instant.ofEpochMilli(first)) ? Instant.ofEpochMilli(first) : start);
            Instant oldest = end.minus(MAX_TREND_BUCKETS - 1, g.unit);
            if (from.isBefore(oldest)) {
                from = oldest;
            }
            for (Instant b = from; !b.isAfter(end); b = g.next(b)) {
                trend.put(b, 0L);
            }
            perHour.forEach((hour, n) -> trend.computeIfPresent(g.bucket(Instant.ofEpochSecond(hour * 3600)),
                    (b, count) -> count + n));
            return new CauseSummary(cause, records, events.size(), Instant.ofEpochMilli(first),
                    Instant.ofEpochMilli(last), java.util.Collections.unmodifiableMap(trend), List.copyOf(connectors),
                    List.copyOf(tables), List.copyOf(examples));
        }
    }
}
