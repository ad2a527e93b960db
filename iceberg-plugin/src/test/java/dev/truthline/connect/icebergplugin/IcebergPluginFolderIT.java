package dev.truthline.connect.icebergplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        Run list = Run.of("list", "list", "--plugin-location", DIR.toString());
        assertThat(list.exitCode).as(list.err).isZero();
        listOutput = list.out;
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
        Run sync = Run.of("sync-manifests-dry-run", "sync-manifests", "--dry-run", "--plugin-location", DIR.toString());
        assertThat(sync.exitCode).as(sync.err).isZero();
        assertThat(sync.out).contains("No changes required.");
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

    /** One run of the tool in its own JVM, as {@code bin/connect-plugin-path.sh} runs it. */
    private record Run(int exitCode, String out, String err) {

        static Run of(String name, String... args) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("iceberg.plugin-path-tool.classpath"),
                    "org.apache.kafka.tools.ConnectPluginPath"));
            command.addAll(List.of(args));
            try {
                Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
                Path out = dir.resolve("connect-plugin-path-" + name + ".out");
                Path err = dir.resolve("connect-plugin-path-" + name + ".err");
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("connect-plugin-path did not finish in 2 minutes: " + command);
                }
                return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Rows of the table (header, then one row per plugin, up to the first empty line), by plugin class name. */
        Map<String, Map<String, String>> rowsByPlugin() {
            List<String[]> table = new ArrayList<>();
            for (String line : out.split("\\R")) {
                if (line.isEmpty()) {
                    break;
                }
                table.add(line.split("\t", -1));
            }
            String[] columns = table.get(0);
            Map<String, Map<String, String>> byPlugin = new LinkedHashMap<>();
            for (String[] cells : table.subList(1, table.size())) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.length && i < cells.length; i++) {
                    row.put(columns[i], cells[i]);
                }
                byPlugin.put(cells[0], row);
            }
            return byPlugin;
        }
    }
}
