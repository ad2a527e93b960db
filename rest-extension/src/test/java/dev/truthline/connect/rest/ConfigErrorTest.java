package dev.truthline.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Recovering the key a {@link ConfigException} names, and naming it in full. */
class ConfigErrorTest {

    private static final String PREFIX = "transforms.contract.";

    @Test
    void invalidValueNamesTheKeyInFull() {
        ConfigException e = new ConfigException("rules.amount.min", "5", "min must not be greater than max (1)");
        assertThat(ConfigError.of(e, PREFIX, Map.of("rules.amount.min", "5"))).isEqualTo(new ConfigError(
                "transforms.contract.rules.amount.min",
                "Invalid value 5 for configuration transforms.contract.rules.amount.min: min must not be greater than max (1)"));
    }

    @Test
    void invalidValueWithoutMessage() {
        ConfigException e = new ConfigException("rules.amount.min", "5");
        assertThat(ConfigError.of(e, PREFIX, Map.of())).isEqualTo(new ConfigError(
                "transforms.contract.rules.amount.min", "Invalid value 5 for configuration transforms.contract.rules.amount.min"));
    }

    @Test
    void emptyValue() {
        ConfigException e = new ConfigException("rules.x.field", "", "is required for rule type required");
        assertThat(ConfigError.of(e, PREFIX, Map.of("rules.x.field", ""))).isEqualTo(new ConfigError(
                "transforms.contract.rules.x.field",
                "Invalid value  for configuration transforms.contract.rules.x.field: is required for rule type required"));
    }

    @Test
    void keyOfAValueThatIsNotConfigured() {
        ConfigException e = new ConfigException("rules.x.expr", null, "is required for rule type cel");
        assertThat(ConfigError.of(e, PREFIX, Map.of("rules.x.type", "cel"))).isEqualTo(new ConfigError(
                "transforms.contract.rules.x.expr",
                "Invalid value null for configuration transforms.contract.rules.x.expr: is required for rule type cel"));
    }

    @Test
    void valueThatLooksLikeTheMessageFormat() {
        // A CEL expression is free text: it may hold " for configuration " and ": " itself.
        String expr = "x for configuration y: z";
        ConfigException e = new ConfigException("rules.x.expr", expr, "CEL expression does not compile: ...");
        assertThat(ConfigError.of(e, PREFIX, Map.of("rules.x.expr", expr))).isEqualTo(new ConfigError(
                "transforms.contract.rules.x.expr",
                "Invalid value x for configuration y: z for configuration transforms.contract.rules.x.expr: "
                        + "CEL expression does not compile: ..."));
    }

    @Test
    void nestedMessageNamingAnotherKey() {
        ConfigException inner = new ConfigException("path", "a..b", "empty name");
        ConfigException e = new ConfigException("id.fields", "value.a..b", inner.getMessage());
        assertThat(ConfigError.of(e, PREFIX, Map.of("id.fields", "value.a..b"))).isEqualTo(new ConfigError(
                "transforms.contract.id.fields",
                "Invalid value value.a..b for configuration transforms.contract.id.fields: "
                        + "Invalid value a..b for configuration path: empty name"));
    }

    @Test
    void missingRequiredKey() {
        ConfigException e = new ConfigException("Missing required configuration \"rules.x.type\" which has no default value.");
        assertThat(ConfigError.of(e, PREFIX, Map.of())).isEqualTo(new ConfigError("transforms.contract.rules.x.type",
                "Missing required configuration \"transforms.contract.rules.x.type\" which has no default value."));
    }

    @Test
    void noKeyNamedGoesOnTheType() {
        ConfigException e = new ConfigException("contract.file and rules cannot both be set");
        assertThat(ConfigError.of(e, PREFIX, Map.of())).isEqualTo(new ConfigError("transforms.contract.type",
                "contract.file and rules cannot both be set"));
    }

    @Test
    void notAKeyAfterForConfiguration() {
        ConfigException e = new ConfigException("Invalid value for configuration of this rule");
        assertThat(ConfigError.of(e, PREFIX, Map.of()).key()).isEqualTo("transforms.contract.type");
    }
}
