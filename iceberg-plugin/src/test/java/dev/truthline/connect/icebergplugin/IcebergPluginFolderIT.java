package dev.truthline.connect.icebergplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.harness.ConnectPluginPathRun;

/**
 * The assembled Iceberg plugin folder, read by Kafka's own plugin-path tool ({@code bin/connect-plugin-path.sh}, class
 * {@code ConnectPluginPath}) the way a worker would scan it: the sink connector and Iceberg's transforms are loadable,
 * with their versions, and every plugin in the folder is listed in a {@code META-INF/services} manifest, so workers can
 * run with {@code plugin.discovery=service_load} (and {@code hybrid_fail}, the default, does not stop them).
 */
class IcebergPluginFolderIT {

    private static final Path DIR = Path.of(System.getProperty("iceberg.plugin.dir"));
    private static final Path ZIP = Path.of(System.getProperty("iceberg.plugin.zip"));
    private static final String VERSION = System.getProperty("iceberg.version");
    private static final String CONNECTOR = "org.apache.iceberg.connect.IcebergSinkConnector";
    private static final String KAFKA_METADATA = "org.apache.iceberg.connect.transforms.KafkaMetadataTransform";

    private static Map<String, Map<String, String>> rows;
    private static String listOutput;

    @BeforeAll
    static void listPlugins() {
        ConnectPluginPathRun list = run("list", "list", "--plugin-location", DIR.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        listOutput = list.out();
        rows = list.rowsByPlugin();
    }

    @Test
    void theSinkConnectorAndKafkaMetadataTransformAreLoadableWithManifests() {
        assertThat(rows).containsKeys(CONNECTOR, KAFKA_METADATA);
        assertThat(rows.get(CONNECTOR))
                .containsEntry("pluginType", "sink")
                .containsEntry("pluginVersion", VERSION)
                .containsEntry("isLoadable", "true")
                .containsEntry("hasManifest", "true");
        assertThat(rows.get(KAFKA_METADATA))
                .containsEntry("pluginType", "transformation")
                .containsEntry("isLoadable", "true")
                .containsEntry("hasManifest", "true");
    }

    @Test
    void everyPluginInTheFolderHasAManifestSoServiceLoadDiscoveryFindsThemAll() {
        assertThat(rows.values()).as(listOutput).allSatisfy(row -> assertThat(row)
                .containsEntry("isLoadable", "true")
                .containsEntry("hasManifest", "true"));
        ConnectPluginPathRun sync = run("sync-manifests-dry-run", "sync-manifests", "--dry-run", "--plugin-location", DIR.toString());
        assertThat(sync.exitCode()).as(sync.err()).isZero();
        assertThat(sync.out()).contains("No changes required.");
    }

    @Test
    void theFolderHoldsNothingTheWorkerProvides() throws IOException {
        Set<String> jars = jarNames(DIR);
        assertThat(jars).contains("iceberg-kafka-connect-" + VERSION + ".jar",
                "iceberg-kafka-connect-transforms-" + VERSION + ".jar", "iceberg-parquet-" + VERSION + ".jar",
                "hadoop-client-api-3.4.3.jar", "hadoop-client-runtime-3.4.3.jar")
                .anyMatch(n -> n.startsWith("postgresql-"))
                .noneMatch(n -> n.startsWith("kafka-") || n.startsWith("connect-") || n.startsWith("slf4j-")
                        || n.startsWith("log4j-"));
    }

    @Test
    void theZipHoldsTheFolderUnderOneTopFolder() throws IOException {
        Set<String> entries = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.add(e.getName()));
        }
        Set<String> expected = new TreeSet<>();
        jarNames(DIR).forEach(n -> expected.add("iceberg-kafka-connect/" + n));
        assertThat(entries).isEqualTo(expected);
    }

    private static Set<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    private static ConnectPluginPathRun run(String name, String... args) {
        return ConnectPluginPathRun.of(System.getProperty("iceberg.plugin-path-tool.classpath"), name, args);
    }
}
