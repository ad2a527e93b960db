package dev.truthline.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.truthline.audit.defects.DefectPlan;

/**
 * Finds what an audit reads in the pipeline's connector configs (resolved with the operator's values):
 * <ul>
 * <li>the <b>landing</b> connector: the one named, else the single Iceberg sink whose transforms include
 * {@code Deduplicate} (the reference pipeline's silver); its {@code topics} is the change topic, its
 * {@code iceberg.tables} the landing table, its {@code iceberg.catalog.*} the catalog, its dead-letter queue one of
 * the fates;</li>
 * <li>the source: the connector with a {@code ValidateContract} whose {@code on.failure=quarantine}; its
 * {@code quarantine.topic} template on the change topic is the source quarantine, its {@code headers.prefix} names
 * the rules header;</li>
 * <li>the quarantine connector: the Iceberg sink of the quarantine topic, with its table and dead-letter queue.</li>
 * </ul>
 * Anything ambiguous or missing is a {@link CannotJudgeException} that says what to give.
 */
public final class ConnectorDiscovery {

    static final String ICEBERG_SINK = "org.apache.iceberg.connect.IcebergSinkConnector";
    static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";
    static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$Value";

    private ConnectorDiscovery() {
    }

    /**
     * @param connectors       name → config, unresolved
     * @param values           the resolver of {@code ${env:…}} / {@code ${file:…}}
     * @param landingConnector the landing connector's name, or null to find it
     * @param bootstrapServers the Kafka cluster, or null for the landing sink's {@code iceberg.kafka.bootstrap.servers}
     */
    public static AuditPlan discover(Map<String, Map<String, String>> connectors, ConfigValues values,
            String landingConnector, String bootstrapServers, String memoryLimit, Path spillDir)
            throws CannotJudgeException {
        Map<String, Map<String, String>> resolved = resolve(connectors, values);
        String landingName = landingName(resolved, landingConnector);
        Map<String, String> landing = resolved.get(landingName);
        if (!ICEBERG_SINK.equals(landing.get("connector.class"))) {
            throw new CannotJudgeException(landingName + " is not an Iceberg sink: the audit reads Iceberg landing tables");
        }
        String changeTopic = single(landingName, landing, "topics");
        String landingTable = single(landingName, landing, "iceberg.tables");

        Source source = source(resolved);
        String prefix = source.headersPrefix();
        String quarantineTopic = source.quarantineTopic(changeTopic);

        Map<String, String> dlqs = new LinkedHashMap<>();
        addDeadLetterQueue(dlqs, landingName, landing);
        AuditPlan.SinkTable quarantine = null;
        if (quarantineTopic != null) {
            for (Map.Entry<String, Map<String, String>> e : resolved.entrySet()) {
                Map<String, String> c = e.getValue();
                if (ICEBERG_SINK.equals(c.get("connector.class")) && quarantineTopic.equals(c.get("topics"))) {
                    quarantine = new AuditPlan.SinkTable(e.getKey(), single(e.getKey(), c, "iceberg.tables"));
                    addDeadLetterQueue(dlqs, e.getKey(), c);
                }
            }
        }

        String catalogName = landing.getOrDefault("iceberg.catalog", "iceberg");
        Map<String, String> catalog = new LinkedHashMap<>();
        landing.forEach((k, v) -> {
            if (k.startsWith("iceberg.catalog.")) {
                catalog.put(k.substring("iceberg.catalog.".length()), v);
            }
        });
        String bootstrap = bootstrapServers != null ? bootstrapServers : landing.get("iceberg.kafka.bootstrap.servers");
        if (bootstrap == null) {
            throw new CannotJudgeException("the Kafka cluster is unknown: give --bootstrap-servers");
        }
        List<String> unresolved = new ArrayList<>();
        for (Map.Entry<String, String> e : catalog.entrySet()) {
            if (ConfigValues.unresolved(e.getValue())) {
                unresolved.add("iceberg.catalog." + e.getKey() + "=" + e.getValue());
            }
        }
        if (ConfigValues.unresolved(bootstrap)) {
            unresolved.add("iceberg.kafka.bootstrap.servers=" + bootstrap);
        }
        if (!unresolved.isEmpty()) {
            throw new CannotJudgeException(landingName + " refers to values the audit was not given (--env-file, or "
                    + "the environment): " + String.join(", ", unresolved));
        }
        return new AuditPlan(bootstrap, changeTopic, quarantineTopic, prefix + "rules",
                schemas(landing, "key"),
                schemas(landing, "value"),
                catalogName, catalog, new AuditPlan.SinkTable(landingName, landingTable), quarantine, dlqs,
                memoryLimit, spillDir);
    }

