package dev.truthline.connect.validation;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

import dev.truthline.connect.core.TaskStop;

/**
 * Writes the records ValidateContract rejects with {@code on.failure=dead_letter} to the dead-letter topic, and waits
 * until the brokers have acknowledged each one before the record leaves the chain.
 *
 * <p>Why not Connect's own dead-letter queue: Connect hands a record that a transform failed to its DLQ producer and
 * moves on without waiting for, or checking, that write (the send's future is dropped), so the offsets after the
 * record can be committed before the DLQ has it. A worker that dies in between — or a DLQ write that fails, which
 * Connect only logs — loses the record: it is neither in the DLQ nor handed to a task again. Here the record is in
 * the topic, with the same context headers Connect writes, before the next record is judged; what the sink commits
 * afterwards can only be behind it.
 *
 * <p>The record is written as the pipeline's converters write it (so a ValidateContract first in the chain writes the
 * bytes it was given) with its own headers and Connect's {@code __connect.errors.*} context headers: original topic,
 * partition and offset, connector and task (from Connect's task thread name), stage, class, exception class and
 * message — the failed rules, never a value.
 */
final class DeadLetterWriter implements AutoCloseable {

    private static final String ERRORS = "__connect.errors.";
    private static final String TASK_THREAD = "task-thread-";

    private final String topic;
    private final String servers;
    private final Map<String, Object> producerProps;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private final HeaderConverter headerConverter;
    private final long timeoutMs;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
    private Producer<byte[], byte[]> producer;

    DeadLetterWriter(String topic, Map<String, Object> clientProps, Converter keyConverter, Converter valueConverter,
            HeaderConverter headerConverter, long timeoutMs,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
        this.topic = topic;
        this.servers = String.valueOf(clientProps.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> props = new HashMap<>();
        // Every acknowledged record is on all in-sync replicas, and a retry never writes it twice.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeoutMs));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.putAll(clientProps);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producerProps = props;
        this.keyConverter = keyConverter;
        this.valueConverter = valueConverter;
        this.headerConverter = headerConverter;
        this.timeoutMs = timeoutMs;
        this.producers = producers;
    }

    static Producer<byte[], byte[]> kafkaProducer(Map<String, Object> props) {
        return new KafkaProducer<>(props);
    }

    /**
     * Writes the dead letter and waits for the brokers' acknowledgement.
     *
     * @throws DeadLetterWriteFailed when the topic does not have it within the timeout: the task must stop (see there)
     */
    void write(SinkRecord record, Class<?> failingClass, String reason) {
        ProducerRecord<byte[], byte[]> dead = deadLetter(record, failingClass, reason);
        try {
            producer().send(dead).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(record, e);
        } catch (ExecutionException e) {
            throw failed(record, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw failed(record, e);
        }
    }

    private DeadLetterWriteFailed failed(SinkRecord record, Throwable cause) {
        return new DeadLetterWriteFailed("ValidateContract could not write the record it rejected at "
                + record.originalTopic() + "/" + record.originalKafkaPartition() + "/" + record.originalKafkaOffset()
                + " to the dead-letter topic " + topic + " (" + ValidateContractConfig.DEAD_LETTER_BOOTSTRAP_SERVERS + "="
                + servers + ") within " + Duration.ofMillis(timeoutMs) + ": " + cause + ". The task stops, so the "
                + "record and the ones after it are handed to the task again once it is restarted; nothing is "
                + "committed past it.", cause);
    }

    /** The dead letter of {@code record}: its bytes as the pipeline's converters make them, its headers and Connect's. */
    ProducerRecord<byte[], byte[]> deadLetter(SinkRecord record, Class<?> failingClass, String reason) {
        String original = record.originalTopic();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header.key(), headerConverter.fromConnectHeader(original, header.key(), header.schema(),
                    header.value()));
        }
        byte[] key;
        byte[] value;
        try {
            key = keyConverter.fromConnectData(original, headers, record.keySchema(), record.key());
            value = valueConverter.fromConnectData(original, headers, record.valueSchema(), record.value());
        } catch (DataException e) {
            throw new DataException("ValidateContract cannot write the rejected record at " + original + "/"
                    + record.originalKafkaPartition() + "/" + record.originalKafkaOffset() + " with "
                    + ValidateContractConfig.DEAD_LETTER_KEY_CONVERTER + " / " + ValidateContractConfig.DEAD_LETTER_VALUE_CONVERTER
                    + " (they must be the connector's converters): " + e.getMessage(), e);
        }
        context(headers, "topic", original);
        context(headers, "partition", String.valueOf(record.originalKafkaPartition()));
        context(headers, "offset", String.valueOf(record.originalKafkaOffset()));
        String[] task = connectorTask();
        if (task != null) {
            context(headers, "connector.name", task[0]);
            context(headers, "task.id", task[1]);
        }
        context(headers, "stage", "TRANSFORMATION");
        context(headers, "class.name", failingClass.getName());
        context(headers, "exception.class.name", DataException.class.getName());
        context(headers, "exception.message", reason);
        return new ProducerRecord<>(topic, null, record.timestamp(), key, value, headers);
    }

    private static void context(RecordHeaders headers, String name, String value) {
        headers.remove(ERRORS + name);
        headers.add(ERRORS + name, value.getBytes(UTF_8));
    }

    /** Connector and task id from Connect's task thread name ({@code task-thread-<connector>-<task>}), or null. */
    private static String[] connectorTask() {
        String thread = Thread.currentThread().getName();
        int dash = thread.lastIndexOf('-');
        if (thread.startsWith(TASK_THREAD) && dash > TASK_THREAD.length() && isDigits(thread.substring(dash + 1))) {
            return new String[] {thread.substring(TASK_THREAD.length(), dash), thread.substring(dash + 1)};
        }
        return null;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            // Made on the first rejection: a task that rejects nothing, and a configuration check, open no connection.
            Map<String, Object> props = producerProps;
            String[] task = connectorTask();
            if (task != null && !props.containsKey(ProducerConfig.CLIENT_ID_CONFIG)) {
                // Its log lines and metrics name the task, as Connect's own connector-dlq-producer-<connector>-<task>.
                props = new HashMap<>(props);
                props.put(ProducerConfig.CLIENT_ID_CONFIG, "truthline-dead-letter-" + task[0] + "-" + task[1]);
            }
            producer = producers.apply(props);
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        Utils.closeQuietly(keyConverter, "dead-letter key converter");
        Utils.closeQuietly(valueConverter, "dead-letter value converter");
        Utils.closeQuietly(headerConverter, "dead-letter header converter");
    }

    /** The dead-letter topic did not take a rejected record (or there is none): the task stops, see {@link TaskStop}. */
    static final class DeadLetterWriteFailed extends TaskStop {
        private static final long serialVersionUID = 1L;

        DeadLetterWriteFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
