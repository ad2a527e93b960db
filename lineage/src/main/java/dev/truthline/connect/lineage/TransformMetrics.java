package dev.truthline.connect.lineage;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The KIP-877 plugin metrics of one connector's transforms on this worker, read from the worker's own MBean
 * server ({@code kafka.connect:type=plugins,connector=…,task=…,transformation=…[,rule=…]}) and summed over its
 * tasks here: by transform alias, the counters by name, and {@code violations-total} by rule.
 */
record TransformMetrics(Map<String, Map<String, Long>> byAlias, Map<String, Map<String, Long>> violationsByAlias) {

    static TransformMetrics read(String connector) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Map<String, Long>> byAlias = new TreeMap<>();
        Map<String, Map<String, Long>> violations = new TreeMap<>();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null)) {
                if (!connector.equals(unquote(name.getKeyProperty("connector")))) {
                    continue;
                }
                String alias = unquote(name.getKeyProperty("transformation"));
                if (alias == null) {
                    continue;
                }
                String rule = unquote(name.getKeyProperty("rule"));
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    Object value = server.getAttribute(name, attribute.getName());
                    if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
                        continue;
                    }
                    long v = n.longValue();
                    if (rule != null) {
                        violations.computeIfAbsent(alias, a -> new TreeMap<>()).merge(rule, v, Long::sum);
                    } else {
                        byAlias.computeIfAbsent(alias, a -> new LinkedHashMap<>()).merge(attribute.getName(), v,
                                Long::sum);
                    }
                }
            }
        } catch (JMException e) {
            // A task that stops while it is read unregisters its beans: what was read so far stands.
        }
        return new TransformMetrics(byAlias, violations);
    }

    long get(String alias, String metric) {
        return byAlias.getOrDefault(alias, Map.of()).getOrDefault(metric, 0L);
    }

    private static String unquote(String value) {
        return value != null && value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }
}
