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
