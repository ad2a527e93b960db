package dev.truthline.connect.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A connector JSON file as the Connect REST API takes it: {@code {"name": …, "config": {…}}} or a flat config map (the
 * {@code *.base.json} files). Values stay exactly as written — {@code ${env:…}} references included — unless a test
 * resolves them with {@link #resolveEnv}.
 */
public record ConnectorJson(String name, Map<String, String> config) {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** Connect's variable syntax as {@code EnvVarConfigProvider} serves it: {@code ${env:NAME}} (no path). */
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    public static ConnectorJson read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode config = root.path("config").isObject() ? root.get("config") : root;
            Map<String, String> props = new LinkedHashMap<>();
            config.properties().forEach(e -> {
                if (!e.getValue().isTextual()) {
                    throw new AssertionError(file + ": " + e.getKey() + " must be a JSON string");
                }
                props.put(e.getKey(), e.getValue().asText());
            });
            return new ConnectorJson(root.path("name").asText(null), props);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference pipeline's folder, {@code connector-configs/orders/}. */
    public static Path ordersDir() {
        return Path.of(System.getProperty("truthline.orders.dir", "../connector-configs/orders")).toAbsolutePath().normalize();
    }

    public static ConnectorJson orders(String file) {
        return read(ordersDir().resolve(file));
    }

    /** A copy with {@code extra} keys added or replaced. */
    public ConnectorJson with(Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(config);
        props.putAll(extra);
        return new ConnectorJson(name, props);
    }

    /** Every {@code ${env:NAME}} this config references. */
    public Set<String> envVariables() {
        Set<String> names = new TreeSet<>();
        config.values().forEach(v -> {
            Matcher m = ENV.matcher(v);
            while (m.find()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    /** The config with every {@code ${env:NAME}} replaced from {@code env}; a name missing from it is an error. */
    public Map<String, String> resolveEnv(Map<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        config.forEach((key, value) -> props.put(key, resolve(value, env)));
        return props;
    }

    public static String resolve(String value, Map<String, String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = env.get(m.group(1));
            if (resolved == null) {
                throw new AssertionError("no value for ${env:" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        return m.appendTail(out).toString();
    }

    /** Transform aliases in the connector's order. */
    public List<String> transforms() {
        String list = config.getOrDefault("transforms", "");
        return list.isBlank() ? List.of() : List.of(list.trim().split("\\s*,\\s*"));
    }
}
