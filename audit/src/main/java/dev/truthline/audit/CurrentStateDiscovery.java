package dev.truthline.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds what a current-state reconciliation compares, from the pipeline's connector configs and what the operator
 * gives ({@code --source-*}, {@code --current-*}; each may hold {@code ${env:…}} references, resolved like the
 * configs):
 * <ul>
 * <li>the <b>current table</b>: the JDBC sink (Debezium's {@code JdbcSinkConnector}) of the change topic — its
 * {@code connection.url}, {@code connection.username}/{@code password} and {@code collection.name.format} (or
 * {@code table.name.format}) with {@code ${topic}} filled in; its dead-letter queue explains rows it rejected;</li>
 * <li>the <b>source table</b>: the Debezium PostgreSQL source — {@code jdbc:postgresql://database.hostname:port/dbname},
 * {@code database.user}/{@code password}, and its one {@code table.include.list} entry.</li>
 * </ul>
 */
public final class CurrentStateDiscovery {

    static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";
    /** {@code ExtractNewRecordState add.fields=source.lsn}: the current row's source position. */
    public static final String DEFAULT_LSN_COLUMN = "__source_lsn";
    static final String PROTECT_FIELDS = "dev.truthline.connect.privacy.ProtectFields";

    private CurrentStateDiscovery() {
    }

    /** What the operator gave; null for what discovery should find. */
    public record Given(String sourceJdbc, String sourceTable, String sourceUser, String sourcePassword,
            String currentJdbc, String currentTable, String currentUser, String currentPassword, String lsnColumn) {
    }

    public static ReconcilePlan discover(Map<String, Map<String, String>> connectors, ConfigValues values,
            String changeTopic, Given given) throws CannotJudgeException {
        Map<String, Map<String, String>> resolved = new LinkedHashMap<>();
        connectors.forEach((name, config) -> resolved.put(name, values.resolve(config)));
        Map<String, String> g = new LinkedHashMap<>();
        put(g, "sourceJdbc", given.sourceJdbc());
        put(g, "sourceTable", given.sourceTable());
        put(g, "sourceUser", given.sourceUser());
        put(g, "sourcePassword", given.sourcePassword());
        put(g, "currentJdbc", given.currentJdbc());
        put(g, "currentTable", given.currentTable());
        put(g, "currentUser", given.currentUser());
        put(g, "currentPassword", given.currentPassword());
        g = values.resolve(g);

        String sinkName = null;
        Map<String, String> sink = Map.of();
        for (Map.Entry<String, Map<String, String>> e : resolved.entrySet()) {
            if (JDBC_SINK.equals(e.getValue().get("connector.class"))
                    && changeTopic.equals(e.getValue().getOrDefault("topics", "").trim())) {
                sinkName = e.getKey();
                sink = e.getValue();
            }
        }
        Map<String, String> source = Map.of();
        for (Map<String, String> c : resolved.values()) {
            if (POSTGRES_SOURCE.equals(c.get("connector.class"))) {
                source = c;
            }
        }
        List<String> missing = new ArrayList<>();
        String currentTable = g.containsKey("currentTable") ? g.get("currentTable") : currentTable(sink, changeTopic);
        ReconcilePlan.Table current = new ReconcilePlan.Table(
                required(g, "currentJdbc", sink.get("connection.url"), "--current-jdbc", missing),
                g.getOrDefault("currentUser", sink.get("connection.username")),
                g.getOrDefault("currentPassword", sink.get("connection.password")),
                required(g, "currentTable", currentTable, "--current-table", missing));
        ReconcilePlan.Table src = new ReconcilePlan.Table(
                required(g, "sourceJdbc", sourceUrl(source), "--source-jdbc", missing),
                g.getOrDefault("sourceUser", source.get("database.user")),
                g.getOrDefault("sourcePassword", source.get("database.password")),
                required(g, "sourceTable", sourceTable(source), "--source-table", missing));
        for (String v : new String[] {current.user(), current.password(), src.user(), src.password()}) {
            if (ConfigValues.unresolved(v)) {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            throw new CannotJudgeException("the reconciliation needs values it was not given (--env-file, or the "
                    + "options): " + String.join(", ", missing));
        }
        String dlq = sink.get("errors.deadletterqueue.topic.name");
        return new ReconcilePlan(src, current, sinkName == null ? "current-table sink" : sinkName,
                dlq == null || dlq.isBlank() ? null : dlq.trim(),
                given.lsnColumn() == null ? DEFAULT_LSN_COLUMN : given.lsnColumn(), protectedColumns(source));
    }

    /**
     * The columns the source connector's ProtectFields transforms rewrite ({@code rules.<rule>.fields}: {@code
     * after.email}, {@code before.email} or a bare name), by their row-image column name.
     */
    static Set<String> protectedColumns(Map<String, String> source) {
        Set<String> columns = new TreeSet<>();
        for (Map<String, String> transform : ConnectorDiscovery.transforms(source)) {
            if (!transform.getOrDefault("type", "").startsWith(PROTECT_FIELDS)) {
                continue;
            }
            for (String rule : list(transform.get("rules"))) {
                for (String field : list(transform.get("rules." + rule + ".fields"))) {
                    String column = field.startsWith("after.") || field.startsWith("before.")
                            ? field.substring(field.indexOf('.') + 1) : field;
                    if (!column.contains(".")) {
                        columns.add(column);
                    }
                }
            }
        }
        return columns;
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String required(Map<String, String> given, String key, String discovered, String option,
            List<String> missing) {
        String v = given.getOrDefault(key, discovered);
        if (v == null || v.isBlank() || ConfigValues.unresolved(v)) {
            missing.add(option + (v == null ? "" : " (" + v + ")"));
        }
        return v;
    }

    /** The sink's table name format with the topic filled in; null when it needs more than the topic. */
    static String currentTable(Map<String, String> sink, String topic) {
        String format = sink.getOrDefault("collection.name.format", sink.get("table.name.format"));
        if (sink.isEmpty()) {
            return null;
        }
        String name = (format == null ? "${topic}" : format).replace("${topic}", topic);
        return name.contains("${") ? null : name;
    }

    static String sourceUrl(Map<String, String> source) {
        String host = source.get("database.hostname");
        String db = source.get("database.dbname");
        if (host == null || db == null) {
            return null;
        }
        return "jdbc:postgresql://" + host + ":" + source.getOrDefault("database.port", "5432") + "/" + db;
    }

    /** The source's one captured table ({@code table.include.list}, a regex: {@code public\.orders}). */
    static String sourceTable(Map<String, String> source) {
        String list = source.get("table.include.list");
        if (list == null || list.isBlank() || list.contains(",")) {
            return null;
        }
        String table = list.trim().replace("\\.", ".");
        return table.matches("[A-Za-z0-9_.]+") ? table : null;
    }
}
