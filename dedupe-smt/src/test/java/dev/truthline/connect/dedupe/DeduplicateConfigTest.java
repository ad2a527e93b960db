package dev.truthline.connect.dedupe;

import static dev.truthline.connect.dedupe.Fixtures.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every configuration error of {@link Deduplicate} is a {@link ConfigException} naming the key; the
 * per-key (static) checks are also reported by {@code CONFIG_DEF.validate}, which is what Connect's
 * {@code PUT /connector-plugins/{class}/config/validate} runs.
 */
class DeduplicateConfigTest {

    private static ConfigException configureFails(Map<String, String> props) {
        Deduplicate<SinkRecord> smt = new Deduplicate<>();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> smt.configure(props));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    /** The errors {@code CONFIG_DEF.validate} reports, by key (keys without errors left out). */
    private static Map<String, List<String>> validate(Map<String, String> props) {
        return Deduplicate.CONFIG_DEF.validate(props).stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    /** Asserts configure fails with exactly {@code message} and validate reports the same on {@code key} alone. */
    private static void staticError(Map<String, String> props, String key, String message) {
        assertThat(configureFails(props)).hasMessage(message);
        assertThat(validate(props)).containsOnlyKeys(key);
        assertThat(validate(props).get(key)).containsExactly(message);
    }

    @Test
    void rebuildConverterThatCannotBeLoadedNamesItsKey() {
        ConfigException e = configureFails(props("id.fields", "value.id", "rebuild.bootstrap.servers", "localhost:9092",
                "rebuild.value.converter", "com.example.NoSuchConverter"));
        assertThat(e).isInstanceOf(dev.truthline.connect.core.KeyedConfigException.class);
        assertThat(((dev.truthline.connect.core.KeyedConfigException) e).key()).isEqualTo("rebuild.value.converter");
        ConfigException notAConverter = configureFails(props("id.fields", "value.id", "rebuild.bootstrap.servers",
                "localhost:9092", "rebuild.key.converter", "java.lang.String"));
        assertThat(((dev.truthline.connect.core.KeyedConfigException) notAConverter).key())
                .isEqualTo("rebuild.key.converter");
        assertThat(notAConverter).hasMessageContaining("is not a Converter");
    }

    @Test
    void rebuildOnFailureIsFailOrEmpty() {
        assertThat(validate(props("id.fields", "value.id", "rebuild.on.failure", "ignore")))
                .containsOnlyKeys("rebuild.on.failure");
        assertThat(validate(props("id.fields", "value.id", "rebuild.on.failure", "EMPTY"))).isEmpty();
    }

    @Test
    void rebuildSecretsArePasswordsAndTheRestPassesThroughToTheConsumer() {
        assertThat(Deduplicate.CONFIG_DEF.configKeys().get("rebuild.sasl.jaas.config").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
        assertThat(Deduplicate.CONFIG_DEF.configKeys().get("rebuild.ssl.truststore.password").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
        DeduplicateConfig config = new DeduplicateConfig(props("id.fields", "value.id", "rebuild.bootstrap.servers",
                "broker:9093", "rebuild.security.protocol", "SASL_SSL", "rebuild.sasl.jaas.config", "secret-jaas",
                "rebuild.value.converter.schemas.enable", "false"));
        Map<String, Object> seen = new java.util.HashMap<>();
        WindowRebuild rebuild = config.windowRebuild(p -> {
            seen.putAll(p);
            throw new IllegalStateException("no broker in a unit test");
        });
        assertThat(catchThrowable(() -> rebuild.sourceTopic("t", 0, (r, ts) -> true)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(seen).containsEntry("bootstrap.servers", "broker:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "secret-jaas").containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false")
                .doesNotContainKeys("value.converter.schemas.enable", "on.failure", "timeout.ms");
    }

    @Test
    void unknownStrategy() {
        Map<String, String> props = props("strategy", "exactly_once", "id.fields", "value.id");
        ConfigException e = configureFails(props);
        assertThat(e.getMessage())
                .startsWith("Invalid value exactly_once for configuration strategy: String must be one of "
                        + "(case insensitive): ")
                .contains("EVENT_ID", "DEBEZIUM", "ENTITY_VERSION");
        assertThat(validate(props)).containsOnlyKeys("strategy");
        assertThat(validate(props).get("strategy")).containsExactly(e.getMessage());
    }

    @Test
    void eventIdWithoutIdFields() {
        assertThat(configureFails(props())).hasMessage(
                "Invalid value [] for configuration id.fields: strategy event_id needs at least one id field");
        assertThat(configureFails(props("strategy", "event_id", "id.fields", ""))).hasMessage(
                "Invalid value [] for configuration id.fields: strategy event_id needs at least one id field");
    }

    @Test
    void entityVersionWithoutVersionField() {
        assertThat(configureFails(props("strategy", "entity_version"))).hasMessage(
                "Invalid value null for configuration version.field: strategy entity_version needs a version field");
        assertThat(configureFails(props("strategy", "entity_version", "version.field", "  "))).hasMessage(
                "Invalid value  for configuration version.field: strategy entity_version needs a version field");
    }

    @Test
    void entityVersionWithoutEntityFields() {
        assertThat(configureFails(props("strategy", "entity_version", "entity.fields", "",
                "version.field", "value.v"))).hasMessage(
                "Invalid value [] for configuration entity.fields: strategy entity_version needs at least one entity field");
    }

    @Test
    void versionFieldWithoutPrefixAtConfigure() {
        assertThat(configureFails(props("strategy", "entity_version", "version.field", "updated_at"))).hasMessage(
                "Invalid value updated_at for configuration version.field: "
                        + "'updated_at' must be key, key.<path>, value.<path> or header.<name>");
        assertThat(configureFails(props("strategy", "entity_version", "version.field", "value.items[*].v")))
                .hasMessage("Invalid value value.items[*].v for configuration version.field: "
                        + "'value.items[*].v' must name one field, not [*] elements");
    }

    /** version.field's format is as static as id.fields': the validate endpoint should report it too. */
    @Test
    void versionFieldWithoutPrefixIsReportedByValidate() {
        Map<String, String> props = props("strategy", "entity_version", "version.field", "updated_at");
        assertThat(validate(props)).containsKey("version.field");
        assertThat(validate(props).get("version.field")).containsExactly(
                "Invalid value updated_at for configuration version.field: "
                        + "'updated_at' must be key, key.<path>, value.<path> or header.<name>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|Value must be at least 1",
        "-5|Value must be at least 1",
        "50000001|Value must be no more than 50000000",
        "2147483647|Value must be no more than 50000000",
    })
    void windowMaxEntriesOutOfBounds(String value, String reason) {
        staticError(props("id.fields", "value.id", "window.max.entries", value), "window.max.entries",
                "Invalid value " + value + " for configuration window.max.entries: " + reason);
    }

    @Test
    void windowMaxEntriesAtItsBoundsIsValid() {
        assertThat(validate(props("id.fields", "value.id", "window.max.entries", "50000000"))).isEmpty();
        assertThat(validate(props("id.fields", "value.id", "window.max.entries", "1"))).isEmpty();
        assertThatCode(() -> new Deduplicate<SinkRecord>().configure(props("id.fields", "value.id",
                "window.max.entries", "1"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "-3600000"})
    void windowTtlNotPositive(String value) {
        staticError(props("id.fields", "value.id", "window.ttl.ms", value), "window.ttl.ms",
                "Invalid value " + value + " for configuration window.ttl.ms: Value must be at least 1");
    }

    @Test
    void windowBoundsThatAreNotNumbers() {
        Map<String, String> props = props("id.fields", "value.id", "window.ttl.ms", "1h");
        assertThat(configureFails(props).getMessage()).contains("window.ttl.ms").contains("1h");
        assertThat(validate(props)).containsOnlyKeys("window.ttl.ms");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "event_id|'event_id' must be key, key.<path>, value.<path> or header.<name>",
        "keys.id|'keys.id' must be key, key.<path>, value.<path> or header.<name>",
        "header.|'header.' must be key, key.<path>, value.<path> or header.<name>",
        "Value.id|'Value.id' must be key, key.<path>, value.<path> or header.<name>",
    })
    void idFieldWithoutPrefix(String entry, String reason) {
        staticError(props("id.fields", "value.ok," + entry), "id.fields",
                "Invalid value [value.ok, " + entry + "] for configuration id.fields: " + reason);
    }

    @Test
    void idFieldWithEmptyPath() {
        staticError(props("id.fields", "key."), "id.fields",
                "Invalid value [key.] for configuration id.fields: a field path must not be empty");
        staticError(props("id.fields", "value.a..b"), "id.fields",
                "Invalid value [value.a..b] for configuration id.fields: field path 'a..b' has an empty name at segment 2");
    }

    @Test
    void idFieldWithWildcard() {
        staticError(props("id.fields", "value.items[*].id"), "id.fields",
                "Invalid value [value.items[*].id] for configuration id.fields: "
                        + "'value.items[*].id' must name one field, not [*] elements");
    }

    @Test
    void entityFieldWithoutPrefix() {
        staticError(props("strategy", "entity_version", "entity.fields", "order_id", "version.field", "value.v"),
                "entity.fields", "Invalid value [order_id] for configuration entity.fields: "
                        + "'order_id' must be key, key.<path>, value.<path> or header.<name>");
    }

    @Test
    void unknownOnDuplicate() {
        Map<String, String> props = props("id.fields", "value.id", "on.duplicate", "quarantine");
        ConfigException e = configureFails(props);
        assertThat(e.getMessage()).startsWith(
                "Invalid value quarantine for configuration on.duplicate: String must be one of (case insensitive): ")
                .contains("DROP", "TAG");
        assertThat(validate(props)).containsOnlyKeys("on.duplicate");
        assertThat(validate(props).get("on.duplicate")).containsExactly(e.getMessage());
    }

    @Test
    void unknownMissingId() {
        Map<String, String> props = props("id.fields", "value.id", "missing.id", "skip");
        ConfigException e = configureFails(props);
        assertThat(e.getMessage()).startsWith(
                "Invalid value skip for configuration missing.id: String must be one of (case insensitive): ")
                .contains("FAIL", "PASS");
        assertThat(validate(props)).containsOnlyKeys("missing.id");
        assertThat(validate(props).get("missing.id")).containsExactly(e.getMessage());
    }

    @Test
    void emptyHeaderPrefix() {
        staticError(props("id.fields", "value.id", "headers.prefix", ""), "headers.prefix",
                "Invalid value  for configuration headers.prefix: String must be non-empty");
    }

    @Test
    void severalErrorsAreAllReportedByValidate() {
        Map<String, String> props = props("strategy", "nope", "id.fields", "nope", "window.max.entries", "0",
                "window.ttl.ms", "0", "on.duplicate", "nope", "missing.id", "nope");
        assertThat(validate(props)).containsOnlyKeys("strategy", "id.fields", "window.max.entries", "window.ttl.ms",
                "on.duplicate", "missing.id");
    }

    @Test
    void validConfigurationsValidateAndConfigure() {
        List<Map<String, String>> valid = List.of(
                props("id.fields", "value.event_id"),
                props("strategy", "EVENT_ID", "id.fields", "key, key.id , value.a.b,header.x", "on.duplicate", "Tag",
                        "missing.id", "PASS"),
                props("strategy", "debezium"),
                props("strategy", "Debezium", "id.fields", ""),
                props("strategy", "entity_version", "version.field", "value.after.updated_at"),
                props("strategy", "entity_version", "entity.fields", "value.after.id,header.tenant",
                        "version.field", "header.version", "window.ttl.ms", "9223372036854775807"));
        for (Map<String, String> props : valid) {
            assertThat(validate(props)).as("%s", props).isEmpty();
            assertThatCode(() -> new Deduplicate<SinkRecord>().configure(props)).as("%s", props)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void defaults() {
        Map<String, Object> defaults = Deduplicate.CONFIG_DEF.defaultValues();
        assertThat(defaults).containsEntry("strategy", "event_id")
                .containsEntry("id.fields", List.of())
                .containsEntry("entity.fields", List.of("key"))
                .containsEntry("window.max.entries", 1_000_000)
                .containsEntry("window.ttl.ms", 3_600_000L)
                .containsEntry("on.duplicate", "drop")
                .containsEntry("missing.id", "fail")
                .containsEntry("headers.prefix", "dq.");
        assertThat(defaults.get("version.field")).isNull();
    }

    @Test
    void defaultWindowIsBuiltFromDefaults() {
        Deduplicate<SinkRecord> smt = new Deduplicate<>();
        Map<String, String> props = new java.util.HashMap<>(Map.of("id.fields", "value.id"));
        smt.configure(props);
        assertThat(smt.window()).isNotNull();
        assertThat(smt.window().size()).isZero();
        smt.close();
    }

    @Test
    void malformedIdFieldsAreAnErrorEvenForDebezium() {
        // debezium ignores id.fields, but a malformed entry is still a mistake in the configuration
        assertThatThrownBy(() -> new Deduplicate<SinkRecord>().configure(props("strategy", "debezium",
                "id.fields", "bogus"))).isInstanceOf(ConfigException.class).hasMessageContaining("id.fields");
    }
}
