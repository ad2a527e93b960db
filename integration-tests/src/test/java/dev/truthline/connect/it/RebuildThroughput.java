package dev.truthline.connect.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A measurement, not part of {@code verify} (its name does not end in IT): how long Deduplicate takes
 * to rebuild a window of 1,000,000 entries from a local topic, and the records per second it reads.
 *
 * <pre>./mvnw -pl packaging,integration-tests verify -Dit.test=RebuildThroughput -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtruthline.rebuild.records=1000000</pre>
 *
 * One KRaft broker in this JVM, one partition of JSON events ({@code {"event_id":"e-<n>","amount":…}},
 * about 40 bytes each); the packaged plugin's jars in a class loader of their own, as on a worker; the
 * rebuild runs when the transform is given the partition's record at offset N (so it reads offsets
 * 0…N-1 and remembers each id). The figure is printed and logged; the assertions check that the rebuild
 * read and remembered every record.
 */
class RebuildThroughput {

    private static final Logger log = LoggerFactory.getLogger(RebuildThroughput.class);

    @Test
    @SuppressWarnings("unchecked")
    void rebuildAMillionEntriesFromALocalTopic() throws Exception {
        int records = Integer.getInteger("truthline.rebuild.records", 1_000_000);
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        try {
            kafka.createTopic("rebuild-measure", 1);
            long produceStart = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.<String, Object>of(ProducerConfig.LINGER_MS_CONFIG,
                    "20", ProducerConfig.BATCH_SIZE_CONFIG, "262144", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
                for (int i = 0; i < records; i++) {
                    String value = "{\"event_id\":\"e-" + i + "\",\"amount\":" + (i % 1000) + "}";
                    producer.send(new ProducerRecord<>("rebuild-measure", 0, ("k" + i).getBytes(UTF_8),
                            value.getBytes(UTF_8)));
                }
                producer.flush();
            }
            log.info("Produced {} records in {} ms", records, (System.nanoTime() - produceStart) / 1_000_000);

            try (URLClassLoader plugin = pluginLoader()) {
                Transformation<SinkRecord> dedupe = (Transformation<SinkRecord>) plugin
                        .loadClass("dev.truthline.connect.dedupe.Deduplicate").getDeclaredConstructor().newInstance();
                dedupe.configure(Map.of("strategy", "event_id", "id.fields", "value.event_id",
                        "window.max.entries", String.valueOf(records), "window.ttl.ms", "86400000",
                        "rebuild.bootstrap.servers", kafka.bootstrapServers(),
                        "rebuild.key.converter", "org.apache.kafka.connect.storage.StringConverter",
                        "rebuild.value.converter.schemas.enable", "false"));
                SinkRecord next = new SinkRecord("rebuild-measure", 0, null, "k", null,
                        Map.of("event_id", "e-new", "amount", 1L), records, System.currentTimeMillis(),
                        TimestampType.CREATE_TIME, new ConnectHeaders());
                long start = System.nanoTime();
                SinkRecord out = dedupe.apply(next);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(out).isSameAs(next);
                // The rebuilt ids are remembered: a copy of the second one at a new offset is a duplicate (the
                // first was evicted by e-new, the window being full).
                SinkRecord copy = new SinkRecord("rebuild-measure", 0, null, "k1", null,
                        Map.of("event_id", "e-1", "amount", 1L), records + 1L, System.currentTimeMillis(),
                        TimestampType.CREATE_TIME, new ConnectHeaders());
                assertThat(dedupe.apply(copy)).isNull();
                String figure = String.format(java.util.Locale.ROOT,
                        "Rebuilt a window of %,d entries from a local topic in %.2f s: %,.0f records/s read",
                        records, seconds, records / seconds);
                log.info(figure);
                System.out.println(figure);
                dedupe.close();
            }
        } finally {
            kafka.stop();
        }
    }

    /** The packaged Truthline plugin's jars, loaded apart from the test's class path. */
    private static URLClassLoader pluginLoader() throws Exception {
        Path lib;
        try (Stream<Path> dirs = Files.list(TruthlineCluster.PLUGIN_PATH)) {
            lib = dirs.filter(d -> d.getFileName().toString().startsWith("truthline")).findFirst().orElseThrow()
                    .resolve("lib");
        }
        List<URL> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).map(f -> {
                try {
                    return f.toUri().toURL();
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        return new URLClassLoader(jars.toArray(URL[]::new), RebuildThroughput.class.getClassLoader());
    }
}
