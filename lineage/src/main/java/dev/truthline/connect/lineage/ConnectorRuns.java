package dev.truthline.connect.lineage;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.ConnectorState;
import org.apache.kafka.connect.health.TaskState;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

/**
 * The run of each connector this worker hosts, moved along by {@link #poll}: a connector seen RUNNING starts a run
 * (START), is RUNNING at every later poll (with the data-quality counts since the start), and ends with COMPLETE
 * when it is stopped or deleted, or FAIL when the connector or one of its tasks fails. A failed connector that
 * runs again starts a new run.
 */
final class ConnectorRuns {

    private static final class Run {
        final UUID id = UUID.randomUUID();
        Map<String, String> config;
        Datasets.Io io;
        TransformMetrics previous;
        boolean failed;
    }

    private final Map<String, Run> runs = new HashMap<>();
    private final RunEvents events;
    private final String workerId;
    private final String workerBootstrap;
    private final UnaryOperator<String> env;
    private final Function<String, TransformMetrics> metrics;
    private final Consumer<OpenLineage.RunEvent> emit;
    private final Clock clock;

    /**
     * @param workerId this worker's id ({@code host:port}); null: emit for every connector of the cluster
     */
    ConnectorRuns(RunEvents events, String workerId, String workerBootstrap, UnaryOperator<String> env,
            Function<String, TransformMetrics> metrics, Consumer<OpenLineage.RunEvent> emit, Clock clock) {
        this.events = events;
        this.workerId = workerId;
        this.workerBootstrap = workerBootstrap;
        this.env = env;
        this.metrics = metrics;
        this.emit = emit;
        this.clock = clock;
    }

    void poll(ConnectClusterState cluster) {
        Set<String> seen = new HashSet<>();
        for (String connector : cluster.connectors()) {
            ConnectorHealth health;
            Map<String, String> config;
            try {
                health = cluster.connectorHealth(connector);
                config = cluster.connectorConfig(connector);
            } catch (RuntimeException e) {
                // Deleted between the listing and the lookup, or its status unknown for a moment mid-rebalance: a
                // lookup that fails is not an end; a deleted connector leaves the listing and completes then.
                seen.add(connector);
                continue;
            }
            if (workerId != null && !workerId.equals(health.connectorState().workerId())) {
                // The worker that runs the Connector instance reports it. Between owners (a rebalance) it is
                // UNASSIGNED: the run goes on; once another worker runs it, this worker's run of it is complete.
                if ("UNASSIGNED".equals(health.connectorState().state())) {
                    seen.add(connector);
                }
                continue;
            }
            seen.add(connector);
            step(connector, health, config);
        }
        for (String gone : Set.copyOf(runs.keySet())) {
            if (!seen.contains(gone)) {
                Run run = runs.remove(gone);
                if (!run.failed) {
                    emit(EventType.COMPLETE, gone, run, run.previous, null);
                }
            }
        }
    }

    private void step(String connector, ConnectorHealth health, Map<String, String> config) {
        String error = failure(health);
        String state = health.connectorState().state();
        Run run = runs.get(connector);
        if (error != null) {
            if (run == null || !run.failed) {
                if (run == null) {
                    run = start(connector, config);
                }
                run.failed = true;
                emit(EventType.FAIL, connector, run, metrics.apply(connector), error);
            }
            return;
        }
        if ("STOPPED".equals(state)) {
            if (run != null) {
                runs.remove(connector);
                if (!run.failed) {
                    emit(EventType.COMPLETE, connector, run, metrics.apply(connector), null);
                }
            }
            return;
        }
        if (!"RUNNING".equals(state)) {
            return; // PAUSED, UNASSIGNED, RESTARTING: the run goes on
        }
        if (run == null || run.failed) {
            start(connector, config);
            return;
        }
        if (!config.equals(run.config)) {
            run.config = config;
            run.io = Datasets.of(config, workerBootstrap, env);
        }
        emit(EventType.RUNNING, connector, run, metrics.apply(connector), null);
    }

    private Run start(String connector, Map<String, String> config) {
        Run run = new Run();
        run.config = config;
        run.io = Datasets.of(config, workerBootstrap, env);
        runs.put(connector, run);
        emit(EventType.START, connector, run, metrics.apply(connector), null);
        return run;
    }

    private void emit(EventType type, String connector, Run run, TransformMetrics read, String error) {
        // A failed or stopped task has unregistered its metrics: keep the counts last read rather than report none.
        TransformMetrics now = read == null || read.byAlias().isEmpty() ? run.previous : read;
        emit.accept(events.event(type, run.id, connector, run.config, run.io, now, run.previous, error,
                ZonedDateTime.now(clock)));
        if (now != null) {
            run.previous = now;
        }
    }

    /** The trace of a failed connector or of its first failed task, or null. */
    private static String failure(ConnectorHealth health) {
        ConnectorState connector = health.connectorState();
        if ("FAILED".equals(connector.state())) {
            return connector.traceMessage() == null ? "connector failed" : connector.traceMessage();
        }
        for (TaskState task : health.tasksState().values()) {
            if ("FAILED".equals(task.state())) {
                return "task " + task.taskId() + " failed: " + (task.traceMessage() == null ? "" : task.traceMessage());
            }
        }
        return null;
    }
}
