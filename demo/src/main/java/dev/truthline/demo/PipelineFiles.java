package dev.truthline.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;

/**
 * A folder of pipeline files, as {@code connector-configs/orders/} holds them: one JSON file per
 * connector ({@code {"name": …, "config": {…}}}), {@code topics.json} (the topic specs) and a
 * {@code .sql} file (the source table's DDL). Environment-specific values are {@code ${env:NAME}}
 * references: the Connect worker resolves those in connector configs itself (its {@code env} config
 * provider); the demo resolves them only where it reads a value itself (topic specs, table names).
 *
 * <p>The roles the report needs are found from the configs, not from file names: the Debezium
 * PostgreSQL source; the Iceberg sinks named {@code *bronze*}, {@code *silver*}, {@code *quarantine*};
 * the Debezium JDBC sink (the warehouse).
 */
final class PipelineFiles {

    static final String POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";
    static final String ICEBERG_SINK = "org.apache.iceberg.connect.IcebergSinkConnector";
    static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";
    static final String VALIDATE_CONTRACT_PREFIX = "dev.truthline.connect.validation.ValidateContract";

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    private static final Pattern VIEW = Pattern.compile("(?i)CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+([A-Za-z0-9_.]+)");

    /** One connector file. */
    record Connector(String name, Map<String, String> config, Path file) {
        String connectorClass() {
            return config.getOrDefault("connector.class", "");
        }

        /** The consumer group Connect gives this connector's sink tasks. */
        String consumerGroup() {
            return "connect-" + name;
        }

        boolean named(String part) {
            return name.toLowerCase(java.util.Locale.ROOT).contains(part);
        }

        List<String> list(String key) {
            String value = config.get(key);
            return value == null || value.isBlank() ? List.of()
                    : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        /** Aliases of the transforms of this type (the prefix of the class name). */
        List<String> transformsOfType(String typePrefix) {
            return list("transforms").stream()
                    .filter(alias -> config.getOrDefault("transforms." + alias + ".type", "").startsWith(typePrefix))
                    .toList();
        }
    }

    /** One topic of topics.json. */
    record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    }

    private final Path dir;
    private final List<Connector> connectors;
    private final List<TopicSpec> topics;
    private final String ddl;
    private final Set<String> envReferences;

    private PipelineFiles(Path dir, List<Connector> connectors, List<TopicSpec> topics, String ddl,
            Set<String> envReferences) {
        this.dir = dir;
        this.connectors = connectors;
        this.topics = topics;
        this.ddl = ddl;
        this.envReferences = envReferences;
    }

