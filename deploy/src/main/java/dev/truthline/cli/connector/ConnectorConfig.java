package dev.truthline.cli.connector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One connector's configuration as read from a JSON file: its name and its flat string map, in the
 * file's key order.
 *
 * @param nameFromFile whether the file names no connector (a flat config, the body of
 *                     {@code PUT /connectors/{name}/config}) and the name is its file name's
 */
public record ConnectorConfig(String name, Path file, Map<String, String> config, boolean nameFromFile) {

    public static final String CONNECTOR_CLASS = "connector.class";

    /**
     * A reference that a worker's ConfigProvider resolves at run time: {@code ${provider:[path:]key}}.
     * Kafka's own ConfigTransformer pattern; a value without the colon (ValidateContract's
     * {@code ${topic}} template, say) is taken literally by Connect, so it is not one.
     */
    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)\\}");

    public ConnectorConfig {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** A connector the file names itself. */
    public ConnectorConfig(String name, Path file, Map<String, String> config) {
        this(name, file, config, false);
    }

    public String connectorClass() {
        return config.get(CONNECTOR_CLASS);
    }

    public boolean has(String key) {
        return config.containsKey(key);
    }

    /**
     * The value of a key as it will be at run time, or null when the key is absent or its value is
     * resolved by a ConfigProvider on the worker (and so cannot be judged here).
     */
    public String known(String key) {
        String value = config.get(key);
        return value == null || isProviderReference(value) ? null : value.trim();
    }

    /** Whether the connector reads from Kafka (a sink) or writes to it (a source), as far as its config tells. */
    public enum Kind { SOURCE, SINK, UNKNOWN }

    /**
     * A sink names its topics ({@code topics} or {@code topics.regex}: Connect requires one); otherwise
     * the class name decides. Debezium's CDC connectors ({@code PostgresConnector}, …) are sources
     * without saying so in their names.
     */
    public Kind kind() {
        if (has("topics") || has("topics.regex")) {
            return Kind.SINK;
        }
        String cls = connectorClass() == null ? "" : connectorClass();
        String simple = cls.substring(cls.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (simple.contains("sink")) {
            return Kind.SINK;
        }
        if (simple.contains("source") || cls.startsWith("io.debezium.connector.")) {
            return Kind.SOURCE;
        }
        return Kind.UNKNOWN;
    }

    /** One entry of the {@code transforms} chain: its alias, its class and its own keys (prefix removed). */
    public record Transform(String alias, String type, Map<String, String> props) {
    }

    /** The transforms chain in the order Connect applies it. */
    public List<Transform> transforms() {
        List<Transform> chain = new ArrayList<>();
        String list = config.get("transforms");
        if (list == null || isProviderReference(list)) {
            return chain;
        }
        for (String alias : list.split(",")) {
            alias = alias.trim();
            if (alias.isEmpty()) {
                continue;
            }
            String prefix = "transforms." + alias + ".";
            Map<String, String> props = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    props.put(k.substring(prefix.length()), v);
                }
            });
            String type = props.get("type");
            chain.add(new Transform(alias, type == null ? null : type.trim(), props));
        }
        return chain;
    }

    public static boolean isProviderReference(String value) {
        return PROVIDER_REFERENCE.matcher(value).find();
    }
}
