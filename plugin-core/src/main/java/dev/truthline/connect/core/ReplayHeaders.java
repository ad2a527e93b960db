package dev.truthline.connect.core;

/**
 * The headers a record written back by {@code truthline replay} carries, and the position format of
 * {@link #OF}. The names are public: Deduplicate, the audit, triage and the replay tool read and write
 * them, and users filter on them.
 */
public final class ReplayHeaders {

    /**
     * Where the replayed record was captured, as {@code <topic>/<partition>/<offset>} (the format of
     * Deduplicate's {@code dq.duplicate.of}): for a source-quarantine record its position in the
     * quarantine topic; for a sink dead letter the input position its Connect error headers name.
     */
    public static final String OF = "truthline.replay.of";
    /** The replay run's id ({@code --replay-id}). */
    public static final String ID = "truthline.replay.id";
    /** Who ran the replay ({@code --operator}). */
    public static final String OPERATOR = "truthline.replay.operator";
    /** The id of the defect cause the record was selected under. */
    public static final String CAUSE = "truthline.replay.cause";

    private ReplayHeaders() {
    }

    /**
     * A record's position in Kafka, written {@code <topic>/<partition>/<offset>}.
     *
     * @param topic     the topic, not empty
     * @param partition the partition, at least 0
     * @param offset    the offset, at least 0
     */
    public record Position(String topic, int partition, long offset) {

        public Position {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalArgumentException("a position needs a topic");
            }
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException("a position's partition and offset are at least 0");
            }
        }

        /**
         * Reads {@code <topic>/<partition>/<offset>}. Kafka topic names cannot hold '/', but the text is
         * split on its last two so that one that did would still read back as written.
         *
         * @throws IllegalArgumentException when {@code text} is not of that form (partition and offset
         *                                  plain decimal digits); the message does not repeat the text
         */
        public static Position parse(String text) {
            if (text == null) {
                throw new IllegalArgumentException("no position");
            }
            int second = text.lastIndexOf('/');
            int first = second <= 0 ? -1 : text.lastIndexOf('/', second - 1);
            if (first <= 0) {
                throw new IllegalArgumentException("a position is written topic/partition/offset");
            }
            String partition = text.substring(first + 1, second);
            String offset = text.substring(second + 1);
            if (!digits(partition, 10) || !digits(offset, 19)) {
                throw new IllegalArgumentException("a position's partition and offset are decimal numbers");
            }
            try {
                return new Position(text.substring(0, first), Integer.parseInt(partition), Long.parseLong(offset));
            } catch (NumberFormatException tooLarge) {
                throw new IllegalArgumentException("a position's partition or offset is out of range");
            }
        }

        private static boolean digits(String s, int maxLength) {
            if (s.isEmpty() || s.length() > maxLength) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }

        /** {@code <topic>/<partition>/<offset>}, as {@link #parse} reads it. */
        @Override
        public String toString() {
            return topic + "/" + partition + "/" + offset;
        }
    }
}
