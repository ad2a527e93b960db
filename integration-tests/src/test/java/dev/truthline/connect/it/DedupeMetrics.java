package dev.truthline.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The Deduplicate metrics (KIP-877 plugin metrics) of a connector's task 0, read over JMX from the
 * worker running in this JVM. The transform must be configured under the alias {@code dedupe}.
 */
final class DedupeMetrics {

    static final List<String> NAMES = List.of("records-total", "records-passed", "replays-total",
            "duplicates-total", "stale-total", "stale-tombstones-total", "missing-id-total", "records-skipped",
            "window-entries", "window-evictions-total");

    private DedupeMetrics() {
    }

    /** Every metric by name; fails the test when the task's MBean is not registered. */
    static Map<String, Double> of(String connector) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName bean = new ObjectName("kafka.connect:type=plugins,connector=" + connector
                + ",task=0,transformation=dedupe");
        assertThat(server.isRegistered(bean)).as("MBean %s among %s", bean,
                server.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null)).isTrue();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : NAMES) {
            metrics.put(name, ((Number) server.getAttribute(bean, name)).doubleValue());
        }
        return metrics;
    }

    /** For failure messages. */
    static String describe(String connector) {
        try {
            return of(connector).toString();
        } catch (Exception | AssertionError e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }
}
