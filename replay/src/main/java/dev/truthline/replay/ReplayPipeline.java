package dev.truthline.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.truthline.audit.ConfigValues;

/**
 * The pipeline's connector configs as a replay needs them, resolved with the operator's values: each connector's
 * transform chain (to re-validate with its contracts, and to find a current-state sink's window) and who reads a
 * topic. Where the defects are is triage's discovery ({@code ConnectorDiscovery.discoverDefects}).
 */
final class ReplayPipeline {

    static final String VALIDATE_PREFIX = "dev.truthline.connect.validation.ValidateContract";
    static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";

    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();

    ReplayPipeline(Map<String, Map<String, String>> connectors, ConfigValues values) {
        connectors.forEach((name, config) -> configs.put(name, values.resolve(config)));
    }

    /** A connector's config, resolved. */
    Map<String, String> config(String connector) {
        return configs.get(connector);
    }

    /** The sink connectors that read {@code topic} ({@code topics} or {@code topics.regex}). */
    List<String> readers(String topic) {
        List<String> found = new ArrayList<>();
        configs.forEach((name, c) -> {
            if (!isSink(c)) {
                return;
            }
            boolean reads = false;
            for (String t : c.getOrDefault("topics", "").split(",")) {
                reads |= t.strip().equals(topic);
            }
            String regex = c.get("topics.regex");
            if (!reads && regex != null && !regex.isBlank()) {
                // Connect matches topics.regex with java.util.regex: so must the replay, to agree with it.
                reads = java.util.regex.Pattern.compile(regex.strip()).matcher(topic).matches();
            }
            if (reads) {
                found.add(name);
            }
        });
        return found;
    }

    static boolean isSink(Map<String, String> config) {
        return config.containsKey("topics") || config.containsKey("topics.regex");
    }

    static boolean isValidate(Map<String, String> transform) {
        String type = transform.get("type");
        return type != null && type.startsWith(VALIDATE_PREFIX + "$");
    }

    /** The transforms chain in order: alias → its own keys (prefix removed). */
    static Map<String, Map<String, String>> transforms(Map<String, String> config) {
        Map<String, Map<String, String>> chain = new LinkedHashMap<>();
        String list = config.get("transforms");
        if (list == null) {
            return chain;
        }
        for (String alias : list.split(",")) {
            if (alias.isBlank()) {
                continue;
            }
            String prefix = "transforms." + alias.strip() + ".";
            Map<String, String> props = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    props.put(k.substring(prefix.length()), v);
                }
            });
            chain.put(alias.strip(), props);
        }
        return chain;
    }
}
