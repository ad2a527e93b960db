package dev.truthline.connect.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Connect REST API calls a harness user makes: create, validate, status, and any call with a JSON body. */
public final class ConnectRest {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and body (parsed when it is JSON). */
    public record Response(int status, JsonNode json, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    }

    public URI url() {
        return base;
    }

    public Response call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, publisher).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode json;
        try {
            json = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            json = JSON.nullNode();
        }
        return new Response(response.statusCode(), json, text);
    }

    /** Fails unless the call succeeds. */
    public JsonNode expect(String method, String path, Object body) throws IOException, InterruptedException {
        Response response = call(method, path, body);
        if (!response.ok()) {
            throw new IllegalStateException(method + " " + path + " answered " + response.status() + ": "
                    + response.body());
        }
        return response.json();
    }

    public boolean answers() {
        try {
            return call("GET", "", null).status() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}: the error messages, by key; empty when valid. */
    public Map<String, String> validate(String name, Map<String, String> config) throws IOException, InterruptedException {
        Map<String, String> body = new java.util.LinkedHashMap<>(config);
        body.put("name", name);
        String connectorClass = config.get("connector.class");
        JsonNode result = expect("PUT", "connector-plugins/" + segment(connectorClass) + "/config/validate", body);
        Map<String, String> errors = new java.util.TreeMap<>();
        for (JsonNode entry : result.path("configs")) {
            JsonNode value = entry.path("value");
            if (value.path("errors").size() > 0) {
                errors.put(value.path("name").asText(), value.path("errors").toString());
            }
        }
        return errors;
    }

    public void putConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        expect("PUT", "connectors/" + segment(name) + "/config", config);
    }

    /** The connector's state and its tasks' states, e.g. {@code RUNNING [RUNNING]}; null when unknown. */
    public JsonNode status(String name) throws IOException, InterruptedException {
        Response response = call("GET", "connectors/" + segment(name) + "/status", null);
        return response.ok() ? response.json() : null;
    }

    /** A connector and task count that {@link #running} accepts whatever the number of tasks (at least one). */
    public static final int ANY_TASKS = -1;

    /**
     * Whether a status ({@link #status}, {@code GET /connectors/{name}/status}) shows the connector RUNNING and every
     * task RUNNING: exactly {@code tasks} of them, or at least one with {@link #ANY_TASKS}. False on null.
     */
    public static boolean running(JsonNode status, int tasks) {
        if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())) {
            return false;
        }
        int running = 0;
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
            running++;
        }
        return tasks == ANY_TASKS ? running > 0 : running == tasks;
    }

    /**
     * What failed in a status: {@code FAILED: <trace>} for the connector, {@code task <id> FAILED: <trace>} for the
     * first failed task; null when nothing has (or on null).
     */
    public static String failure(JsonNode status) {
        if (status == null) {
            return null;
        }
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return "FAILED: " + status.path("connector").path("trace").asText();
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return "task " + task.path("id").asText() + " FAILED: " + task.path("trace").asText();
            }
        }
        return null;
    }

    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
