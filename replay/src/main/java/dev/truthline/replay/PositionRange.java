package dev.truthline.replay;

import dev.truthline.audit.OptionException;
import dev.truthline.connect.core.ReplayHeaders.Position;

/**
 * A {@code --position}: {@code topic/partition/offset} or {@code topic/partition/first-last} (both inclusive).
 */
record PositionRange(String topic, int partition, long first, long last) {

    static PositionRange parse(String text) {
        int last = text.lastIndexOf('/');
        String offsets = last < 0 ? "" : text.substring(last + 1);
        int dash = offsets.indexOf('-', 1);
        try {
            if (dash < 0) {
                Position p = Position.parse(text);
                return new PositionRange(p.topic(), p.partition(), p.offset(), p.offset());
            }
            Position p = Position.parse(text.substring(0, last + 1 + dash));
            long to = Long.parseLong(offsets.substring(dash + 1));
            if (to < p.offset()) {
                throw new OptionException("--position", "the range ends before it starts: " + text);
            }
            return new PositionRange(p.topic(), p.partition(), p.offset(), to);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--position", "topic/partition/offset or topic/partition/first-last, not "
                    + text);
        }
    }

    boolean contains(Position p) {
        return p != null && topic.equals(p.topic()) && partition == p.partition() && p.offset() >= first
                && p.offset() <= last;
    }
}
