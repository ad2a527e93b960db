package dev.truthline.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The pipeline's connector configs as the audit finds them, unresolved ({@code ${env:…}} as written): from a Connect
 * cluster's REST API ({@code GET /connectors?expand=info}: Connect returns configs as submitted) or from connector
 * files ({@code {"name", "config"}} bodies, as {@code POST /connectors} takes them). A file without
 * {@code connector.class} (a topic list) is not a connector and is left out.
 *
 * <p>The command line's lint reads files the same way ({@code cli/…/ConnectorFiles}); the audit runs in a JVM of
 * its own and does not depend on the command line, so it keeps this small reader.
 */
public final class ConnectorConfigs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorConfigs() {
    }

    /** Connector name → config, from {@code *.json} files in {@code folder} (or one file). */
    public static Map<String, Map<String, String>> fromFiles(Path path) throws CannotJudgeException {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> list = Files.list(path)) {
                list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new CannotJudgeException("cannot list " + path, e);
            }
        } else {
            files.add(path);
        }
        for (Path file : files) {
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new CannotJudgeException("cannot read " + file + ": " + e.getMessage(), e);
            }
            JsonNode config = root.has("config") ? root.get("config") : root;
            if (!config.has("connector.class")) {
                continue;
            }
            String name = root.has("name") ? root.get("name").asText() : config.path("name").asText(
                    file.getFileName().toString().replaceFirst("\\.json$", ""));
            connectors.put(name, strings(config));
        }
        return connectors;
    }

    /** Connector name → config, from a Connect cluster's REST API. */
    public static Map<String, Map<String, String>> fromRest(String connectUrl) throws CannotJudgeException {
        String base = connectUrl.endsWith("/") ? connectUrl.substring(0, connectUrl.length() - 1) : connectUrl;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/connectors?expand=info"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        JsonNode root;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CannotJudgeException("GET " + request.uri() + " answered " + response.statusCode());
            }
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CannotJudgeException("cannot reach Connect at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotJudgeException("interrupted while asking Connect at " + base, e);
        }
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            connectors.put(e.getKey(), strings(e.getValue().path("info").path("config")));
        }
        return connectors;
    }

    private static Map<String, String> strings(JsonNode config) {
        Map<String, String> m = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
