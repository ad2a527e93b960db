package dev.truthline.audit;

/** Where one captured change event ended; every event gets exactly one. */
public enum Fate {
    /** A row of the landing table (silver) carries the event's Kafka position. */
    LANDED,
    /** A source-quarantine event that is a row of the quarantine table, with the rules it broke. */
    QUARANTINED,
    /** A dead-letter record of the sink names the event's position in its {@code __connect.errors.*} headers. */
    DEAD_LETTERED,
    /** Not landed itself, but the same change (same {@code ChangeIdentity}) landed at another position. */
    DUPLICATE,
    /** None of the above: the pipeline lost it, or something outside the pipeline removed it. */
    UNEXPLAINED;

    /** The name in reports and in the fates table: {@code dead_lettered}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
