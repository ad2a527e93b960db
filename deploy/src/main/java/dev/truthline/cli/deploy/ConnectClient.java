package dev.truthline.cli.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few calls of the Kafka Connect REST API that {@code deploy} makes. */
final class ConnectClient {

    /** One error Connect's validation reported, with the key it is about. */
    record ConfigError(String key, String message) {
    }

    /** Connect answered something other than what the call expects. */
    static final class ConnectException extends Exception {
        private static final long serialVersionUID = 1L;

        ConnectException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Connect answers 409 while its workers rebalance, and 500 when a request comes just before one (its
     * {@code RebalanceNeededException}: "a rebalance is expected"); every call here is safe to repeat, so any 409 or 5xx
     * is retried until the timeout, and the last answer then reported.
     */
    private static boolean retried(int status) {
        return status == 409 || status >= 500;
    }

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    ConnectClient(URI base, Duration timeout) {
        String url = base.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}: every error Connect finds, by key. */
    List<ConfigError> validate(String connectorClass, Map<String, String> config) throws IOException, ConnectException {
        HttpResponse<String> response = send("PUT", "connector-plugins/" + segment(connectorClass) + "/config/validate",
                JSON.writeValueAsString(config));
        expect(response, 200);
        JsonNode root = JSON.readTree(response.body());
        List<ConfigError> errors = new ArrayList<>();
        for (JsonNode entry : root.path("configs")) {
            JsonNode value = entry.path("value");
            for (JsonNode error : value.path("errors")) {
                errors.add(new ConfigError(value.path("name").asText(), error.asText()));
            }
        }
        if (errors.isEmpty() && root.path("error_count").asInt() > 0) {
            errors.add(new ConfigError("", root.path("error_count").asInt() + " error(s) without a key"));
        }
        return errors;
    }

    /** {@code GET /connectors/{name}/config}, or null when there is no such connector. */
    Map<String, String> config(String name) throws IOException, ConnectException {
        HttpResponse<String> response = send("GET", "connectors/" + segment(name) + "/config", null);
        if (response.statusCode() == 404) {
            return null;
        }
        expect(response, 200);
        return JSON.readValue(response.body(), new TypeReference<LinkedHashMap<String, String>>() { });
    }

    /** {@code PUT /connectors/{name}/config}: creates or replaces the connector's configuration. */
    void putConfig(String name, Map<String, String> config) throws IOException, ConnectException {
        HttpResponse<String> response = send("PUT", "connectors/" + segment(name) + "/config", JSON.writeValueAsString(config));
        expect(response, 200, 201);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, ConnectException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (!retried(response.statusCode()) || System.nanoTime() > deadline) {
                return response;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private static void expect(HttpResponse<String> response, int... statuses) throws ConnectException {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new ConnectException("Connect answered " + response.statusCode() + " to " + response.request().method() + " "
                + response.request().uri() + ": " + errorMessage(response.body()));
    }

    /** The {@code message} of Connect's error body, or the body itself. */
    private static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: show it as it is
        }
        return body;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
