package dev.truthline.connect.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.StringConverter;

import dev.truthline.connect.it.Recordings.Delivery;

/**
 * The sink the Deduplicate integration tests share: the recording sink behind Deduplicate's {@code event_id}
 * strategy on {@code value.event_id}, fed schemaless JSON events; and how they send and read those events.
 */
final class EventIdSink {

    private EventIdSink() {
    }

    /** The connector config, with {@code extra} keys (rebuild settings, …) over it. */
    static Map<String, String> config(String topic, int tasks, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", RecordingSinkConnector.class.getName());
        config.put("tasks.max", String.valueOf(tasks));
        config.put("topics", topic);
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        config.put("value.converter.schemas.enable", "false");
        config.put("consumer.override.auto.offset.reset", "earliest");
        config.put("transforms", "dedupe");
        config.put("transforms.dedupe.type", TruthlineCluster.DEDUPLICATE);
        config.put("transforms.dedupe.strategy", "event_id");
        config.put("transforms.dedupe.id.fields", "value.event_id");
        config.putAll(extra);
        return config;
    }

    /** Sends one event to a partition and waits for it to be written. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, String eventId) throws Exception {
        String value = "{\"event_id\":\"" + eventId + "\",\"amount\":10}";
        producer.send(new ProducerRecord<>(topic, partition, ("order-" + eventId).getBytes(UTF_8), value.getBytes(UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    static String idOf(Delivery d) {
        return String.valueOf(((Map<?, ?>) d.value()).get("event_id"));
    }

    /** The event ids a connector's sink received so far. */
    static Set<String> ids(String connector) {
        return Recordings.of(connector).deliveries().stream().map(EventIdSink::idOf).collect(Collectors.toSet());
    }
}