    /**
     * The source that quarantines: the (last) connector with a {@code ValidateContract} whose
     * {@code on.failure=quarantine}, its quarantine topic template and its headers prefix; a {@code name} of null when
     * no source quarantines.
     */
    record Source(String name, String template, String headersPrefix) {

        /** The quarantine topic of {@code changeTopic}, or null when nothing quarantines. */
        String quarantineTopic(String changeTopic) {
            return template == null ? null : template.replace("${topic}", changeTopic);
        }
    }

    static Source source(Map<String, Map<String, String>> resolved) {
        Source found = new Source(null, null, "dq.");
        for (Map.Entry<String, Map<String, String>> e : resolved.entrySet()) {
            Map<String, String> config = e.getValue();
            if (config.containsKey("topics") || config.containsKey("topics.regex")) {
                continue;
            }
            for (Map<String, String> t : transforms(config)) {
                if (VALIDATE.equals(t.get("type")) && "quarantine".equalsIgnoreCase(t.get("on.failure"))) {
                    found = new Source(e.getKey(), t.getOrDefault("quarantine.topic", "${topic}.quarantine"),
                            t.getOrDefault("headers.prefix", "dq."));
                }
            }
        }
        return found;
    }

    /**
     * What {@code truthline triage} and {@code truthline replay} read: the change topic and the source quarantine
     * (found as {@link #discover} finds them), and the dead-letter queue of <em>every</em> sink that reads either —
     * not only the landing and quarantine connectors' ({@link AuditPlan#deadLetterQueues()}) but bronze's, the
     * warehouse's and any other. Only the Kafka cluster must resolve: no table is read.
     *
     * @param connectors       name → config, unresolved
     * @param landingConnector the connector whose {@code topics} is the change topic, or null to find it as
     *                         {@link #discover} does
     * @param bootstrapServers the Kafka cluster, or null for the landing sink's {@code iceberg.kafka.bootstrap.servers}
     */
    public static DefectPlan discoverDefects(Map<String, Map<String, String>> connectors, ConfigValues values,
            String landingConnector, String bootstrapServers) throws CannotJudgeException {
        Map<String, Map<String, String>> resolved = resolve(connectors, values);
        String landingName = landingName(resolved, landingConnector);
        Map<String, String> landing = resolved.get(landingName);
        String changeTopic = single(landingName, landing, "topics");
        Source source = source(resolved);
        String quarantineTopic = source.quarantineTopic(changeTopic);
        List<String> read = quarantineTopic == null ? List.of(changeTopic) : List.of(changeTopic, quarantineTopic);
        Map<String, String> dlqs = new LinkedHashMap<>();
        resolved.forEach((name, config) -> {
            if (config.containsKey("connector.class") && readsAny(config, read)) {
                addDeadLetterQueue(dlqs, name, config);
            }
        });
        String bootstrap = bootstrapServers != null ? bootstrapServers : landing.get("iceberg.kafka.bootstrap.servers");
        if (bootstrap == null) {
            throw new CannotJudgeException("the Kafka cluster is unknown: give --bootstrap-servers");
        }
        if (ConfigValues.unresolved(bootstrap)) {
            throw new CannotJudgeException(landingName + " refers to values the audit was not given (--env-file, or "
                    + "the environment): iceberg.kafka.bootstrap.servers=" + bootstrap);
        }
        return new DefectPlan(bootstrap, changeTopic, quarantineTopic, source.template(), source.name(),
                source.headersPrefix(), schemas(landing, "key"),
                schemas(landing, "value"), dlqs);
    }

