package dev.truthline.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a replay's records in one Kafka transaction ({@code transactional.id truthline-replay-<replay id>},
 * idempotent, {@code acks=all}): the sinks read {@code read_committed}, so they see all of a run or none of it. The
 * partition is left to the default partitioner, which hashes the key bytes as the original producer's did.
 */
final class ReplayWriter {

    private ReplayWriter() {
    }

    static String transactionalId(String replayId) {
        return "truthline-replay-" + replayId;
    }

    /** Writes {@code records}, committed together; returns where each went, in order. */
    static List<RecordMetadata> write(String bootstrapServers, String replayId,
            List<ProducerRecord<byte[], byte[]>> records) throws KafkaException, InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(replayId));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId(replayId));
        // A large replay is one transaction: allow it the broker's default maximum (transaction.max.timeout.ms)
        // rather than the producer's one minute.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000");
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (ProducerRecord<byte[], byte[]> r : records) {
                    sent.add(producer.send(r));
                }
                producer.flush();
                for (Future<RecordMetadata> f : sent) {
                    written.add(f.get());
                }
                producer.commitTransaction();
            } catch (ExecutionException e) {
                producer.abortTransaction();
                throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
            } catch (KafkaException | InterruptedException e) {
                producer.abortTransaction();
                throw e;
            }
        }
        return written;
    }
}
