package dev.truthline.connect.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of Kafka's plugin-path tool ({@code bin/connect-plugin-path.sh}, class {@code ConnectPluginPath}) in its
 * own JVM, as the script runs it, on a class path of the Kafka jars it needs (a build puts it into a system
 * property); its log goes to stderr from WARN up. Both streams are kept in
 * {@code ${java.io.tmpdir}/connect-plugin-path-<name>.out} and {@code .err}.
 */
public record ConnectPluginPathRun(int exitCode, String out, String err) {

    /** Runs the tool with {@code args}; fails after two minutes. */
    public static ConnectPluginPathRun of(String classpath, String name, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classpath, "org.apache.kafka.tools.ConnectPluginPath"));
        command.addAll(List.of(args));
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            Path out = dir.resolve("connect-plugin-path-" + name + ".out");
            Path err = dir.resolve("connect-plugin-path-" + name + ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("connect-plugin-path did not finish in 2 minutes: " + command);
            }
            return new ConnectPluginPathRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code list} table's column names. */
    public List<String> header() {
        return Arrays.asList(table().get(0));
    }

    /** Each row of the {@code list} table as column name to value, by plugin class name. */
    public Map<String, Map<String, String>> rowsByPlugin() {
        List<String[]> table = table();
        String[] columns = table.get(0);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String[] cells : table.subList(1, table.size())) {
            if (cells.length != columns.length) {
                throw new AssertionError("A row of " + cells.length + " cells under " + columns.length + " columns: "
                        + String.join("\t", cells));
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.length; i++) {
                row.put(columns[i], cells[i]);
            }
            if (rows.put(cells[0], row) != null) {
                throw new AssertionError("Two rows for " + cells[0]);
            }
        }
        return rows;
    }

    /** The summary after the table: {@code Total plugins}, {@code Loadable plugins}, {@code Compatible plugins}. */
    public Map<String, Integer> summary() {
        Map<String, Integer> summary = new LinkedHashMap<>();
        for (String line : out.split("\\R")) {
            int colon = line.indexOf(':');
            if (line.endsWith("plugins:") || colon < 0 || !line.contains(" plugins:")) {
                continue;
            }
            summary.put(line.substring(0, colon).trim(), Integer.parseInt(line.substring(colon + 1).trim()));
        }
        return summary;
    }

    /** The table's lines: the header, then one row per plugin (the table ends at the first empty line). */
    private List<String[]> table() {
        List<String[]> table = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (line.isEmpty()) {
                break;
            }
            table.add(line.split("\t", -1));
        }
        return table;
    }
}