    /** Whether the connector's {@code side} converter reads a schema with each message (JsonConverter's default: yes). */
    private static boolean schemas(Map<String, String> config, String side) {
        return !"false".equalsIgnoreCase(config.get(side + ".converter.schemas.enable"));
    }

    /** Whether a sink reads one of {@code topics}: by its {@code topics} list or its {@code topics.regex}. */
    static boolean readsAny(Map<String, String> config, List<String> topics) {
        String list = config.get("topics");
        if (list != null) {
            for (String t : list.split(",")) {
                if (topics.contains(t.trim())) {
                    return true;
                }
            }
        }
        String regex = config.get("topics.regex");
        if (regex != null && !regex.isBlank()) {
            // Connect matches topics.regex with java.util.regex; so must the audit, to agree with it. The pattern is
            // the operator's own config, matched against a handful of topic names.
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex.trim());
            return topics.stream().anyMatch(t -> p.matcher(t).matches());
        }
        return false;
    }

    private static Map<String, Map<String, String>> resolve(Map<String, Map<String, String>> connectors,
            ConfigValues values) {
        Map<String, Map<String, String>> resolved = new LinkedHashMap<>();
        connectors.forEach((name, config) -> resolved.put(name, values.resolve(config)));
        return resolved;
    }

    /** The landing connector: the one named (it must exist), else the one {@link #findLanding} finds. */
    private static String landingName(Map<String, Map<String, String>> resolved, String given)
            throws CannotJudgeException {
        String name = given != null ? given : findLanding(resolved);
        if (!resolved.containsKey(name)) {
            throw new CannotJudgeException("no connector " + name + " among " + resolved.keySet());
        }
        return name;
    }

    private static String findLanding(Map<String, Map<String, String>> resolved) throws CannotJudgeException {
        List<String> found = new ArrayList<>();
        resolved.forEach((name, config) -> {
            if (ICEBERG_SINK.equals(config.get("connector.class"))
                    && transforms(config).stream().anyMatch(t -> DEDUPLICATE.equals(t.get("type")))) {
                found.add(name);
            }
        });
        if (found.size() != 1) {
            throw new CannotJudgeException((found.isEmpty() ? "no" : found.size()) + " Iceberg sink(s) with "
                    + "Deduplicate " + (found.isEmpty() ? "" : found + " ") + "to audit as the landing table: name it "
                    + "with --landing");
        }
        return found.get(0);
    }

    private static void addDeadLetterQueue(Map<String, String> dlqs, String name, Map<String, String> config) {
        String dlq = config.get("errors.deadletterqueue.topic.name");
        if (dlq != null && !dlq.isBlank()) {
            dlqs.put(dlq.trim(), name);
        }
    }

    private static String single(String connector, Map<String, String> config, String key) throws CannotJudgeException {
        String v = config.get(key);
        if (v == null || v.isBlank() || v.contains(",")) {
            throw new CannotJudgeException(connector + "." + key + " must name exactly one: it is " + v);
        }
        return v.trim();
    }

    /** The transforms chain, each as its own keys (prefix removed). */
    static List<Map<String, String>> transforms(Map<String, String> config) {
        List<Map<String, String>> chain = new ArrayList<>();
        String list = config.get("transforms");
        if (list == null) {
            return chain;
        }
        for (String alias : list.split(",")) {
            String prefix = "transforms." + alias.trim() + ".";
            Map<String, String> props = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    props.put(k.substring(prefix.length()), v);
                }
            });
            chain.add(props);
        }
        return chain;
    }
}
