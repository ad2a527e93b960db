package dev.truthline.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.cli.CliRun;

/** What deploy does without a worker; DeployCommandIT runs it against a real one. */
class DeployCommandTest {

    @TempDir
    Path dir;

    @Test
    void diffNamesChangedAddedAndRemovedKeysButNoValues() {
        Map<String, String> current = new LinkedHashMap<>(Map.of("name", "c", "a", "1", "b", "secret-1"));
        Map<String, String> desired = new LinkedHashMap<>(Map.of("name", "c", "b", "secret-2", "c", "3"));
        DeployCommand.Diff diff = DeployCommand.Diff.of(current, desired);
        assertThat(diff.toString()).isEqualTo("changed: b; added: c; removed: a");
        assertThat(DeployCommand.Diff.of(current, current).isEmpty()).isTrue();
    }

    @Test
    void aRebalanceAnsweredWith409Or500IsWaitedOut() throws Exception {
        // Connect answers 409 while its workers rebalance and 500 "a rebalance is expected" just before one (seen
        // when deploy updated three connectors of a running pipeline one after the other: ReplayPipelineIT).
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/connectors/c/config", exchange -> {
            int call = calls.incrementAndGet();
            int status = call == 1 ? 409 : call == 2 ? 500 : 200;
            byte[] body = (status == 200 ? "{\"a\":\"1\"}" : "{\"error_code\":" + status
                    + ",\"message\":\"Request cannot be completed because a rebalance is expected\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ConnectClient client = new ConnectClient(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    java.time.Duration.ofSeconds(10));
            assertThat(client.config("c")).containsEntry("a", "1");
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aWorkerUrlIsRequiredAndAnUnreadableFileStopsBeforeAnyCall() throws IOException {
        Path classless = Files.writeString(dir.resolve("classless.json"), "{\"name\":\"c\"}");
        assertThat(CliRun.of("deploy", classless.toString()).exit()).isEqualTo(2);
        CliRun run = CliRun.of("deploy", "--connect-url", "http://127.0.0.1:1", classless.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("classless.json: no connector.class");

        // In a folder too: deploy is all or nothing, so a file that cannot be read stops it.
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Files.writeString(folder.resolve("good.json"), "{\"connector.class\":\"a.B\"}");
        Files.writeString(folder.resolve("broken.json"), "{\"connector.class\":");
        CliRun inFolder = CliRun.of("deploy", "--connect-url", "http://127.0.0.1:1", folder.toString());
        assertThat(inFolder.exit()).isEqualTo(2);
        assertThat(inFolder.err()).contains("broken.json: not valid JSON");
    }
}
