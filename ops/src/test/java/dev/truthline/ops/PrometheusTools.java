package dev.truthline.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import dev.truthline.connect.harness.PrometheusServer;

/**
 * Prometheus's own programs — {@code promtool} and the {@code prometheus} server (Debian's {@code prometheus}
 * package; CI installs it in {@code .ci/run}) — found on the PATH or under {@code -Dtruthline.prometheus.bin=DIR} ({@link PrometheusServer#find}).
 * Where they are absent, the tests that need them are skipped with a message saying how to install them: the one
 * skip this build allows, so {@code ./mvnw verify} works on a machine without Prometheus.
 */
final class PrometheusTools {

    private PrometheusTools() {
    }

    static Optional<Path> find(String program) {
        return PrometheusServer.find(program);
    }

    /** The program, or the test is skipped with a message saying why and how to get it. */
    static Path require(String program) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            String why = program + " is not installed (not on PATH, no -Dtruthline.prometheus.bin): skipping. Install "
                    + "Debian's prometheus package (apt-get install -y prometheus) to run this test; CI does.";
            LoggerFactory.getLogger(PrometheusTools.class).warn(why);
            assumeTrue(false, why);
        }
        return found.get();
    }

    record Run(int exitCode, String output) {
    }

    /** Runs a program to its end (at most two minutes) in {@code dir}; stdout and stderr together. */
    static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
