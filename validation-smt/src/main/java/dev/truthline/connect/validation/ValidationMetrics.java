package dev.truthline.connect.validation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.metrics.PluginMetrics;

import dev.truthline.connect.core.PluginCounters;
import dev.truthline.connect.core.TaskCounter;

/**
 * Counters of one {@code ValidateContract} instance, published through KIP-877 plugin metrics
 * (the worker's {@code plugins} group, tagged with connector, task and transform alias by Connect).
 */
final class ValidationMetrics {

    final TaskCounter total = new TaskCounter();
    final TaskCounter valid = new TaskCounter();
    final TaskCounter invalid = new TaskCounter();
    final TaskCounter warned = new TaskCounter();
    final TaskCounter quarantined = new TaskCounter();
    final TaskCounter dropped = new TaskCounter();
    final TaskCounter failed = new TaskCounter();
    final TaskCounter deadLettered = new TaskCounter();
    final TaskCounter skipped = new TaskCounter();
    private final List<String> ruleNames;
    private final TaskCounter[] violationsByRule;
    private final Map<String, TaskCounter> byName = new HashMap<>();

    /** @param ruleNames the names of the rules, in the order of {@link #violation(int)}'s index */
    ValidationMetrics(List<String> ruleNames) {
        this.ruleNames = List.copyOf(ruleNames);
        this.violationsByRule = new TaskCounter[ruleNames.size()];
        for (int i = 0; i < violationsByRule.length; i++) {
            violationsByRule[i] = new TaskCounter();
            byName.put(ruleNames.get(i), violationsByRule[i]);
        }
    }

    void violation(int ruleIndex) {
        violationsByRule[ruleIndex].increment();
    }

    /** Counts a violation of a rule known by name only (a Bean Validation constraint); unknown names are not counted. */
    void violation(String rule) {
        TaskCounter counter = byName.get(rule);
        if (counter != null) {
            counter.increment();
        }
    }

    long violations(String rule) {
        TaskCounter counter = byName.get(rule);
        return counter == null ? 0 : counter.sum();
    }

    void register(PluginMetrics metrics) {
        PluginCounters.counter(metrics, "records-total", "Records the transform has seen.", total);
        PluginCounters.counter(metrics, "records-valid", "Records that satisfied the contract (warnings allowed).", valid);
        PluginCounters.counter(metrics, "records-invalid", "Records that violated at least one error-severity rule.", invalid);
        PluginCounters.counter(metrics, "records-warned", "Records that violated only warn-severity rules.", warned);
        PluginCounters.counter(metrics, "records-quarantined", "Invalid records routed to the quarantine topic.", quarantined);
        PluginCounters.counter(metrics, "records-dropped", "Invalid records dropped (on.failure=drop).", dropped);
        PluginCounters.counter(metrics, "records-failed", "Invalid records failed with a DataException (on.failure=fail).", failed);
        PluginCounters.counter(metrics, "records-dead-lettered",
                "Invalid records written to dead.letter.topic and acknowledged by the brokers (on.failure=dead_letter).",
                deadLettered);
        PluginCounters.counter(metrics, "records-skipped",
                "Records passed untouched without a verdict: tombstones, Debezium truncate and message events.",
                skipped);
        for (int i = 0; i < ruleNames.size(); i++) {
            PluginCounters.counter(metrics, "violations-total",
                    "Violations of one rule (a record can violate a rule once per addressed field).",
                    Map.of("rule", ruleNames.get(i)), violationsByRule[i]);
        }
    }
}
