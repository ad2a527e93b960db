package dev.truthline.connect.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * A node's settings: one node keeps every internal topic at one replica (the single-broker case); three nodes give
 * three replicas and {@code min.insync.replicas} 2, so one node can die without an acknowledged record being lost.
 * The forked cluster itself, a node killed and brought back, runs in demo/'s DemoPipelineIT.
 */
class KafkaClusterTest {

    private static final String QUORUM = "localhost:9093,localhost:9094,localhost:9095";

    @Test
    void oneNodeIsTheSingleBrokerCase() {
        Properties p = KafkaCluster.serverProperties(1, Path.of("data"), 9092, 9093, "localhost:9093", 1);
        assertThat(p).containsEntry("node.id", "1").containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.bootstrap.servers", "localhost:9093")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1").containsEntry("min.insync.replicas", "1")
                .containsEntry("offsets.topic.num.partitions", "5");
    }

    @Test
    void threeNodesReplicateThreeTimesAndNeedTwoInSync() {
        Properties p = KafkaCluster.serverProperties(2, Path.of("data"), 9192, 9094, QUORUM, 3);
        assertThat(p).containsEntry("node.id", "2").containsEntry("controller.quorum.bootstrap.servers", QUORUM)
                .containsEntry("listeners", "PLAINTEXT://localhost:9192,CONTROLLER://localhost:9094")
                .containsEntry("default.replication.factor", "3").containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("unclean.leader.election.enable", "false");
        assertThat(KafkaCluster.replicationFactor(5)).isEqualTo(3);
        assertThat(KafkaCluster.minInsyncReplicas(2)).isEqualTo(1);
    }
}
