package dev.truthline.connect.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A main class in a JVM of its own: its output in the log, its environment, its exit code. */
class ForkedJvmTest {

    /** The forked main: prints its argument and an environment value, exits with the code asked for. */
    public static final class Main {
        public static void main(String[] args) {
            System.out.println(args[0] + " " + System.getenv("HARNESS_TEST"));
            System.exit(Integer.parseInt(args[1]));
        }
    }

    private static final String CLASS_PATH = System.getProperty("java.class.path");

    @Test
    void outputAndEnvironmentReachTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("main.log");
        ForkedJvm jvm = ForkedJvm.start("main", CLASS_PATH, List.of("-Xmx32m"), Main.class.getName(), List.of("hello", "0"),
                Map.of("HARNESS_TEST", "set"), log);
        Waits.until(() -> !jvm.alive(), java.time.Duration.ofSeconds(30), 100, () -> "the main did not end");
        assertThat(jvm.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("hello set");
    }

    @Test
    void aRunThatFailsNamesItsLog(@TempDir Path dir) {
        Path log = dir.resolve("fails.log");
        assertThatThrownBy(() -> ForkedJvm.run("fails", CLASS_PATH, List.of("-Xmx32m"), Main.class.getName(),
                List.of("bye", "3"), log)).isInstanceOf(IllegalStateException.class)
                .hasMessage("fails exited with 3; see " + log);
    }

    @Test
    void aBindFailureIsFoundOnlyAfterTheGivenOffset(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("broker.log");
        Files.writeString(log, "java.net.BindException: Address already in use\n");
        long end = Files.size(log);
        assertThat(Ports.bindFailed(log, 0)).isTrue();
        assertThat(Ports.bindFailed(log, end)).as("an earlier attempt's failure").isFalse();
        Files.writeString(log, "started\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(Ports.bindFailed(log, end)).isFalse();
    }
}
