package dev.truthline.cli.contracts;

/**
 * Which way a contract change must stay compatible, in schema-registry terms. A check runs in one or
 * both {@link Direction}s.
 */
public enum Compatibility {
    /** Consumers on the new contract can read everything written under the old one. */
    BACKWARD(Direction.NEW_READS_OLD),
    /** Consumers still on the old contract can read everything written under the new one. */
    FORWARD(Direction.OLD_READS_NEW),
    /** Both. */
    FULL(Direction.NEW_READS_OLD, Direction.OLD_READS_NEW);

    /** Who reads data written under which version. */
    public enum Direction {
        NEW_READS_OLD("BACKWARD", "the new contract reading data written under the old one"),
        OLD_READS_NEW("FORWARD", "the old contract reading data written under the new one");

        public final String label;
        public final String meaning;

        Direction(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }
    }

    public final Direction[] directions;

    Compatibility(Direction... directions) {
        this.directions = directions;
    }
}
