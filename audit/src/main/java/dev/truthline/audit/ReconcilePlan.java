package dev.truthline.audit;

/**
 * What a current-state reconciliation compares: the source table (the captured database) and the current table (the
 * upsert sink's), each through JDBC, by the source table's primary key; and what explains a difference: the changes
 * of a key the source quarantined, and those the current table's sink dead-lettered.
 *
 * @param source              the captured table
 * @param current             the current-state table
 * @param currentConnector    the sink that writes the current table (names its dead letters in the report)
 * @param currentDeadLetters  that sink's dead-letter queue, or null when it has none
 * @param lsnColumn           the current table's column holding the source position of the change that wrote the
 *                            row ({@code __source_lsn}: {@code ExtractNewRecordState add.fields=source.lsn})
 * @param notCompared         source columns the pipeline protects before they leave the source (ProtectFields on the
 *                            source connector: a token or ciphertext in the current table can never equal the
 *                            clear value), left out of the comparison and named in the report
 */
public record ReconcilePlan(Table source, Table current, String currentConnector, String currentDeadLetters,
        String lsnColumn, java.util.Set<String> notCompared) {

    /** A table in a database reached through JDBC. */
    public record Table(String jdbcUrl, String user, String password, String table) {
        @Override
        public String toString() {
            return table + " at " + jdbcUrl;
        }
    }
}
