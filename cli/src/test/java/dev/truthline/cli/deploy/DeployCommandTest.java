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
    void aWorkerUrlIsRequiredAndAnUnreadableFileStopsBeforeAnyCall() throws IOException {
        Path nameless = Files.writeString(dir.resolve("nameless.json"), "{\"connector.class\":\"a.B\"}");
        assertThat(CliRun.of("deploy", nameless.toString()).exit()).isEqualTo(2);
        CliRun run = CliRun.of("deploy", "--connect-url", "http://127.0.0.1:1", nameless.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("nameless.json: no connector name");
    }
}
