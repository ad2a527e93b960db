package dev.truthline.connect.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;

/** Publishes a plugin's counters and gauges through KIP-877 plugin metrics. */
public final class PluginCounters {

    private PluginCounters() {
    }

    /** Registers a counter; {@code tags} are added to the ones Connect sets (connector, task, alias). */
    public static void counter(PluginMetrics metrics, String name, String description, Map<String, String> tags,
            LongAdder counter) {
        gauge(metrics, name, description, tags, counter::sum);
    }

    public static void counter(PluginMetrics metrics, String name, String description, LongAdder counter) {
        counter(metrics, name, description, Map.of(), counter);
    }

    /** Registers a counter; {@code tags} are added to the ones Connect sets (connector, task, alias). */
    public static void counter(PluginMetrics metrics, String name, String description, Map<String, String> tags,
            TaskCounter counter) {
        gauge(metrics, name, description, tags, counter::sum);
    }

    public static void counter(PluginMetrics metrics, String name, String description, TaskCounter counter) {
        counter(metrics, name, description, Map.of(), counter);
    }

    public static void gauge(PluginMetrics metrics, String name, String description, Map<String, String> tags,
            LongSupplier value) {
        metrics.addMetric(metrics.metricName(name, description, new LinkedHashMap<>(tags)),
                (Measurable) (config, now) -> value.getAsLong());
    }
}
