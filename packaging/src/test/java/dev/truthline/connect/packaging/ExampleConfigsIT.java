package dev.truthline.connect.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.isolation.PluginClassLoader;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The example connector configurations in the archive's {@code etc/}: every transform key is one its transform
 * declares (Truthline's loaded from the plugin directory, in a worker's plugin class loader), every transform
 * accepts its configuration, and every {@code errors.*} key is one of Connect's.
 */
class ExampleConfigsIT {

    private static final String SINK = "etc/orders-warehouse-sink.json";
    private static final String SOURCE = "etc/orders-capture-source-quarantine.json";
    private static final Pattern RULE_KEY = Pattern.compile("rules\\.([^.]+)\\.(.+)");

    private static PluginClassLoader pluginLoader;

    @BeforeAll
    static void loadPluginDirectory() throws IOException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(PackagedPlugin.pluginDir())) {
            for (Path jar : (Iterable<Path>) files::iterator) {
                jars.add(jar.toUri().toURL());
            }
        }
        pluginLoader = new PluginClassLoader(PackagedPlugin.pluginDir().toUri().toURL(), jars.toArray(new URL[0]),
                ExampleConfigsIT.class.getClassLoader());
    }

    @AfterAll
    static void close() throws IOException {
        pluginLoader.close();
    }

    @Test
    void everyExampleIsAConnectorRequestWithRealKeys() throws Exception {
        List<String> examples = PackagedPlugin.zipFiles().keySet().stream().filter(p -> p.startsWith("etc/"))
                .filter(p -> p.endsWith(".json")).toList();

        assertThat(examples).contains(SINK, SOURCE);
        for (String example : examples) {
            JsonNode request = new ObjectMapper().readTree(PackagedPlugin.zipText(example));
            assertThat(request.path("name").asText()).as(example).isNotBlank();
            Map<String, String> config = config(example);
            assertThat(config).as(example).containsKeys("connector.class", "transforms");
            assertTransformsAreConfiguredWithRealKeys(example, config);
            boolean sink = config.containsKey("topics") || config.containsKey("topics.regex");
            Set<String> connectKeys = (sink ? SinkConnectorConfig.configDef() : SourceConnectorConfig.configDef()).names();
            assertThat(config.keySet().stream().filter(k -> k.startsWith("errors."))).as(example)
                    .allMatch(connectKeys::contains);
        }
    }

    @Test
    void sinkExampleFailsInvalidRecordsIntoTheDeadLetterQueueAndDeduplicates() {
        Map<String, String> config = config(SINK);

        assertThat(transformTypes(config)).containsValues(
                "dev.truthline.connect.validation.ValidateContract$Value", "dev.truthline.connect.dedupe.Deduplicate");
        assertThat(config)
                .containsEntry("transforms.contract.on.failure", "fail")
                .containsEntry("errors.tolerance", "all")
                .containsEntry("errors.deadletterqueue.topic.name", "orders.events.dlq")
                .containsEntry("errors.deadletterqueue.context.headers.enable", "true");
    }

    @Test
    void sourceExampleQuarantinesInvalidRecords() {
        Map<String, String> config = config(SOURCE);

        assertThat(transformTypes(config))
                .containsEntry("contract", "dev.truthline.connect.validation.ValidateContract$Value");
        assertThat(config)
                .containsEntry("transforms.contract.on.failure", "quarantine")
                .containsEntry("transforms.contract.quarantine.topic", "${topic}.quarantine");
    }

    private static void assertTransformsAreConfiguredWithRealKeys(String example, Map<String, String> config)
            throws Exception {
        for (Map.Entry<String, String> transform : transformTypes(config).entrySet()) {
            String prefix = "transforms." + transform.getKey() + ".";
            Map<String, String> props = new LinkedHashMap<>();
            config.forEach((key, value) -> {
                if (key.startsWith(prefix) && !Set.of("type", "predicate", "negate").contains(key.substring(prefix.length()))) {
                    props.put(key.substring(prefix.length()), value);
                }
            });
            String type = transform.getValue();
            ClassLoader loader = type.startsWith("dev.truthline.") ? pluginLoader : ExampleConfigsIT.class.getClassLoader();
            Class<?> klass = Class.forName(type, true, loader);
            assertThat(klass.getClassLoader()).as(type).isSameAs(loader);
            Transformation<?> smt = (Transformation<?>) klass.getDeclaredConstructor().newInstance();
            Set<String> declared = smt.config().names();
            ConfigDef ruleKeys = type.startsWith("dev.truthline.connect.validation.ValidateContract$")
                    ? (ConfigDef) klass.getField("RULE_CONFIG_DEF").get(null) : null;
            List<String> rules = List.of(props.getOrDefault("rules", "").split("\\s*,\\s*"));
            for (String key : props.keySet()) {
                Matcher rule = RULE_KEY.matcher(key);
                boolean ruleKey = ruleKeys != null && rule.matches() && rules.contains(rule.group(1))
                        && ruleKeys.names().contains(rule.group(2));
                assertThat(declared.contains(key) || ruleKey)
                        .as("%s: %s%s is a key of %s", example, prefix, key, type).isTrue();
            }
            assertThatCode(() -> smt.configure(props)).as("%s: %s configures", example, prefix).doesNotThrowAnyException();
            smt.close();
        }
    }

    /** Transform alias to its type, in the connector's order. */
    private static Map<String, String> transformTypes(Map<String, String> config) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String alias : config.get("transforms").split("\\s*,\\s*")) {
            types.put(alias, config.get("transforms." + alias + ".type"));
        }
        return types;
    }

    private static Map<String, String> config(String example) {
        try {
            JsonNode config = new ObjectMapper().readTree(PackagedPlugin.zipText(example)).path("config");
            Map<String, String> props = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : config.properties()) {
                assertThat(field.getValue().isTextual()).as("%s: %s is a string", example, field.getKey()).isTrue();
                props.put(field.getKey(), field.getValue().asText());
            }
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
