package dev.truthline.connect.core;

/**
 * The headers {@code truthline replay} writes on a record it sends back into the pipeline (docs/replay.md), and the
 * {@code topic/partition/offset} form their positions take (the same as Deduplicate's {@code dq.duplicate.of}).
 */
public final class ReplayHeaders {

    /** The captured event the record replays: {@code <topic>/<partition>/<offset>}. */
    public static final String OF = "truthline.replay.of";
    /** The replay run's id. */
    public static final String ID = "truthline.replay.id";
    /** Who ran the replay. */
    public static final String OPERATOR = "truthline.replay.operator";
    /** The defect cause id the record was selected under. */
    public static final String CAUSE = "truthline.replay.cause";

    private ReplayHeaders() {
    }

    /** A record's position, written {@code topic/partition/offset}. */
    public record Position(String topic, int partition, long offset) {

        /**
         * Reads {@code topic/partition/offset}, splitting on the last two '/' (a Kafka topic name has none, but the
         * form does not depend on it).
         *
         * @throws IllegalArgumentException when the text is not of that form
         */
        public static Position parse(String text) {
            int last = text.lastIndexOf('/');
            int middle = last <= 0 ? -1 : text.lastIndexOf('/', last - 1);
            if (middle <= 0) {
                throw new IllegalArgumentException("not topic/partition/offset: " + text);
            }
            try {
                return new Position(text.substring(0, middle), Integer.parseInt(text.substring(middle + 1, last)),
                        Long.parseLong(text.substring(last + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not topic/partition/offset: " + text, e);
            }
        }

        /** {@code topic/partition/offset}. */
        public String format() {
            return topic + "/" + partition + "/" + offset;
        }

        @Override
        public String toString() {
            return format();
        }
    }
}
