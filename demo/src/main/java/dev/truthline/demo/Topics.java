package dev.truthline.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ClassicGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Creating topics and reading them to their end, with Kafka's clients. */
final class Topics implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;

    Topics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    Admin admin() {
        return admin;
    }

    /**
     * The classic groups among {@code ids} that exist, by id (Connect's worker group and its sink tasks' consumer
     * groups are classic groups).
     */
    Map<String, ClassicGroupDescription> classicGroups(Collection<String> ids) throws Exception {
        Map<String, ClassicGroupDescription> groups = new HashMap<>();
        for (var group : admin.describeClassicGroups(ids).describedGroups().entrySet()) {
            try {
                groups.put(group.getKey(), group.getValue().get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
        return groups;
    }

    /** Each member of the groups, as {@code group/member}. */
    static Set<String> members(Map<String, ClassicGroupDescription> groups) {
        return groups.values().stream().flatMap(g -> g.members().stream().map(m -> g.groupId() + "/" + m.consumerId()))
                .collect(Collectors.toSet());
    }

    /** Creates each topic that does not exist yet; returns the names created. */
    List<String> create(Collection<PipelineFiles.TopicSpec> specs) throws Exception {
        Set<String> existing = admin.listTopics().names().get();
        List<String> created = new ArrayList<>();
        for (PipelineFiles.TopicSpec spec : specs) {
            if (existing.contains(spec.name())) {
                continue;
            }
            try {
                admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                        .configs(spec.configs()))).all().get();
                created.add(spec.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** The number of records the topic holds (sum of end offsets minus start offsets); 0 when absent. */
    long size(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    /**
     * Reads every record of the topic from the beginning up to its end offsets at the time of the call,
     * partition by partition in offset order.
     */
    void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition p = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(p)) {
                        byPartition.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
                    }
                }
            }
            partitions.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .forEach(p -> byPartition.getOrDefault(p, List.of()).forEach(each));
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        return infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
