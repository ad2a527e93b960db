package dev.truthline.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Which captured events one audit judges: a start and an end, each a record time ({@code --since}/{@code --until}),
 * offsets per partition ({@code --since-offsets}/{@code --until-offsets}) or a snapshot of the landing table
 * ({@code --since-snapshot}/{@code --until-snapshot}), or none (the topic's start, its end now). A start is inclusive,
 * an end exclusive, so consecutive ranges meet without a gap or an overlap. A checkpoint, where it names a partition,
 * wins over the start.
 *
 * <p>A snapshot is turned into offsets by {@link SnapshotRange}: its <em>cut</em> of a captured topic is, per
 * partition, one past the highest offset any row of its table holds.
 */
public record AuditRange(Bound since, Bound until) {

    public static final AuditRange WHOLE = new AuditRange(Bound.NONE, Bound.NONE);

    public AuditRange {
        if (since.offsets() != null && until.offsets() != null && !since.cut() && !until.cut()) {
            for (Map.Entry<TopicPartition, Long> e : since.offsets().entrySet()) {
                Long end = until.offsets().get(e.getKey());
                if (end != null && end < e.getValue()) {
                    throw new OptionException(until.option(), e.getKey() + " ends at " + end + ", before "
                            + since.option() + " starts it at " + e.getValue());
                }
            }
        }
    }

    /** A range by record time (epoch milliseconds, either may be null). */
    public static AuditRange byTime(Long sinceMs, Long untilMs) {
        return new AuditRange(sinceMs == null ? Bound.NONE : Bound.time("--since", sinceMs),
                untilMs == null ? Bound.NONE : Bound.time("--until", untilMs));
    }

    public boolean whole() {
        return since.none() && until.none();
    }

    /**
     * One end of a range. Exactly one of: nothing ({@link #NONE}); a record time; offsets per partition (an
     * operator's: a partition they do not name keeps its default; a snapshot's cut: a partition it does not name had
     * no row in the table, so it is cut at its start); a snapshot id not yet turned into a cut.
     *
     * @param option the command-line option that gave it, for messages
     */
    public record Bound(String option, Long timeMs, Map<TopicPartition, Long> offsets, boolean cut, Long snapshotId) {

        public static final Bound NONE = new Bound(null, null, null, false, null);

        public static Bound time(String option, long timeMs) {
            return new Bound(option, timeMs, null, false, null);
        }

        public static Bound offsets(String option, Map<TopicPartition, Long> offsets) {
            return new Bound(option, null, Map.copyOf(offsets), false, null);
        }

        public static Bound snapshot(String option, long snapshotId) {
            return new Bound(option, null, null, false, snapshotId);
        }

        /** A snapshot's cut of the captured topics. */
        static Bound cut(String option, Map<TopicPartition, Long> offsets) {
            return new Bound(option, null, Map.copyOf(offsets), true, null);
        }

        public boolean none() {
            return timeMs == null && offsets == null && snapshotId == null;
        }

        /** An operator's offsets may name only partitions the topic has. */
        void checkPartitions(String topic, List<TopicPartition> partitions) throws CannotJudgeException {
            if (offsets == null || cut) {
                return;
            }
            for (TopicPartition p : offsets.keySet()) {
                if (p.topic().equals(topic) && !partitions.contains(p)) {
                    throw CannotJudgeException.option(option, topic + " has no partition " + p.partition() + " (it has "
                            + partitions.size() + ")");
                }
            }
        }

        /**
         * This bound's offset in partition {@code p} holding {@code [first, last)}, or {@code otherwise} where it
         * names none. An operator's offset outside what the partition holds cannot be judged: records before its start
         * were deleted, records past its end were not written yet.
         */
        long offset(TopicPartition p, long otherwise, long first, long last) throws CannotJudgeException {
            Long o = offsets == null ? null : offsets.get(p);
            if (o == null) {
                return offsets != null && cut ? first : otherwise;
            }
            if (cut) {
                return Math.max(first, Math.min(o, last));
            }
            if (o < first) {
                throw CannotJudgeException.option(option, p + " starts at offset " + first + " now, not " + o
                        + " (the records before it were deleted)");
            }
            if (o > last) {
                throw CannotJudgeException.option(option, p + " ends at offset " + last + " now, not " + o);
            }
            return o;
        }
    }

    /** An ISO-8601 instant ({@code 2026-12-04T16:00:00Z}) or epoch milliseconds. */
    static long time(String option, String value) {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new OptionException(option, "an ISO-8601 instant or epoch milliseconds, not " + value);
            }
        }
    }

    /** A snapshot id: a (possibly negative) 64-bit integer, as Iceberg numbers them. */
    static long snapshotId(String option, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new OptionException(option, "a snapshot id of the landing table (a 64-bit integer), not " + value);
        }
    }

    /**
     * Offsets per partition: {@code TOPIC:PARTITION=OFFSET[,PARTITION=OFFSET…]}, several topics separated by
     * {@code ;}; or, without any {@code =}, the path of a checkpoint file ({@code {"TOPIC/PARTITION": OFFSET, …}}).
     */
    static Map<TopicPartition, Long> offsets(String option, String value) {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        if (!value.contains("=")) {
            Path file = Path.of(value.strip());
            if (!Files.isRegularFile(file)) {
                throw new OptionException(option, "neither TOPIC:PARTITION=OFFSET[,…] nor a checkpoint file: no file "
                        + file);
            }
            try {
                offsets.putAll(Checkpoint.read(file));
            } catch (IOException | RuntimeException e) {
                throw new OptionException(option, file + " is not a checkpoint file ({\"TOPIC/PARTITION\": OFFSET, "
                        + "…}): " + e.getMessage());
            }
            offsets.forEach((p, o) -> requireOffset(option, p, o));
            return offsets;
        }
        String syntax = "TOPIC:PARTITION=OFFSET[,PARTITION=OFFSET…][;TOPIC:…] or a checkpoint file";
        for (String part : value.split(";")) {
            String t = part.strip();
            if (t.isEmpty()) {
                continue;
            }
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new OptionException(option, syntax + ", not " + t);
            }
            String topic = t.substring(0, colon).strip();
            for (String pair : t.substring(colon + 1).split(",")) {
                int eq = pair.indexOf('=');
                TopicPartition p;
                long o;
                try {
                    p = new TopicPartition(topic, Integer.parseInt(pair.substring(0, Math.max(eq, 0)).strip()));
                    o = Long.parseLong(pair.substring(eq + 1).strip());
                } catch (NumberFormatException e) {
                    throw new OptionException(option, syntax + ", not " + t);
                }
                if (p.partition() < 0) {
                    throw new OptionException(option, "no partition " + p.partition() + " in " + t);
                }
                requireOffset(option, p, o);
                if (offsets.put(p, o) != null) {
                    throw new OptionException(option, p + " is given twice");
                }
            }
        }
        if (offsets.isEmpty()) {
            throw new OptionException(option, syntax + ", not " + value);
        }
        return offsets;
    }

    private static void requireOffset(String option, TopicPartition p, long o) {
        if (o < 0) {
            throw new OptionException(option, "offsets are 0 or more, not " + o + " for " + p);
        }
    }
}
