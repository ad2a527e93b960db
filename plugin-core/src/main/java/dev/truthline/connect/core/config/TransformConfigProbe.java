package dev.truthline.connect.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.transforms.Transformation;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * Checks a transformation's configuration the way a connector's tasks will meet it, and answers with
 * problems on full connector-level keys. Two steps, as Connect takes them:
 * <ol>
 * <li>the keys its {@code config()} declares are validated as Connect's {@code config/validate} does (the
 * definition embedded under the alias prefix), every error on its own key with Connect's text;</li>
 * <li>when those pass, {@code configure()} runs as a task would (the transformation's class loader as the
 * context loader, then {@code close()}): what only it finds (rule keys, checks across keys) comes as a
 * {@link KeyedConfigException} that names its key. Any other exception is a problem of the transformation
 * as a whole, on its {@code type} key.</li>
 * </ol>
 * Keys are data all the way: nothing here reads a key out of a message. Used by the REST extension and by
 * {@code truthline lint}, so both report one mistake with the same key and the same text.
 */
public final class TransformConfigProbe {

    /** The key, under the alias prefix, that names the transformation as a whole. */
    public static final String TYPE = "type";

    /** Connect strips these before it configures a transformation (its TransformationStage handles them). */
    private static final String PREDICATE = "predicate";
    private static final String NEGATE = "negate";

    private TransformConfigProbe() {
    }

    /** The prefix of transformation {@code alias}'s keys in a connector configuration. */
    public static String keyPrefix(String alias) {
        return "transforms." + alias + ".";
    }

    /**
     * What Connect passes to {@code configure()} of transformation {@code alias}: its keys without the
     * prefix, {@code type} included, {@code predicate} and {@code negate} removed.
     */
    public static Map<String, String> transformProps(Map<String, String> connectorConfig, String alias) {
        String prefix = keyPrefix(alias);
        Map<String, String> props = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : connectorConfig.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                props.put(key.substring(prefix.length()), entry.getValue());
            }
        }
        props.remove(PREDICATE);
        props.remove(NEGATE);
        return props;
    }

    /**
     * The problems of {@code props} (the transformation's own keys, as Connect passes them to
     * {@code configure()}) for {@code transformation}, a new instance that this configures and closes.
     *
     * @param keyPrefix the prefix of its keys in the connector configuration, {@code transforms.<alias>.}
     * @throws LinkageError when the transformation cannot run here at all (an installation problem)
     */
    public static List<ConfigProblem> probe(Transformation<?> transformation, Map<String, String> props,
            String keyPrefix) {
        List<ConfigProblem> problems = declaredKeyProblems(transformation, props, keyPrefix);
        if (problems.isEmpty()) {
            ConfigProblem configured = configure(transformation, props, keyPrefix);
            if (configured != null) {
                problems.add(configured);
            }
        } else {
            close(transformation);
        }
        return problems;
    }

    /**
     * Only the first step: the keys {@code config()} declares, validated as Connect validates them. For a
     * configuration that cannot be configured here as a whole (a file it names is only on the workers).
     * Does not configure or close {@code transformation}.
     */
    public static List<ConfigProblem> declaredKeyProblems(Transformation<?> transformation, Map<String, String> props,
            String keyPrefix) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigDef own;
        try {
            own = transformation.config();
        } catch (RuntimeException e) {
            problems.add(whole(transformation, keyPrefix, e));
            return problems;
        }
        if (own == null) {
            return problems;
        }
        ConfigDef embedded = new ConfigDef();
        embedded.embed(keyPrefix, "", 0, own);
        Map<String, String> prefixed = new LinkedHashMap<>();
        props.forEach((key, value) -> prefixed.put(keyPrefix + key, value));
        Map<String, ConfigValue> values;
        try {
            values = embedded.validateAll(prefixed);
        } catch (RuntimeException e) {
            problems.add(whole(transformation, keyPrefix, e));
            return problems;
        }
        // In the order the transformation declares its keys, then any it refers to without defining.
        Set<String> order = new LinkedHashSet<>();
        own.configKeys().keySet().forEach(key -> order.add(keyPrefix + key));
        order.addAll(values.keySet());
        for (String key : order) {
            ConfigValue value = values.get(key);
            if (value != null) {
                for (String message : value.errorMessages()) {
                    problems.add(new ConfigProblem(key, message));
                }
            }
        }
        return problems;
    }

    private static ConfigProblem configure(Transformation<?> transformation, Map<String, String> props, String keyPrefix) {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        // As Connect does for a task: the plugin's loader is the context loader while it configures.
        thread.setContextClassLoader(transformation.getClass().getClassLoader());
        try {
            transformation.configure(props);
            return null;
        } catch (KeyedConfigException e) {
            KeyedConfigException full = e.withKeyPrefix(keyPrefix);
            return new ConfigProblem(full.key(), full.getMessage());
        } catch (ConfigException e) {
            return new ConfigProblem(keyPrefix + TYPE, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            return whole(transformation, keyPrefix, e);
        } finally {
            close(transformation);
            thread.setContextClassLoader(saved);
        }
    }

    private static ConfigProblem whole(Transformation<?> transformation, String keyPrefix, RuntimeException e) {
        // A task would fail on this just the same.
        return new ConfigProblem(keyPrefix + TYPE, transformation.getClass().getName() + " cannot be configured: " + e);
    }

    private static void close(Transformation<?> transformation) {
        try {
            transformation.close();
        } catch (RuntimeException e) {
            // Closing after a check: nothing depends on it.
        }
    }
}