    /** Reads the folder; topic specs are resolved against {@code env}. */
    static PipelineFiles load(Path dir, Map<String, String> env) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No such folder of connector files: " + dir);
        }
        List<Connector> connectors = new ArrayList<>();
        List<TopicSpec> topics = new ArrayList<>();
        StringBuilder ddl = new StringBuilder();
        Set<String> references = new TreeSet<>();
        for (Path file : files(dir)) {
            String name = file.getFileName().toString();
            String text = read(file);
            if (name.endsWith(".sql")) {
                ddl.append(text).append('\n');
                continue;
            }
            if (!name.endsWith(".json")) {
                continue;
            }
            Matcher m = ENV.matcher(text);
            while (m.find()) {
                references.add(m.group(1));
            }
            JsonNode root = parse(file, text);
            if (root.has("config") && root.path("config").has("connector.class")) {
                Map<String, String> config = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = root.path("config").fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    config.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText()
                            : field.getValue().toString());
                }
                String connectorName = root.path("name").asText(name.substring(0, name.length() - ".json".length()));
                connectors.add(new Connector(connectorName, config, file));
            } else if (name.startsWith("topics")) {
                topics.addAll(topicSpecs(file, root, env));
            }
        }
        if (connectors.isEmpty()) {
            throw new IllegalArgumentException("No connector file ({\"name\": …, \"config\": {…}}) in " + dir);
        }
        return new PipelineFiles(dir, List.copyOf(connectors), List.copyOf(topics), ddl.toString(), references);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(Path file, String text) {
        try {
            return ConnectRest.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** {@code [{…}]} or {@code {"topics": [{…}]}}; each with name, partitions, replication factor and configs. */
    static List<TopicSpec> topicSpecs(Path file, JsonNode root, Map<String, String> env) {
        JsonNode list = root.isArray() ? root : root.path("topics");
        List<TopicSpec> specs = new ArrayList<>();
        for (JsonNode t : list) {
            String name = resolve(t.path("name").asText(), env);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(file + ": a topic without a name: " + t);
            }
            int partitions = Integer.parseInt(resolve(text(t, "1", "partitions", "num.partitions"), env));
            short replication = Short.parseShort(resolve(text(t, "1", "replication.factor", "replicationFactor",
                    "replication_factor"), env));
            Map<String, String> configs = new LinkedHashMap<>();
            JsonNode c = t.has("config") ? t.get("config") : t.path("configs");
            c.fields().forEachRemaining(e -> configs.put(e.getKey(), resolve(e.getValue().asText(), env)));
            specs.add(new TopicSpec(name, partitions, replication, configs));
        }
        return specs;
    }

    private static String text(JsonNode node, String fallback, String... names) {
        for (String n : names) {
            if (node.has(n)) {
                return node.get(n).asText();
            }
        }
        return fallback;
    }

    /** Replaces every {@code ${env:NAME}}; fails on a name {@code env} lacks. */
    static String resolve(String value, Map<String, String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("No value for ${env:" + m.group(1) + "} in " + value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    Path dir() {
        return dir;
    }

    List<Connector> connectors() {
        return connectors;
    }

    List<TopicSpec> topics() {
        return topics;
    }

    String ddl() {
        return ddl;
    }

    /**
     * The warehouse's own DDL ({@code warehouse/*.sql}: the holds table and the stale-row view), run against the
     * warehouse database once the current table exists; empty when the folder has none.
     */
    String warehouseDdl() {
        Path warehouse = dir.resolve("warehouse");
        if (!Files.isDirectory(warehouse)) {
            return "";
        }
        StringBuilder sql = new StringBuilder();
        for (Path file : files(warehouse)) {
            if (file.getFileName().toString().endsWith(".sql")) {
                sql.append(read(file)).append('\n');
            }
        }
        return sql.toString();
    }

    /** The views the warehouse DDL creates ({@code CREATE [OR REPLACE] VIEW name}). */
    List<String> warehouseViews() {
        List<String> views = new ArrayList<>();
        Matcher m = VIEW.matcher(warehouseDdl());
        while (m.find()) {
            views.add(m.group(1));
        }
        return views;
    }

    /** Every {@code ${env:NAME}} the files use. */
    Set<String> envReferences() {
        return envReferences;
    }

    /** Every connector but the PostgreSQL source: the sinks. */
    List<Connector> sinks() {
        return connectors.stream().filter(c -> !c.connectorClass().equals(POSTGRES_SOURCE)).toList();
    }

    Connector source() {
        return connectors.stream().filter(c -> c.connectorClass().equals(POSTGRES_SOURCE)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No Debezium PostgreSQL source among the files in " + dir));
    }

    Optional<Connector> icebergSink(String role) {
        return connectors.stream().filter(c -> c.connectorClass().equals(ICEBERG_SINK) && c.named(role)).findFirst();
    }

    Connector silver() {
        return icebergSink("silver").orElseThrow(() -> new IllegalArgumentException(
                "No Iceberg sink named *silver* among the files in " + dir));
    }

    /** The JDBC sink of the change topic (the current-state table; the holds sink reads other topics). */
    Optional<Connector> warehouse() {
        return connectors.stream().filter(c -> c.connectorClass().equals(JDBC_SINK)
                && c.list("topics").equals(List.of(changeTopic()))).findFirst();
    }

    /** The change topic: what the silver sink reads. */
    String changeTopic() {
        return silver().list("topics").get(0);
    }

    /** The quarantine topic: what the quarantine sink reads, else the source contract's default. */
    String quarantineTopic(Map<String, String> env) {
        Optional<Connector> sink = icebergSink("quarantine");
        if (sink.isPresent() && !sink.get().list("topics").isEmpty()) {
            return sink.get().list("topics").get(0);
        }
        Connector source = source();
        for (String alias : source.transformsOfType(VALIDATE_CONTRACT_PREFIX)) {
            String template = source.config().get("transforms." + alias + ".quarantine.topic");
            if (template != null) {
                return resolve(template, env).replace("${topic}", changeTopic());
            }
        }
        return changeTopic() + ".quarantine";
    }

    /** The silver sink's dead-letter topic, if it has one. */
    Optional<String> silverDeadLetterTopic(Map<String, String> env) {
        return Optional.ofNullable(silver().config().get("errors.deadletterqueue.topic.name")).map(t -> resolve(t, env));
    }

    /** The first table of an Iceberg sink ({@code iceberg.tables}). */
    static String icebergTable(Connector sink, Map<String, String> env) {
        return resolve(sink.list("iceberg.tables").get(0), env);
    }

    /** The Iceberg catalog settings of a sink ({@code iceberg.catalog.*} without the prefix), resolved. */
    static Map<String, String> catalogProperties(Connector sink, Map<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        sink.config().forEach((k, v) -> {
            if (k.startsWith("iceberg.catalog.")) {
                props.put(k.substring("iceberg.catalog.".length()), resolve(v, env));
            }
        });
        return props;
    }
}
