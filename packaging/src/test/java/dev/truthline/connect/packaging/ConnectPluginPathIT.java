package dev.truthline.connect.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own plugin-path tool ({@code bin/connect-plugin-path.sh}, class {@code ConnectPluginPath}) on the plugin
 * directory: what a worker would load from it, and whether {@code plugin.discovery=service_load} finds every plugin
 * through its {@code META-INF/services} manifest. The tool scans reflectively too, so a plugin class missing from
 * the manifests shows up as a row with {@code hasManifest=false}. Kafka 4.3's tool has two commands, {@code list}
 * and {@code sync-manifests}; {@code sync-manifests --dry-run} is its lint: it reports the manifest changes a
 * plugin needs, or "No changes required.".
 */
class ConnectPluginPathIT {

    private static final List<String> TRUTHLINE_TRANSFORMS = List.of(
            "dev.truthline.connect.validation.ValidateContract$Value",
            "dev.truthline.connect.validation.ValidateContract$Key",
            "dev.truthline.connect.dedupe.Deduplicate");

    private static Run list;

    @BeforeAll
    static void listPlugins() {
        list = Run.of("list", "list", "--plugin-location", PackagedPlugin.pluginDir().toString());
    }

    @Test
    void listSucceeds() {
        assertThat(list.exitCode).as(list.err).isZero();
        assertThat(list.err).isEmpty();
        assertThat(list.header()).containsExactly(
                "pluginName", "firstAlias", "secondAlias", "pluginVersion", "pluginType", "isLoadable", "hasManifest",
                "pluginLocation");
    }

    @Test
    void everyTruthlineTransformIsLoadableWithItsVersionAndManifest() {
        Map<String, Map<String, String>> rows = list.rowsByPlugin();

        assertThat(rows.keySet()).containsAll(TRUTHLINE_TRANSFORMS);
        for (String transform : TRUTHLINE_TRANSFORMS) {
            Map<String, String> row = rows.get(transform);
            assertThat(row).as(transform)
                    .containsEntry("pluginType", "transformation")
                    .containsEntry("pluginVersion", PackagedPlugin.version())
                    .containsEntry("isLoadable", "true")
                    .containsEntry("hasManifest", "true")
                    .containsEntry("pluginLocation", PackagedPlugin.pluginDir().toString());
        }
    }

    @Test
    void everyPluginInTheDirectoryIsLoadableAndListedInItsManifest() {
        Map<String, Map<String, String>> rows = list.rowsByPlugin();

        // Truthline's transforms, and nothing from the bundled third-party jars.
        assertThat(rows.keySet()).allMatch(name -> name.startsWith("dev.truthline."));
        assertThat(rows.values()).allSatisfy(row -> assertThat(row)
                .containsEntry("isLoadable", "true")
                .containsEntry("hasManifest", "true")
                .containsEntry("pluginVersion", PackagedPlugin.version()));
        // Only transforms so far: a new Transformation class without a services entry would show up here.
        assertThat(rows.keySet().stream().filter(name -> rows.get(name).get("pluginType").equals("transformation")))
                .containsExactlyInAnyOrderElementsOf(TRUTHLINE_TRANSFORMS);
        int plugins = rows.size();
        assertThat(list.summary()).containsEntry("Total plugins", plugins)
                .containsEntry("Loadable plugins", plugins)
                .containsEntry("Compatible plugins", plugins);
    }

    @Test
    void syncManifestsDryRunHasNothingToChange() {
        Run sync = Run.of("sync-manifests-dry-run",
                "sync-manifests", "--dry-run", "--plugin-location", PackagedPlugin.pluginDir().toString());

        assertThat(sync.exitCode).as(sync.err).isZero();
        assertThat(sync.err).isEmpty();
        assertThat(sync.out).contains("No changes required.");
    }

    /**
     * One run of the tool in its own JVM, as {@code bin/connect-plugin-path.sh} runs it, on a classpath of the Kafka
     * jars it needs (built by the POM); its log goes to stderr from WARN up. Both streams are kept in
     * {@code target/tmp/connect-plugin-path-<name>.out} and {@code .err}.
     */
    private record Run(int exitCode, String out, String err) {

        static Run of(String name, String... args) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("truthline.plugin-path-tool.classpath"),
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

        /** The table's lines: the header, then one row per plugin (the table ends at the first empty line). */
        private List<String[]> table() {
            List<String[]> table = new ArrayList<>();
            for (String line : out.split("\\R")) {
                if (line.isEmpty()) {
                    break;
                }
                table.add(line.split("\t", -1));
            }
            return table;
        }

        List<String> header() {
            return Arrays.asList(table().get(0));
        }

        /** Each row as column name to value, by plugin class name. */
        Map<String, Map<String, String>> rowsByPlugin() {
            List<String[]> table = table();
            String[] columns = table.get(0);
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            for (String[] cells : table.subList(1, table.size())) {
                assertThat(cells).hasSameSizeAs(columns);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    row.put(columns[i], cells[i]);
                }
                assertThat(rows.put(cells[0], row)).as("one row for %s", cells[0]).isNull();
            }
            return rows;
        }

        /** The summary after the table: {@code Total plugins}, {@code Loadable plugins}, {@code Compatible plugins}. */
        Map<String, Integer> summary() {
            Map<String, Integer> summary = new LinkedHashMap<>();
            for (String line : out.split("\\R")) {
                int colon = line.indexOf(':');
                if (line.endsWith("plugins:") || colon < 0 || !line.contains(" plugins:")) {
                    continue;
                }
                summary.put(line.substring(0, colon).trim(), Integer.parseInt(line.substring(colon + 1).trim()));
            }
            return summary;
        }
    }
}
