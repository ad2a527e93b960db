package dev.truthline.connect.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.harness.ConnectPluginPathRun;

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
            "dev.truthline.connect.dedupe.Deduplicate",
            "dev.truthline.connect.privacy.ProtectFields$Value",
            "dev.truthline.connect.privacy.ProtectFields$Key",
            "dev.truthline.connect.privacy.RevealFields$Value",
            "dev.truthline.connect.privacy.RevealFields$Key");

    private static ConnectPluginPathRun list;

    @BeforeAll
    static void listPlugins() {
        list = run("list", "list", "--plugin-location", PackagedPlugin.pluginDir().toString());
    }

    @Test
    void listSucceeds() {
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.err()).isEmpty();
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
        ConnectPluginPathRun sync = run("sync-manifests-dry-run",
                "sync-manifests", "--dry-run", "--plugin-location", PackagedPlugin.pluginDir().toString());

        assertThat(sync.exitCode()).as(sync.err()).isZero();
        assertThat(sync.err()).isEmpty();
        assertThat(sync.out()).contains("No changes required.");
    }

    private static ConnectPluginPathRun run(String name, String... args) {
        return ConnectPluginPathRun.of(System.getProperty("truthline.plugin-path-tool.classpath"), name, args);
    }
}
