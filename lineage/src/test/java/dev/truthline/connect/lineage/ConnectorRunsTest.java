package dev.truthline.connect.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collection;

import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.ConnectorState;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.health.TaskState;
import org.junit.jupiter.api.Test;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

/** The run of a connector through its states (spec/OpenLineage.md: a START, then one COMPLETE/FAIL/ABORT). */
class ConnectorRunsTest {

    private final Map<String, ConnectorHealth> health = new LinkedHashMap<>();
    private final List<OpenLineage.RunEvent> emitted = new ArrayList<>();
    private final ConnectClusterState cluster = new ConnectClusterState() {
        @Override
        public Collection<String> connectors() {
            return health.keySet();
        }

        @Override
        public ConnectorHealth connectorHealth(String connName) {
            return health.get(connName);
        }

        @Override
        public Map<String, String> connectorConfig(String connName) {
            return Map.of("connector.class", "x.Sink", "topics", "orders");
        }
    };
    private final ConnectorRuns runs = new ConnectorRuns(new RunEvents("kafka-connect://test", "4.3.1", "0.1.0"),
            "w1:8083", "broker:9092", name -> null, name -> new TransformMetrics(Map.of(), Map.of()), emitted::add,
            Clock.systemUTC());

    @Test
    void startRunningFailThenANewRunAndCompleteWhenDeleted() {
        state("orders", "RUNNING", "w1:8083", "RUNNING");
        runs.poll(cluster);
        runs.poll(cluster);
        state("orders", "RUNNING", "w1:8083", "FAILED");
        runs.poll(cluster);
        runs.poll(cluster); // still failed: no second FAIL
        state("orders", "RUNNING", "w1:8083", "RUNNING");
        runs.poll(cluster);
        health.clear();
        runs.poll(cluster);

        assertThat(emitted).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START,
                EventType.RUNNING, EventType.FAIL, EventType.START, EventType.COMPLETE);
        assertThat(emitted.get(0).getRun().getRunId()).isEqualTo(emitted.get(2).getRun().getRunId())
                .isNotEqualTo(emitted.get(3).getRun().getRunId());
        assertThat(emitted.get(2).getRun().getFacets().getErrorMessage().getMessage()).startsWith("task 0 failed");
        assertThat(emitted.get(0).getInputs()).extracting(OpenLineage.Dataset::getNamespace, OpenLineage.Dataset::getName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kafka://broker:9092", "orders"));
    }

    @Test
    void stoppedCompletesAndPausedGoesOn() {
        state("orders", "RUNNING", "w1:8083", "RUNNING");
        runs.poll(cluster);
        state("orders", "PAUSED", "w1:8083", "PAUSED");
        runs.poll(cluster);
        state("orders", "STOPPED", "w1:8083", "STOPPED");
        runs.poll(cluster);
        assertThat(emitted).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START,
                EventType.COMPLETE);
    }

    /** A rebalance is not the end of a run: neither a failed status lookup nor a moment UNASSIGNED elsewhere. */
    @Test
    void aRebalanceDoesNotEndTheRunButAMoveToAnotherWorkerDoes() {
        state("orders", "RUNNING", "w1:8083", "RUNNING");
        runs.poll(cluster);
        ConnectClusterState failingLookup = new ConnectClusterState() {
            @Override
            public Collection<String> connectors() {
                return health.keySet();
            }

            @Override
            public ConnectorHealth connectorHealth(String connName) {
                throw new RuntimeException("status unknown mid-rebalance");
            }

            @Override
            public Map<String, String> connectorConfig(String connName) {
                return cluster.connectorConfig(connName);
            }
        };
        runs.poll(failingLookup);
        state("orders", "UNASSIGNED", "w2:8083", "UNASSIGNED");
        runs.poll(cluster);
        state("orders", "RUNNING", "w1:8083", "RUNNING");
        runs.poll(cluster);
        state("orders", "RUNNING", "w2:8083", "RUNNING");
        runs.poll(cluster);
        assertThat(emitted).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START,
                EventType.RUNNING, EventType.COMPLETE);
        assertThat(emitted).extracting(e -> e.getRun().getRunId()).containsOnly(emitted.get(0).getRun().getRunId());
    }

    @Test
    void onlyTheWorkerRunningTheConnectorReportsIt() {
        state("elsewhere", "RUNNING", "w2:8083", "RUNNING");
        runs.poll(cluster);
        assertThat(emitted).isEmpty();
        assertThat(TruthlineLineage.workerId(Map.of("listeners", "http://w1:8083"))).isEqualTo("w1:8083");
        assertThat(TruthlineLineage.workerId(Map.of("listeners", "http://:8083", "rest.advertised.host.name", "w3",
                "rest.advertised.port", "9000"))).isEqualTo("w3:9000");
        assertThat(TruthlineLineage.workerId(Map.of("listeners", "http://:8083"))).isNull();
    }

    private void state(String connector, String connectorState, String worker, String taskState) {
        health.put(connector, new ConnectorHealth(connector, new ConnectorState(connectorState, worker, null),
                Map.of(0, new TaskState(0, taskState, worker, taskState.equals("FAILED") ? "boom\n at x" : null)),
                ConnectorType.SINK));
    }
}
