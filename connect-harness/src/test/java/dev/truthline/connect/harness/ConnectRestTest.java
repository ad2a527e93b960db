package dev.truthline.connect.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a connector's status, as {@code GET /connectors/{name}/status} answers it. */
class ConnectRestTest {

    private static JsonNode status(String connector, String... tasks) throws Exception {
        StringBuilder json = new StringBuilder("{\"name\":\"c\",\"connector\":{\"state\":\"" + connector
                + "\",\"worker_id\":\"w:8083\"" + ("FAILED".equals(connector) ? ",\"trace\":\"boom\"" : "")
                + "},\"tasks\":[");
        for (int i = 0; i < tasks.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"state\":\"").append(tasks[i])
                    .append("\",\"worker_id\":\"w:8083\"")
                    .append("FAILED".equals(tasks[i]) ? ",\"trace\":\"task " + i + " trace\"" : "").append('}');
        }
        return ConnectRest.JSON.readTree(json.append("],\"type\":\"sink\"}").toString());
    }

    @Test
    void runningWithTheTasksAsked() throws Exception {
        assertThat(ConnectRest.running(status("RUNNING", "RUNNING", "RUNNING"), 2)).isTrue();
        assertThat(ConnectRest.running(status("RUNNING", "RUNNING", "RUNNING"), ConnectRest.ANY_TASKS)).isTrue();
        assertThat(ConnectRest.running(status("RUNNING", "RUNNING", "RUNNING"), 3)).as("a task short").isFalse();
        assertThat(ConnectRest.running(status("RUNNING", "RUNNING", "UNASSIGNED"), 2)).isFalse();
        assertThat(ConnectRest.running(status("RUNNING"), ConnectRest.ANY_TASKS)).as("no task yet").isFalse();
        assertThat(ConnectRest.running(status("RUNNING"), 0)).isTrue();
        assertThat(ConnectRest.running(status("PAUSED", "RUNNING"), 1)).isFalse();
        assertThat(ConnectRest.running(null, 1)).isFalse();
        assertThat(ConnectRest.running(ConnectRest.JSON.nullNode(), 1)).isFalse();
    }

    @Test
    void failureNamesTheConnectorOrTheFirstFailedTask() throws Exception {
        assertThat(ConnectRest.failure(status("RUNNING", "RUNNING"))).isNull();
        assertThat(ConnectRest.failure(status("FAILED"))).isEqualTo("FAILED: boom");
        assertThat(ConnectRest.failure(status("RUNNING", "RUNNING", "FAILED", "FAILED")))
                .isEqualTo("task 1 FAILED: task 1 trace");
        assertThat(ConnectRest.failure(null)).isNull();
    }
}
