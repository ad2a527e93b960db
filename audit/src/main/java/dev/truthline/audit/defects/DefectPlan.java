package dev.truthline.audit.defects;

import java.util.List;
import java.util.Map;

/**
 * Where a pipeline's defects are: its source quarantine topic and the dead-letter queue of every sink that reads the
 * change topic or the quarantine topic. {@code ConnectorDiscovery.discoverDefects} builds it from connector configs.
 *
 * @param bootstrapServers   the Kafka cluster
 * @param changeTopic        the source's change topic ({@code orders.events.v1})
 * @param quarantineTopic    the source contract's quarantine topic, or null when the source quarantines nothing
 * @param quarantineTemplate its template ({@code ${topic}.quarantine}), or null
 * @param sourceConnector    the source connector that quarantines, or null
 * @param headersPrefix      the source contract's verdict headers prefix ({@code dq.})
 * @param keySchemas         {@code key.converter.schemas.enable} of the landing sink (how keys are read)
 * @param valueSchemas       {@code value.converter.schemas.enable} of the landing sink (how values are read)
 * @param deadLetterQueues   dead-letter topic → the sink whose queue it is, in the configs' order
 */
public record DefectPlan(
        String bootstrapServers,
        String changeTopic,
        String quarantineTopic,
        String quarantineTemplate,
        String sourceConnector,
        String headersPrefix,
        boolean keySchemas,
        boolean valueSchemas,
        Map<String, String> deadLetterQueues) {

    public DefectPlan {
        deadLetterQueues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deadLetterQueues));
    }

    /** Every topic that holds defects: the quarantine topic first, then the dead-letter queues. */
    public List<String> defectTopics() {
        List<String> topics = new java.util.ArrayList<>();
        if (quarantineTopic != null) {
            topics.add(quarantineTopic);
        }
        topics.addAll(deadLetterQueues.keySet());
        return topics;
    }

    /**
     * The change topic a quarantine topic's records were captured for: {@link #quarantineTemplate} inverted
     * ({@code orders.events.v1.quarantine} → {@code orders.events.v1}); the change topic when the template does not
     * fit the name.
     */
    public String changeTopicOf(String quarantine) {
        if (quarantineTemplate != null) {
            int at = quarantineTemplate.indexOf("${topic}");
            if (at >= 0) {
                String before = quarantineTemplate.substring(0, at);
                String after = quarantineTemplate.substring(at + "${topic}".length());
                if (quarantine.length() > before.length() + after.length() && quarantine.startsWith(before)
                        && quarantine.endsWith(after)) {
                    return quarantine.substring(before.length(), quarantine.length() - after.length());
                }
            }
        }
        return changeTopic;
    }
}
