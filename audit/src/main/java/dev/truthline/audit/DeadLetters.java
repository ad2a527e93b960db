package dev.truthline.audit;

import java.sql.SQLException;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.duckdb.DuckDBAppender;

/**
 * Fills {@code dead_letters} from a sink's dead-letter queue: each record names the record it failed by Connect's
 * context headers ({@code errors.deadletterqueue.context.headers.enable=true}), and its reason is the exception
 * message there. A record without those headers cannot be tied to an event and is counted as such.
 */
public final class DeadLetters {

    /** Connect's context headers on a dead letter ({@code errors.deadletterqueue.context.headers.enable=true}). */
    public static final String TOPIC = "__connect.errors.topic";
    public static final String PARTITION = "__connect.errors.partition";
    public static final String OFFSET = "__connect.errors.offset";
    public static final String MESSAGE = "__connect.errors.exception.message";
    public static final String EXCEPTION = "__connect.errors.exception.class.name";
    public static final String STAGE = "__connect.errors.stage";
    public static final String CLASS_NAME = "__connect.errors.class.name";

    private DeadLetters() {
    }

    /**
     * Reads the ranges of a dead-letter topic of {@code connector}.
     *
     * @return {records read, records without context headers}
     */
    public static long[] load(AuditDatabase db, TopicRanges topics, Map<TopicPartition, TopicRanges.Range> ranges,
            String connector) throws SQLException {
        return load(db, topics, ranges, connector, AuditDatabase.DEAD_LETTERS);
    }

    /** As {@link #load(AuditDatabase, TopicRanges, Map, String)}, into {@code table} (same layout). */
    static long[] load(AuditDatabase db, TopicRanges topics, Map<TopicPartition, TopicRanges.Range> ranges,
            String connector, String table) throws SQLException {
        long[] counts = {0, 0};
        try (DuckDBAppender a = db.appender(table)) {
            topics.read(ranges, r -> {
                counts[0]++;
                String topic = header(r, TOPIC);
                String partition = header(r, PARTITION);
                String offset = header(r, OFFSET);
                if (topic == null || partition == null || offset == null) {
                    counts[1]++;
                    return;
                }
                String reason = header(r, MESSAGE);
                if (reason == null) {
                    reason = header(r, EXCEPTION);
                }
                try {
                    a.beginRow().append(connector).append(topic).append(Integer.parseInt(partition))
                            .append(Long.parseLong(offset));
                    if (reason == null) {
                        a.appendNull();
                    } else {
                        a.append(reason);
                    }
                    a.endRow();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
        return counts;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return CapturedEvents.header(r, name);
    }
}
