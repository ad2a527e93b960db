package dev.truthline.audit.defects;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * A set of {@code topic/partition/offset} positions that counts exactly and keeps a week of defects small: a position
 * is one {@code long} — its topic's number ({@link #TOPIC_BITS} bits, numbered by a table shared between sets), its
 * partition ({@link #PARTITION_BITS}) and its offset ({@link #OFFSET_BITS}) — where it fits, else its text.
 */
final class DistinctPositions {

    static final int TOPIC_BITS = 10;
    static final int PARTITION_BITS = 14;
    static final int OFFSET_BITS = 64 - TOPIC_BITS - PARTITION_BITS;

    private final Map<String, Integer> topicNumbers;
    private final Set<Long> packed = new HashSet<>();
    private final Set<String> other = new HashSet<>();

    /** @param topicNumbers the topics' numbers, shared by every set whose positions are compared */
    DistinctPositions(Map<String, Integer> topicNumbers) {
        this.topicNumbers = topicNumbers;
    }

    void add(String position) {
        ReplayHeaders.Position p;
        try {
            p = ReplayHeaders.Position.parse(position);
        } catch (IllegalArgumentException notAPosition) {
            other.add(position);
            return;
        }
        Integer topic = topicNumbers.get(p.topic());
        if (topic == null && topicNumbers.size() < 1 << TOPIC_BITS) {
            topic = topicNumbers.size();
            topicNumbers.put(p.topic(), topic);
        }
        if (topic == null || p.partition() >= 1 << PARTITION_BITS || p.offset() >= 1L << OFFSET_BITS) {
            other.add(position);
        } else {
            packed.add((long) topic << (PARTITION_BITS + OFFSET_BITS) | (long) p.partition() << OFFSET_BITS
                    | p.offset());
        }
    }

    long size() {
        return packed.size() + other.size();
    }
}
