package dev.truthline.audit.defects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The compact position set against the boring model: a set of the positions' texts. */
class DistinctPositionsTest {

    @Test
    void countsAsASetOfTextsDoesOnRandomPositions() {
        Random random = new Random(16);
        for (int run = 0; run < 50; run++) {
            Map<String, Integer> topics = new HashMap<>();
            DistinctPositions a = new DistinctPositions(topics);
            DistinctPositions b = new DistinctPositions(topics);
            Set<String> modelA = new HashSet<>();
            Set<String> modelB = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                String position = position(random);
                a.add(position);
                modelA.add(position);
                if (random.nextBoolean()) {
                    b.add(position);
                    modelB.add(position);
                }
            }
            assertThat(a.size()).isEqualTo(modelA.size());
            assertThat(b.size()).isEqualTo(modelB.size());
        }
    }

    @Test
    void positionsBeyondTheBitsAndTopicsBeyondTheTableStayExact() {
        Map<String, Integer> topics = new HashMap<>();
        DistinctPositions s = new DistinctPositions(topics);
        long bigOffset = 1L << DistinctPositions.OFFSET_BITS;
        int bigPartition = 1 << DistinctPositions.PARTITION_BITS;
        for (String p : new String[] {"t/0/" + bigOffset, "t/0/" + (bigOffset + 1), "t/" + bigPartition + "/0",
                "t/0/0", "t/0/0", "t/" + bigPartition + "/0", "not a position", "not a position"}) {
            s.add(p);
        }
        assertThat(s.size()).isEqualTo(5);
        // More topics than the table numbers: the rest are kept as text, still distinct.
        for (int t = 0; t < (1 << DistinctPositions.TOPIC_BITS) + 10; t++) {
            s.add("topic-" + t + "/1/1");
            s.add("topic-" + t + "/1/1");
        }
        assertThat(s.size()).isEqualTo(5 + (1 << DistinctPositions.TOPIC_BITS) + 10);
    }

    /** Few topics, partitions and offsets, so that positions repeat; now and then offsets or partitions too large. */
    private static String position(Random random) {
        String topic = "orders.events.v" + random.nextInt(3);
        int partition = random.nextInt(50) == 0 ? (1 << DistinctPositions.PARTITION_BITS) + random.nextInt(2)
                : random.nextInt(4);
        long offset = random.nextInt(50) == 0 ? (1L << DistinctPositions.OFFSET_BITS) + random.nextInt(3)
                : random.nextInt(600);
        return topic + "/" + partition + "/" + offset;
    }
}
