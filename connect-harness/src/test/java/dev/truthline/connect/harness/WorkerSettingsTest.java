package dev.truthline.connect.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    @Test
    void aGroupHasItsOwnStorageTopicsSoForkedWorkersCanJoinIt() {
        assertThat(WorkerSettings.forGroup("g")).containsEntry("group.id", "g")
                .containsEntry("config.storage.topic", "g-configs").containsEntry("offset.storage.topic", "g-offsets")
                .containsEntry("status.storage.topic", "g-status").containsEntry("plugin.discovery", "service_load");
    }
}
