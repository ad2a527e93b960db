package dev.truthline.demo;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * When one sink connector is through, from readings taken round after round: its consumers' position has reached the
 * end of every partition of its topics, the ends have not moved since, and after that moment the sink has committed
 * what it read — each of its commit markers changed at least {@code commitsNeeded} times.
 *
 * <p>The markers: for the JDBC sink, each task's {@code offset-commit-completion-total} (Connect commits a task's
 * offsets between two {@code put}s, so one commit completed after the position reached the end means the {@code put}
 * of the last records read has returned, and the JDBC sink writes in {@code put}). For an Iceberg sink, the control
 * topic offsets its coordinator commits at the end of every table commit (group {@code <connect group>-coord}): the
 * commit in progress when the position reached the end may have asked the workers for their files before they read
 * the last records; the one after it started later and takes all they hold. Three, not two: a commit that times
 * out commits what arrived, and a late worker's files go into the next one.
 */
final class SinkThrough {

    /**
     * One round's reading of a sink: the end offset of each partition of its topics, its consumers' positions (what
     * its tasks have read; a partition missing has been read to nowhere known), and its commit markers by name.
     */
    record Reading(Map<TopicPartition, Long> end, Map<TopicPartition, Long> position, Map<String, Long> markers) {
    }

    private final int commitsNeeded;
    private Map<TopicPartition, Long> endAtStart;
    private Map<String, Long> last;
    private Map<String, Integer> changes;

    SinkThrough(int commitsNeeded) {
        this.commitsNeeded = commitsNeeded;
    }

    /** Takes one reading; true once the sink is through (and as long as nothing new arrives). */
    boolean through(Reading r) {
        if (!readToTheEnd(r) || r.markers().isEmpty()) {
            endAtStart = null;
            return false;
        }
        if (endAtStart == null || !endAtStart.equals(r.end()) || !last.keySet().equals(r.markers().keySet())) {
            // From here on (new records arrived, or a task came or went: count again).
            endAtStart = Map.copyOf(r.end());
            last = Map.copyOf(r.markers());
            changes = new HashMap<>();
            return false;
        }
        r.markers().forEach((marker, value) -> {
            if (!value.equals(last.get(marker))) {
                changes.merge(marker, 1, Integer::sum);
            }
        });
        last = Map.copyOf(r.markers());
        return last.keySet().stream().allMatch(m -> changes.getOrDefault(m, 0) >= commitsNeeded);
    }

    /** Whether the position of every partition has reached its end. */
    static boolean readToTheEnd(Reading r) {
        return !r.end().isEmpty() && r.end().entrySet().stream()
                .allMatch(e -> r.position().getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    /**
     * A partition's consumer position from what can be read of it: the log start offset plus the consumer's
     * {@code records-lead} (position minus log start, per partition, from the fetch manager), or the group's committed
     * offset, whichever is further (a task that has not fetched yet reports no lead; what was committed it had read).
     * Null when neither is known, unless the partition is empty (start = end): then its start.
     */
    static Long position(long start, long end, Double lead, Long committed) {
        Long p = lead == null || lead.isNaN() || lead < 0 ? null : start + lead.longValue();
        if (committed != null) {
            p = p == null ? committed : Math.max(p, committed);
        }
        return p == null && start == end ? Long.valueOf(start) : p;
    }
}
