package dev.truthline.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the last audit that explained everything stopped: per partition of the captured topics, the next offset to
 * audit ({@code {"orders.events.v1/0": 1234, …}}). An hourly run starts there and audits only what came since;
 * an audit that leaves anything unexplained does not advance it, so the next run looks again.
 */
public final class Checkpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    public static Map<TopicPartition, Long> read(Path file) throws IOException {
        Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
        if (file == null || !Files.exists(file)) {
            return offsets;
        }
        JsonNode root = JSON.readTree(file.toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            int slash = e.getKey().lastIndexOf('/');
            offsets.put(new TopicPartition(e.getKey().substring(0, slash), Integer.parseInt(e.getKey().substring(slash + 1))),
                    e.getValue().asLong());
        }
        return offsets;
    }

    /** Writes the ends of the audited ranges (atomically: a crash leaves the old checkpoint). */
    public static void write(Path file, Map<TopicPartition, TopicRanges.Range> audited) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        Map<String, Long> sorted = new TreeMap<>();
        audited.forEach((p, r) -> sorted.put(p.topic() + "/" + p.partition(), r.until()));
        sorted.forEach(root::put);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
