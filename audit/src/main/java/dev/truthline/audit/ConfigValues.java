package dev.truthline.audit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:path:key}} in connector configs as a worker would, with Kafka's own
 * {@link ConfigTransformer}: {@code env} from the values the operator gives ({@code --env-file}) over the process
 * environment, {@code file} with Kafka's {@link FileConfigProvider}. A reference without a value stays as written,
 * as on a worker; {@link #unresolved} names it.
 */
public final class ConfigValues {

    private final ConfigTransformer transformer;

    public ConfigValues(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.putAll(env);
        FileConfigProvider files = new FileConfigProvider();
        files.configure(Map.of());
        this.transformer = new ConfigTransformer(Map.of("env", new MapProvider(all), "file", files));
    }

    public Map<String, String> resolve(Map<String, String> config) {
        return new LinkedHashMap<>(transformer.transform(config).data());
    }

    /** Whether a resolved value still holds a provider reference. */
    public static boolean unresolved(String value) {
        int open = value == null ? -1 : value.indexOf("${");
        return open >= 0 && value.indexOf(':', open) > open && value.indexOf('}', open) > open;
    }

    /** The operator's values as a ConfigProvider without a path: {@code ${env:NAME}}. */
    private static final class MapProvider implements ConfigProvider {
        private final Map<String, String> values;

        MapProvider(Map<String, String> values) {
            this.values = values;
        }

        @Override
        public ConfigData get(String path) {
            return new ConfigData(path == null || path.isEmpty() ? values : Map.of());
        }

        @Override
        public ConfigData get(String path, Set<String> keys) {
            Map<String, String> found = new HashMap<>();
            if (path == null || path.isEmpty()) {
                for (String k : keys) {
                    if (values.containsKey(k)) {
                        found.put(k, values.get(k));
                    }
                }
            }
            return new ConfigData(found);
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }

        @Override
        public void close() {
        }
    }

    static List<String> referencesIn(Map<String, String> config) {
        return config.entrySet().stream().filter(e -> unresolved(e.getValue())).map(Map.Entry::getKey).toList();
    }
}
