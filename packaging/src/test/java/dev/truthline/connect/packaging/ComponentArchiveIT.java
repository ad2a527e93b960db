package dev.truthline.connect.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Confluent Hub archive and the plugin directory, as users get them. */
class ComponentArchiveIT {

    /** A THIRD-PARTY.txt line: {@code (licence) Name (groupId:artifactId:version - url)}. */
    private static final Pattern NOTICE = Pattern.compile(
            "^\\s+\\((?<licence>[^)]+)\\) .* \\((?<group>[^:\\s]+):(?<artifact>[^:\\s]+):(?<version>[^\\s]+) - .*\\)$",
            Pattern.MULTILINE);

    @Test
    void manifestDescribesTheComponent() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(PackagedPlugin.zipText("manifest.json"));

        assertThat(manifest.path("name").asText()).isEqualTo("kafka-connect-truthline");
        assertThat(manifest.path("version").asText()).isEqualTo(PackagedPlugin.version());
        assertThat(manifest.path("title").asText()).isNotBlank();
        assertThat(manifest.path("description").asText()).contains("ValidateContract", "Deduplicate", "ProtectFields",
                "RevealFields");
        assertThat(manifest.path("component_types")).hasSize(1);
        assertThat(manifest.path("component_types").get(0).asText()).isEqualTo("transform");
        JsonNode owner = manifest.path("owner");
        assertThat(owner.path("username").asText()).isEqualTo("truthline");
        assertThat(owner.path("name").asText()).isEqualTo("Truthline");
        assertThat(owner.path("type").asText()).isEqualTo("organization");
        assertThat(owner.path("url").asText()).startsWith("https://");
        assertThat(manifest.path("license")).hasSize(1);
        assertThat(manifest.path("license").get(0).path("name").asText()).isEqualTo("Apache License 2.0");
        assertThat(manifest.path("license").get(0).path("url").asText())
                .isEqualTo("https://www.apache.org/licenses/LICENSE-2.0");
        assertThat(manifest.path("requirements").toString()).contains("Kafka Connect 4.1 or later");
        assertThat(manifest.path("release_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(manifest.path("features").path("single_message_transforms").asBoolean()).isTrue();
        assertThat(manifest.path("tags").size()).isPositive();
        assertThat(manifest.path("documentation_url").asText()).startsWith("https://");
        assertThat(manifest.path("source_url").asText()).startsWith("https://");
        assertThat(manifest.path("support").path("provider_name").asText()).isNotBlank();
        // Every placeholder was filtered.
        assertThat(manifest.toString()).doesNotContain("${");
    }

    @Test
    void libHoldsExactlyThePluginDirectory() {
        Map<String, Long> lib = new TreeMap<>();
        PackagedPlugin.zipFiles().forEach((path, size) -> {
            if (path.startsWith("lib/")) {
                lib.put(path.substring("lib/".length()), size);
            }
        });

        assertThat(lib).isNotEmpty().isEqualTo(PackagedPlugin.pluginDirFiles());
    }

    @Test
    void pluginDirectoryHoldsTheTruthlineJarsAndTheirRuntimeDependenciesFlat() {
        Map<String, Long> files = PackagedPlugin.pluginDirFiles();
        String version = PackagedPlugin.version();

        assertThat(files).allSatisfy((name, size) -> {
            assertThat(name).endsWith(".jar");
            assertThat(size).as("%s is a file", name).isPositive();
        });
        assertThat(files).containsKeys(
                "truthline-validation-smt-" + version + ".jar",
                "truthline-contract-" + version + ".jar",
                "truthline-dedupe-smt-" + version + ".jar",
                "truthline-privacy-smt-" + version + ".jar",
                "truthline-plugin-core-" + version + ".jar");
        assertThat(files.keySet()).anyMatch(n -> n.matches("cel-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("re2j-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("json-schema-validator-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("jackson-core-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("commons-codec-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("tink-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("bcprov-jdk18on-[0-9.]+\\.jar"));
    }

    @Test
    void nothingTheWorkerProvidesIsBundled() {
        assertThat(PackagedPlugin.pluginDirFiles().keySet()).noneMatch(PackagedPlugin::isWorkerProvided);
        assertThat(PackagedPlugin.zipFiles().keySet())
                .noneMatch(path -> PackagedPlugin.isWorkerProvided(path.substring(path.lastIndexOf('/') + 1)));
    }

    @Test
    void archiveHoldsExamplesAndDocs() {
        Set<String> paths = PackagedPlugin.zipFiles().keySet();

        assertThat(paths).contains("manifest.json", "doc/README.md", "doc/LICENSE", "doc/THIRD-PARTY.txt",
                "etc/orders-warehouse-sink.json", "etc/orders-capture-source-quarantine.json", "etc/jmx-exporter.yaml",
                "etc/truthline-alerts.yaml");
        assertThat(PackagedPlugin.zipText("etc/jmx-exporter.yaml")).contains("name: truthline_violations_total");
        assertThat(paths).allMatch(p -> p.equals("manifest.json") || p.matches("(lib|etc|doc)/[^/]+"));
        assertThat(PackagedPlugin.zipText("doc/LICENSE"))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
    }

    @Test
    void thirdPartyNoticesNameEveryBundledThirdPartyJarWithItsLicence() {
        String notices = PackagedPlugin.zipText("doc/THIRD-PARTY.txt");
        Set<String> noticed = new TreeSet<>();
        Matcher m = NOTICE.matcher(notices);
        while (m.find()) {
            assertThat(m.group("licence")).as(m.group()).isNotBlank().doesNotContainIgnoringCase("unknown");
            noticed.add(m.group("artifact") + "-" + m.group("version") + ".jar");
        }
        Set<String> thirdParty = new TreeSet<>(PackagedPlugin.pluginDirFiles().keySet());
        thirdParty.removeIf(PackagedPlugin::isTruthline);

        assertThat(noticed).isEqualTo(thirdParty);
    }
}
