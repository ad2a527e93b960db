package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A replayed record older than a current-state sink's entity_version window is refused. */
class EntityVersionGuardTest {

    private static final long HOUR = 3_600_000L;
    private static final long NOW = 100 * HOUR;

    @Test
    void olderThanTheWindowIsRefusedNamingConnectorKeyAndWindow() throws Exception {
        ReplayPipeline pipeline = Fixtures.pipeline("NEW", "NEW", String.valueOf(HOUR));
        ReplayCandidate old = Fixtures.deadLettered(3, 2, 120, 43, "NEW", NOW - 2 * HOUR);
        ReplayCandidate recent = Fixtures.deadLettered(4, 2, 121, 44, "NEW", NOW - HOUR / 2);
        List<EntityVersionGuard.Refusal> refused = EntityVersionGuard.check(pipeline, List.of(old, recent), NOW);
        assertThat(refused).hasSize(1);
        EntityVersionGuard.Refusal r = refused.get(0);
        assertThat(r.connector()).isEqualTo("orders-warehouse");
        assertThat(r.windowMs()).isEqualTo(HOUR);
        assertThat(r.key()).isEqualTo("{order_id=43}");
        assertThat(r.describe()).contains("orders-warehouse").contains("3600000 ms").contains("{order_id=43}");
    }

    @Test
    void withoutARebuildTheWindowDoesNotSurviveARestartAndEveryRecordIsRefused() {
        Map<String, Map<String, String>> connectors = Fixtures.connectors("NEW", "NEW", String.valueOf(HOUR));
        Map<String, String> warehouse = new java.util.LinkedHashMap<>(connectors.get("orders-warehouse"));
        warehouse.remove("transforms.dedupe.rebuild.bootstrap.servers");
        connectors.put("orders-warehouse", warehouse);
        ReplayPipeline pipeline = new ReplayPipeline(connectors, new dev.truthline.audit.ConfigValues(Map.of()));
        ReplayCandidate recent = Fixtures.deadLettered(4, 2, 121, 44, "NEW", NOW - 1_000);
        List<EntityVersionGuard.Refusal> refused = EntityVersionGuard.check(pipeline, List.of(recent), NOW);
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).rebuilds()).isFalse();
        assertThat(refused.get(0).describe()).contains("orders-warehouse").contains("rebuild.bootstrap.servers")
                .contains("{order_id=44}");
    }

    @Test
    void theWindowIsDeduplicatesDefaultWhenNotSetAndOnlyEntityVersionCounts() throws Exception {
        ReplayPipeline pipeline = Fixtures.pipeline("NEW", "NEW", null);
        ReplayCandidate old = Fixtures.deadLettered(3, 2, 120, 43, "NEW", NOW - 2 * HOUR);
        assertThat(EntityVersionGuard.check(pipeline, List.of(old), NOW)).extracting(
                EntityVersionGuard.Refusal::windowMs).containsExactly(HOUR);
        assertThat(EntityVersionGuard.entityVersionWindow(Map.of("type", ReplayPipeline.DEDUPLICATE, "strategy",
                "debezium", "window.ttl.ms", "1"))).isNull();
        assertThat(EntityVersionGuard.entityVersionWindow(Map.of("type", ReplayPipeline.DEDUPLICATE, "strategy",
                "ENTITY_VERSION", "window.ttl.ms", "86400000"))).isEqualTo(86_400_000L);
    }
}
