package dev.truthline.connect.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The distributed-worker settings every Truthline run on one machine shares — the demo's worker, the
 * integration tests' embedded and forked workers: a named group with its own storage topics (so forked
 * workers can join an embedded one), one replica each, service-loader plugin discovery, offsets flushed once a
 * second and a vanished worker's tasks moved after 5 s (defaults: 60 s and 5 minutes).
 */
public final class WorkerSettings {

    /** Truthline's REST extension, named so no Truthline class needs to be on the caller's class path. */
    public static final String REST_EXTENSION = "dev.truthline.connect.rest.TruthlineConfigValidation";

    private WorkerSettings() {
    }

    /** The shared settings of the group {@code group}; callers add plugin.path, converters and their own. */
    public static Map<String, String> forGroup(String group) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("group.id", group);
        p.put("config.storage.topic", group + "-configs");
        p.put("offset.storage.topic", group + "-offsets");
        p.put("status.storage.topic", group + "-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        // Every plugin Truthline runs with carries META-INF/services manifests: no scan of plugin.path at start.
        p.put("plugin.discovery", "service_load");
        p.put("offset.flush.interval.ms", "1000");
        p.put("scheduled.rebalance.max.delay.ms", "5000");
        return p;
    }
}
