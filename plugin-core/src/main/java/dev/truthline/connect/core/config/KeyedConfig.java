package dev.truthline.connect.core.config;

import java.util.Collections;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * An {@link AbstractConfig} whose parse and validator errors are {@link KeyedConfigException}s on the key
 * they concern. Kafka's own {@code ConfigDef} parsing reports a bad value as a plain {@link ConfigException}
 * whose key is only in its text; this parses key by key, so the key is known without reading the text.
 * Kafka's wording is kept.
 */
public class KeyedConfig extends AbstractConfig {

    public KeyedConfig(ConfigDef definition, Map<?, ?> originals) {
        super(checked(definition, originals), originals, false);
    }

    /** {@code definition}, once every one of its keys parses on its own; else the first key's error, keyed. */
    private static ConfigDef checked(ConfigDef definition, Map<?, ?> originals) {
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            try {
                single(key, key.name).parse(originals);
            } catch (KeyedConfigException e) {
                throw e;
            } catch (ConfigException e) {
                throw new KafkaConfigError(key, originals.get(key.name), originals.containsKey(key.name), e);
            }
        }
        return definition;
    }

    /** A definition of {@code key} alone, under {@code name}. */
    static ConfigDef single(ConfigDef.ConfigKey key, String name) {
        return new ConfigDef().define(name, key.type, key.defaultValue, key.validator, key.importance,
                key.documentation);
    }

    /** Kafka's error on one key; {@link #withKeyPrefix} asks Kafka for its wording on the longer key. */
    static final class KafkaConfigError extends KeyedConfigException {

        private static final long serialVersionUID = 1L;

        private final transient ConfigDef.ConfigKey definition;
        private final transient Object given;
        private final boolean set;

        KafkaConfigError(ConfigDef.ConfigKey definition, Object given, boolean set, ConfigException kafkas) {
            this(definition, definition.name, given, set, kafkas.getMessage());
            initCause(kafkas);
        }

        private KafkaConfigError(ConfigDef.ConfigKey definition, String key, Object given, boolean set, String message) {
            // Kafka carries the problem only inside its message: the message is the problem.
            super(key, message, message);
            this.definition = definition;
            this.given = given;
            this.set = set;
        }

        @Override
        public KeyedConfigException withKeyPrefix(String prefix) {
            String name = prefix + key();
            String message = getMessage();
            try {
                single(definition, name).parse(set ? Collections.singletonMap(name, given) : Map.of());
            } catch (ConfigException e) {
                message = e.getMessage();
            }
            KeyedConfigException prefixed = new KafkaConfigError(definition, name, given, set, message);
            prefixed.initCause(this);
            return prefixed;
        }
    }
}
