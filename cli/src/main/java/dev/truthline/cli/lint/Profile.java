package dev.truthline.cli.lint;

/**
 * The thresholds a connector is held to. {@code production} is a reviewer's bar for a cluster that
 * must not lose data; {@code local} lets a one-broker development setup through (replication 1,
 * plain-text passwords of a throw-away database) while still failing silent loss.
 */
public enum Profile {
    PRODUCTION(3, 2, true),
    LOCAL(1, 1, false);

    /** Lowest replication factor of a topic the connector creates (and of its dead-letter queue). */
    final int minReplicationFactor;
    /** Lowest min.insync.replicas of a topic the connector creates. */
    final int minInsyncReplicas;
    /** Whether durability and hygiene rules are errors (production) or warnings (local). */
    final boolean strict;

    Profile(int minReplicationFactor, int minInsyncReplicas, boolean strict) {
        this.minReplicationFactor = minReplicationFactor;
        this.minInsyncReplicas = minInsyncReplicas;
        this.strict = strict;
    }

    /** ERROR in production, WARNING in local. */
    Severity strictly() {
        return strict ? Severity.ERROR : Severity.WARNING;
    }
}
