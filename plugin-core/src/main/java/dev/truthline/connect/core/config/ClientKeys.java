package dev.truthline.connect.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * The keys under which a transform reaches Kafka itself — Deduplicate's rebuild consumer ({@code rebuild.}),
 * ValidateContract's dead-letter producer ({@code dead.letter.}). Every key under the prefix that is not the
 * transform's own goes to the client without the prefix ({@code rebuild.security.protocol} → {@code security.protocol});
 * the client's secrets are {@code Password} keys, so Connect masks them; the converters are named as the
 * pipeline's ({@code <prefix>key.converter} with its settings under {@code <prefix>key.converter.<name>}).
 */
public final class ClientKeys {

    public static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
    public static final String SIMPLE_HEADER_CONVERTER = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

    /** Client settings that are secrets. */
    private static final List<String> SECRETS = List.of("sasl.jaas.config", "ssl.keystore.password",
            "ssl.key.password", "ssl.truststore.password");
    private static final List<String> CONVERTERS = List.of("key.converter", "value.converter", "header.converter");

    private final String prefix;
    private final Set<String> own;

    /**
     * @param prefix the keys' prefix, ending in a dot
     * @param own    the names under the prefix that are the transform's own settings, not the client's
     */
    public ClientKeys(String prefix, Set<String> own) {
        this.prefix = prefix;
        this.own = Set.copyOf(own);
    }

    /** Defines the secret keys as passwords, in {@code group} from {@code order} on; {@code client} names the client. */
    public ConfigDef defineSecrets(ConfigDef def, String client, String group, int order) {
        for (String secret : SECRETS) {
            def.define(prefix + secret, Type.PASSWORD, null, Importance.LOW, "Passed to the " + client + " as " + secret
                    + "; a password type, so Connect masks it (give it through a ConfigProvider).", group, order++,
                    ConfigDef.Width.LONG, prefix + secret);
        }
        return def;
    }

    /** The client's properties: every key under the prefix but the transform's own and the converters', secrets included. */
    public Map<String, Object> clientProperties(AbstractConfig config) {
        Map<String, Object> client = new HashMap<>();
        for (Map.Entry<String, Object> e : config.originalsWithPrefix(prefix).entrySet()) {
            String name = e.getKey();
            if (own.contains(name) || SECRETS.contains(name) || CONVERTERS.stream().anyMatch(name::startsWith)) {
                continue;
            }
            client.put(name, e.getValue());
        }
        for (String secret : SECRETS) {
            Password password = config.getPassword(prefix + secret);
            if (password != null) {
                client.put(secret, password.value());
            }
        }
        return client;
    }

    /** The converter class named by {@code key}, configured with the keys under {@code <key>.}. */
    public static Converter converter(AbstractConfig config, String key, boolean isKey) {
        Converter converter = instance(config, key, Converter.class);
        converter.configure(config.originalsWithPrefix(key + "."), isKey);
        return converter;
    }

    /**
     * The header converter class named by {@code key}, configured with the keys under {@code <key>.} and, as a worker
     * configures its header converter, {@code converter.type=header} (StringConverter requires it).
     */
    public static HeaderConverter headerConverter(AbstractConfig config, String key) {
        HeaderConverter converter = instance(config, key, HeaderConverter.class);
        Map<String, Object> settings = new HashMap<>(config.originalsWithPrefix(key + "."));
        settings.putIfAbsent("converter.type", "header");
        converter.configure(settings);
        return converter;
    }

    private static <T> T instance(AbstractConfig config, String key, Class<T> type) {
        String name = config.getString(key);
        try {
            Class<?> c = Class.forName(name, true, Utils.getContextOrKafkaClassLoader());
            if (!type.isAssignableFrom(c)) {
                throw new KeyedConfigException(key, name, "is not a " + type.getSimpleName());
            }
            return type.cast(c.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new KeyedConfigException(key, name, "cannot be loaded: " + e);
        }
    }
}
