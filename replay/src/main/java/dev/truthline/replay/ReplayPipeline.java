package dev.truthline.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.re2j.Pattern;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConfigValues;

/**
 * What a replay finds in the pipeline's connector configs (resolved with the operator's values): the source
 * quarantine topics with the source connector that writes each and the change topic it stands beside, the
 * dead-letter queues with the sink connector of each, and who reads a topic.
 *
 * <ul>
 * <li>A source connector (no {@code topics}) with a {@code ValidateContract} in {@code on.failure=quarantine}
 * quarantines into its {@code quarantine.topic} template ({@code ${topic}.quarantine}); every topic a sink reads
 * that the template names is a quarantine topic, and the template's {@code ${topic}} there is its change topic.</li>
 * <li>Every sink's {@code errors.deadletterqueue.topic.name} is a dead-letter queue; a dead letter goes back to the
 * input topic its context headers name.</li>
 * </ul>
 */
final class ReplayPipeline {

    static final String VALIDATE_PREFIX = "dev.truthline.connect.validation.ValidateContract";
    static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";
    private static final String TOPIC_PLACEHOLDER = "${topic}";

    /** A source quarantine topic: the source connector that writes it and the change topic beside it. */
    record Quarantine(String topic, String connector, String changeTopic) {
    }

    private final Map<String, Map<String, String>> configs;
    private final Map<String, Quarantine> quarantines = new LinkedHashMap<>();
    private final Map<String, String> deadLetterQueues = new LinkedHashMap<>();
    private final String bootstrapServers;

    ReplayPipeline(Map<String, Map<String, String>> connectors, ConfigValues values, String bootstrapServers)
            throws CannotJudgeException {
        this.configs = new LinkedHashMap<>();
        connectors.forEach((name, config) -> configs.put(name, values.resolve(config)));
        List<String> read = new ArrayList<>();
        configs.forEach((name, c) -> {
            if (isSink(c)) {
                for (String t : c.getOrDefault("topics", "").split(",")) {
                    if (!t.isBlank() && !read.contains(t.strip())) {
                        read.add(t.strip());
                    }
                }
                String dlq = c.get("errors.deadletterqueue.topic.name");
                if (dlq != null && !dlq.isBlank()) {
                    deadLetterQueues.put(dlq.strip(), name);
                }
            }
        });
        configs.forEach((name, c) -> {
            if (isSink(c)) {
                return;
            }
            for (Map<String, String> t : transforms(c).values()) {
                if (isValidate(t) && "quarantine".equalsIgnoreCase(t.get("on.failure"))) {
                    String template = t.getOrDefault("quarantine.topic", "${topic}.quarantine");
                    int at = template.indexOf(TOPIC_PLACEHOLDER);
                    for (String topic : read) {
                        String changeTopic = changeTopicOf(template, at, topic);
                        if (changeTopic != null) {
                            quarantines.put(topic, new Quarantine(topic, name, changeTopic));
                        }
                    }
                }
            }
        });
        this.bootstrapServers = bootstrapServers != null ? bootstrapServers : findBootstrap();
        if (this.bootstrapServers == null || ConfigValues.unresolved(this.bootstrapServers)) {
            throw new CannotJudgeException("the Kafka cluster is unknown: give --bootstrap-servers");
        }
    }

    private static String changeTopicOf(String template, int at, String topic) {
        if (at < 0) {
            return null;
        }
        String before = template.substring(0, at);
        String after = template.substring(at + TOPIC_PLACEHOLDER.length());
        if (topic.length() > before.length() + after.length() && topic.startsWith(before) && topic.endsWith(after)) {
            return topic.substring(before.length(), topic.length() - after.length());
        }
        return null;
    }

    /** A connector's Kafka cluster as its own config names it (an Iceberg sink's, a Deduplicate rebuild's). */
    private String findBootstrap() {
        for (Map<String, String> c : configs.values()) {
            String b = c.get("iceberg.kafka.bootstrap.servers");
            if (b != null && !b.isBlank() && !ConfigValues.unresolved(b)) {
                return b;
            }
            for (Map<String, String> t : transforms(c).values()) {
                String r = t.get("rebuild.bootstrap.servers");
                if (DEDUPLICATE.equals(t.get("type")) && r != null && !r.isBlank() && !ConfigValues.unresolved(r)) {
                    return r;
                }
            }
        }
        return null;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Map<String, Quarantine> quarantines() {
        return quarantines;
    }

    /** Dead-letter topic → the sink connector that writes it. */
    Map<String, String> deadLetterQueues() {
        return deadLetterQueues;
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
                reads = Pattern.compile(regex).matches(topic);
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
