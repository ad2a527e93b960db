package dev.truthline.connect.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.iceberg.connect.IcebergSinkConfig;
import org.apache.iceberg.connect.IcebergSinkConnector;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.truthline.connect.pipeline.ConnectorJson;

/**
 * The base Iceberg configs and the orders pipeline's Iceberg sinks against Apache Iceberg 1.12.0's own config classes:
 * {@link IcebergSinkConnector#validate} (its ConfigDef) and {@link IcebergSinkConfig}, whose constructor also checks
 * what the ConfigDef cannot (catalog properties present, tables named) and derives the catalog, Kafka client and
 * per-table settings the sink runs with.
 */
class IcebergSinkConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {IcebergConfigs.BRONZE, IcebergConfigs.SILVER, IcebergConfigs.QUARANTINE})
    void everyBaseIsAValidIcebergSinkConfig(String file) {
        Map<String, String> config = IcebergConfigs.withPipelineKeys(file, "check").resolveEnv(IcebergConfigs.LOCAL_ENV);

        assertIcebergAccepts(config);
        IcebergSinkConfig sink = new IcebergSinkConfig(config);
        assertThat(sink.catalogName()).isEqualTo("iceberg");
        assertThat(sink.catalogProps())
                .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
                .containsEntry("uri", "jdbc:postgresql://localhost:5432/postgres")
                .containsEntry("jdbc.schema-version", "V1")
                .containsEntry("warehouse", "file:/tmp/truthline/warehouse");
        assertThat(sink.kafkaProps()).containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(sink.commitIntervalMs()).isEqualTo(1000);
        assertThat(sink.commitTimeoutMs()).isEqualTo(5000);
        assertThat(sink.autoCreateEnabled()).isTrue();
        assertThat(sink.evolveSchemaEnabled()).isTrue();
    }

    @Test
    void bronzeAndQuarantineArePartitionedByDayOfTheEventTimeAndSilverIsNot() {
        for (String file : List.of(IcebergConfigs.BRONZE, IcebergConfigs.QUARANTINE)) {
            IcebergSinkConfig sink = new IcebergSinkConfig(
                    IcebergConfigs.withPipelineKeys(file, "check").resolveEnv(IcebergConfigs.LOCAL_ENV));
            assertThat(sink.tableConfig("check.check").partitionBy()).as(file).containsExactly("day(ts_ms)");
        }
        IcebergSinkConfig silver = new IcebergSinkConfig(
                IcebergConfigs.withPipelineKeys(IcebergConfigs.SILVER, "check").resolveEnv(IcebergConfigs.LOCAL_ENV));
        assertThat(silver.tableConfig("check.check").partitionBy()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders-bronze.json", "orders-silver.json", "orders-quarantine.json"})
    void theOrdersIcebergSinksAreValidIcebergSinkConfigs(String file) {
        ConnectorJson orders = ConnectorJson.orders(file);
        Map<String, String> config = orders.with(Map.of("name", orders.name())).resolveEnv(IcebergConfigs.LOCAL_ENV);

        assertIcebergAccepts(config);
        IcebergSinkConfig sink = new IcebergSinkConfig(config);
        assertThat(sink.tables()).hasSize(1);
        assertThat(sink.controlTopic()).isEqualTo("orders.iceberg.control");
        assertThat(sink.connectGroupId()).isEqualTo("connect-" + orders.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bronze", "silver", "quarantine"})
    void theOrdersIcebergSinksKeepEveryBaseDefault(String layer) {
        ConnectorJson base = IcebergConfigs.base("iceberg-" + layer + ".base.json");
        ConnectorJson orders = ConnectorJson.orders("orders-" + layer + ".json");

        base.config().forEach((key, value) ->
                assertThat(orders.config()).as("orders-%s.json keeps the base's %s", layer, key).containsEntry(key, value));
    }

    @Test
    void everyVariableOfThePipelineIsDocumentedInItsReadme() throws IOException {
        String readme = Files.readString(ConnectorJson.ordersDir().resolve("README.md"));
        Set<String> variables = new TreeSet<>();
        for (Path file : jsonFiles(ConnectorJson.ordersDir())) {
            variables.addAll(envReferences(Files.readString(file)));
        }
        for (String base : List.of(IcebergConfigs.BRONZE, IcebergConfigs.SILVER, IcebergConfigs.QUARANTINE)) {
            variables.addAll(IcebergConfigs.base(base).envVariables());
        }

        assertThat(variables).containsAll(IcebergConfigs.LOCAL_ENV.keySet());
        assertThat(IcebergConfigs.LOCAL_ENV.keySet()).containsAll(variables);
        for (String variable : variables) {
            assertThat(readme).as("README.md documents %s", variable).contains("`" + variable + "`");
        }
    }

    @Test
    void everyTopicTheOrdersConnectorsNameIsInTopicsJson() throws IOException {
        Set<String> specified = new TreeSet<>();
        ConnectorJson.JSON.readTree(ConnectorJson.ordersDir().resolve("topics.json").toFile()).path("topics")
                .forEach(topic -> specified.add(topic.path("name").asText()));
        Set<String> named = new TreeSet<>(List.of("orders.events.v1.quarantine")); // the source's ${topic}.quarantine
        for (Path file : jsonFiles(ConnectorJson.ordersDir())) {
            Map<String, String> config = ConnectorJson.read(file).config();
            for (String key : List.of("topics", "errors.deadletterqueue.topic.name", "iceberg.control.topic",
                    "transforms.route.replacement")) {
                if (config.containsKey(key)) {
                    for (String topic : config.get(key).split(",")) {
                        named.add(topic.trim());
                    }
                }
            }
        }

        assertThat(named).hasSize(7);
        assertThat(specified).containsAll(named);
    }

    @Test
    void theAvroOverlaysChangeOnlyConvertersAndNamesOfTheConnectorsTheyShareANameWith() throws IOException {
        Path avro = ConnectorJson.ordersDir().resolve("avro");
        List<Path> overlays = jsonFiles(avro);
        Set<String> allowed = Set.of("key.converter", "key.converter.schema.registry.url", "value.converter",
                "value.converter.schema.registry.url", "schema.name.adjustment.mode", "field.name.adjustment.mode",
                // The dead letters a sink's contract writes itself: in the connector's own converters.
                "transforms.contract.dead.letter.key.converter", "transforms.contract.dead.letter.key.converter.schema.registry.url",
                "transforms.contract.dead.letter.value.converter",
                "transforms.contract.dead.letter.value.converter.schema.registry.url",
                // The window a sink's Deduplicate rebuilds from the log: read with the connector's own converters, or
                // the ids it computes would not match the live records'.
                "transforms.dedupe.rebuild.key.converter", "transforms.dedupe.rebuild.key.converter.schema.registry.url",
                "transforms.dedupe.rebuild.value.converter",
                "transforms.dedupe.rebuild.value.converter.schema.registry.url");

        assertThat(overlays).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("orders-source.json",
                "orders-bronze.json", "orders-silver.json", "orders-quarantine.json", "orders-warehouse.json");
        for (Path overlay : overlays) {
            ConnectorJson avroKeys = ConnectorJson.read(overlay);
            assertThat(avroKeys.name()).isEqualTo(ConnectorJson.orders(overlay.getFileName().toString()).name());
            assertThat(avroKeys.config().keySet()).as(overlay.toString()).isSubsetOf(allowed);
            assertThat(avroKeys.config()).containsEntry("value.converter", "io.confluent.connect.avro.AvroConverter")
                    .containsEntry("value.converter.schema.registry.url", "${env:TRUTHLINE_SCHEMA_REGISTRY_URL}");
            Map<String, String> base = ConnectorJson.orders(overlay.getFileName().toString()).config();
            List<String> ownConverters = new ArrayList<>();
            if ("dead_letter".equals(base.get("transforms.contract.on.failure"))) {
                ownConverters.add("transforms.contract.dead.letter.");
            }
            if (base.containsKey("transforms.dedupe.rebuild.bootstrap.servers")) {
                ownConverters.add("transforms.dedupe.rebuild.");
            }
            for (String prefix : ownConverters) {
                for (String side : List.of("key", "value")) {
                    String converter = prefix + side + ".converter";
                    assertThat(avroKeys.config()).as(overlay.toString())
                            .containsEntry(converter, avroKeys.config().get(side + ".converter"))
                            .containsEntry(converter + ".schema.registry.url",
                                    avroKeys.config().get(side + ".converter.schema.registry.url"));
                }
            }
        }
        assertThat(Files.readString(ConnectorJson.ordersDir().resolve("README.md")))
                .contains("`TRUTHLINE_SCHEMA_REGISTRY_URL`");
    }

    private static void assertIcebergAccepts(Map<String, String> config) {
        List<String> errors = new ArrayList<>();
        for (ConfigValue value : new IcebergSinkConnector().validate(config).configValues()) {
            value.errorMessages().forEach(m -> errors.add(value.name() + ": " + m));
        }
        assertThat(errors).isEmpty();
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString().equals("topics.json"))
                    .sorted().toList();
        }
    }

    private static Set<String> envReferences(String text) {
        Set<String> names = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
