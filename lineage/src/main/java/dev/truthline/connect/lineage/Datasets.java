package dev.truthline.connect.lineage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The datasets a connector reads and writes, named by the OpenLineage naming spec (spec/Naming.md and the
 * website's naming table): a Kafka topic is {@code kafka://{bootstrap host}:{port}} / {@code {topic}}, a PostgreSQL
 * table {@code postgres://{host}:{port}} / {@code {database}.{schema}.{table}}, an Iceberg table by its location
 * ({@code file} / {@code {path}} for a local warehouse, {@code s3://{bucket}} / {@code {key}}), with its catalog
 * identifier as a symlink. Read from the connector's configuration: Debezium PostgreSQL sources, Debezium JDBC
 * sinks to PostgreSQL and Iceberg sinks are understood; any other sink still names its Kafka topics.
 */
final class Datasets {

    static final String POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";
    static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String ICEBERG_SINK = "org.apache.iceberg.connect.IcebergSinkConnector";
    static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$";
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}:]+)(?::[^}]*)?\\}");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?;]+).*");

    /** One dataset: namespace and name, and for Iceberg the catalog identifier. */
    record Dataset(String namespace, String name, String symlinkNamespace, String symlinkName) {
        Dataset(String namespace, String name) {
            this(namespace, name, null, null);
        }
    }

    record Io(List<Dataset> inputs, List<Dataset> outputs) {
        /** Without datasets whose names still hold an unresolved {@code ${…}} reference: no name beats a wrong one. */
        Io withoutUnresolved() {
            return new Io(inputs.stream().filter(d -> !unresolved(d)).toList(),
                    outputs.stream().filter(d -> !unresolved(d)).toList());
        }
    }

    private Datasets() {
    }

    /**
     * @param config the connector's configuration as stored (its {@code ${env:…}} references are resolved here
     *        against this process's environment, as the worker's EnvVarConfigProvider would)
     * @param workerBootstrap the worker's {@code bootstrap.servers}
     */
    static Io of(Map<String, String> config, String workerBootstrap, UnaryOperator<String> env) {
        UnaryOperator<String> get = key -> resolve(config.get(key), env);
        String kafka = kafkaNamespace(firstNonBlank(get.apply("consumer.override.bootstrap.servers"),
                get.apply("producer.override.bootstrap.servers"), workerBootstrap));
        String connectorClass = String.valueOf(config.get("connector.class"));
        List<Dataset> inputs = new ArrayList<>();
        List<Dataset> outputs = new ArrayList<>();
        List<String> topics = list(get.apply("topics"));
        boolean sink = config.containsKey("topics") || config.containsKey("topics.regex");
        if (sink) {
            topics.forEach(t -> inputs.add(new Dataset(kafka, t)));
            if (connectorClass.equals(JDBC_SINK)) {
                Dataset table = jdbcTable(get.apply("connection.url"),
                        firstNonBlank(get.apply("collection.name.format"), get.apply("table.name.format"), "${topic}"));
                for (String topic : topics) {
                    Dataset d = jdbcTable(get.apply("connection.url"), firstNonBlank(get.apply("collection.name.format"),
                            get.apply("table.name.format"), "${topic}").replace("${topic}", topic));
                    if (d != null && !outputs.contains(d)) {
                        outputs.add(d);
                    }
                }
                if (topics.isEmpty() && table != null) {
                    outputs.add(table);
                }
            } else if (connectorClass.equals(ICEBERG_SINK)) {
                for (String table : list(get.apply("iceberg.tables"))) {
                    outputs.add(icebergTable(get.apply("iceberg.catalog.warehouse"), get.apply("iceberg.catalog.uri"),
                            table));
                }
            }
        } else if (connectorClass.equals(POSTGRES_SOURCE)) {
            String pg = "postgres://" + get.apply("database.hostname") + ":"
                    + firstNonBlank(get.apply("database.port"), "5432");
            String db = get.apply("database.dbname");
            for (String table : list(get.apply("table.include.list"))) {
                if (!table.matches("[\\w$]+\\.[\\w$]+")) {
                    continue; // a pattern, not a table: its tables are not known from the config alone
                }
                inputs.add(new Dataset(pg, db + "." + table));
                outputs.add(new Dataset(kafka, route(config, get.apply("topic.prefix") + "." + table)));
            }
        }
        // Where rejected records go: the quarantine topics of ValidateContract and Connect's dead-letter queue.
        for (String alias : list(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            if (String.valueOf(config.get(prefix + "type")).startsWith(VALIDATE)
                    && "quarantine".equalsIgnoreCase(get.apply(prefix + "on.failure"))) {
                String template = firstNonBlank(get.apply(prefix + "quarantine.topic"), "${topic}.quarantine");
                List<Dataset> from = sink ? inputs : outputs;
                for (Dataset d : List.copyOf(from)) {
                    if (d.namespace().equals(kafka)) {
                        add(outputs, new Dataset(kafka, template.replace("${topic}", d.name())));
                    }
                }
            }
        }
        String dlq = get.apply("errors.deadletterqueue.topic.name");
        if (sink && dlq != null && !dlq.isBlank()) {
            add(outputs, new Dataset(kafka, dlq));
        }
        return new Io(List.copyOf(inputs), List.copyOf(outputs)).withoutUnresolved();
    }

    private static void add(List<Dataset> datasets, Dataset d) {
        if (!datasets.contains(d)) {
            datasets.add(d);
        }
    }

    /** Connect's RegexRouter transforms of the connector, applied in order (java.util.regex, as the router does). */
    private static String route(Map<String, String> config, String topic) {
        String routed = topic;
        for (String alias : list(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            if ("org.apache.kafka.connect.transforms.RegexRouter".equals(config.get(prefix + "type"))) {
                Matcher m = Pattern.compile(config.get(prefix + "regex")).matcher(routed);
                if (m.matches()) {
                    routed = m.replaceFirst(config.get(prefix + "replacement"));
                }
            }
        }
        return routed;
    }

    /** kafka://{first bootstrap host}:{port} (Naming: "kafka://{bootstrap server host}:{port}"). */
    static String kafkaNamespace(String bootstrapServers) {
        String first = list(bootstrapServers).stream().findFirst().orElse("unknown:9092");
        first = first.replaceFirst("^[A-Za-z_]+://", "");
        return "kafka://" + first;
    }

    /** postgres://{host}:{port} / {database}.{schema}.{table}; an unqualified table is in the public schema. */
    static Dataset jdbcTable(String jdbcUrl, String table) {
        if (jdbcUrl == null) {
            return null;
        }
        Matcher m = JDBC_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            return null;
        }
        String qualified = table.contains(".") ? table : "public." + table;
        return new Dataset("postgres://" + m.group(1) + ":" + (m.group(2) == null ? "5432" : m.group(2)),
                m.group(3) + "." + qualified);
    }

    /**
     * An Iceberg table by its location: {@code <warehouse>/<namespace path>/<table>}, the default location of the
     * JDBC, REST and Hadoop catalogs; with the catalog's identifier ({@code <catalog uri>} / {@code db.table}) kept as
     * a symlink.
     */
    static Dataset icebergTable(String warehouse, String catalogUri, String table) {
        String w = warehouse == null ? "" : warehouse.replaceAll("/+$", "");
        URI uri = URI.create(w.isEmpty() ? "file:/" : w);
        String path = (uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "")) + "/"
                + table.replace('.', '/');
        String namespace = uri.getScheme() == null || uri.getScheme().equals("file") ? "file"
                : uri.getScheme() + "://" + uri.getAuthority();
        String name = namespace.equals("file") ? path : path.replaceFirst("^/", "");
        return new Dataset(namespace, name, catalogUri == null ? "iceberg" : catalogUri, table);
    }

    static String resolve(String value, UnaryOperator<String> env) {
        if (value == null) {
            return null;
        }
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<String> list(String value) {
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

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static boolean unresolved(Dataset d) {
        String all = d.namespace() + "/" + d.name();
        return all.contains("${") || all.contains("null");
    }
}
