package dev.truthline.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.truthline.connect.dedupe.DeduplicateConfig;

/**
 * Keeps a replay from rolling a current-state table back. A sink with {@code Deduplicate} in
 * {@code strategy=entity_version} drops a version older than the newest it remembers for the entity — but it remembers
 * for {@code window.ttl.ms} only, and without {@code rebuild.bootstrap.servers} only since its task last started (the
 * deploy of the fix restarts it): a replayed record older than the window, or any replayed record when the window
 * does not survive a restart, could overwrite a newer row. Such a record is refused unless the operator says
 * {@code --beyond-window}.
 */
final class EntityVersionGuard {

    /** A record the guard refuses: the sink connector, the record's key as text, and the window it is older than. */
    record Refusal(String connector, String key, long windowMs, boolean rebuilds, ReplayCandidate candidate) {
        String describe() {
            if (!rebuilds) {
                return connector + " keeps entity versions in memory only (Deduplicate without "
                        + DeduplicateConfig.REBUILD_BOOTSTRAP_SERVERS + "): after a restart its window is empty, and "
                        + "key " + key + " at " + candidate.of() + " could overwrite a newer row";
            }
            return connector + " keeps entity versions for " + windowMs + " ms (Deduplicate window.ttl.ms): key "
                    + key + " at " + candidate.of() + " is older than that";
        }
    }

    private EntityVersionGuard() {
    }

    static List<Refusal> check(ReplayPipeline pipeline, List<ReplayCandidate> toWrite, long nowMs) {
        List<Refusal> refused = new ArrayList<>();
        for (ReplayCandidate c : toWrite) {
            for (String reader : pipeline.readers(c.target())) {
                for (Map<String, String> t : ReplayPipeline.transforms(pipeline.config(reader)).values()) {
                    Long window = entityVersionWindow(t);
                    if (window == null) {
                        continue;
                    }
                    boolean rebuilds = rebuilds(t);
                    if (!rebuilds || c.timestamp() < nowMs - window) {
                        refused.add(new Refusal(reader, c.keyText(), window, rebuilds, c));
                    }
                }
            }
        }
        return refused;
    }

    /** Whether a Deduplicate reads its window back from the log when its task starts. */
    static boolean rebuilds(Map<String, String> transform) {
        String servers = transform.get(DeduplicateConfig.REBUILD_BOOTSTRAP_SERVERS);
        return servers != null && !servers.isBlank();
    }

    /** A Deduplicate in entity_version's window (its {@code window.ttl.ms}, or Deduplicate's default), else null. */
    static Long entityVersionWindow(Map<String, String> transform) {
        if (!ReplayPipeline.DEDUPLICATE.equals(transform.get("type"))) {
            return null;
        }
        String strategy = transform.getOrDefault(DeduplicateConfig.STRATEGY,
                (String) DeduplicateConfig.CONFIG_DEF.configKeys().get(DeduplicateConfig.STRATEGY).defaultValue);
        if (!"entity_version".equals(strategy.strip().toLowerCase(Locale.ROOT))) {
            return null;
        }
        String ttl = transform.get(DeduplicateConfig.WINDOW_TTL_MS);
        return ttl == null ? (Long) DeduplicateConfig.CONFIG_DEF.configKeys().get(DeduplicateConfig.WINDOW_TTL_MS)
                .defaultValue : Long.parseLong(ttl.strip());
    }
}
