package dev.truthline.connect.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ErrorMessage;
import org.apache.kafka.connect.util.ConnectUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;

import dev.truthline.connect.core.config.ConfigProblem;

/**
 * Runs {@link TransformConfigCheck} on the connector configurations that Connect's REST API
 * validates, creates and updates:
 * <ul>
 * <li>{@code PUT /connector-plugins/{plugin}/config/validate}: after Connect's own validation, the
 * errors are merged into its {@link ConfigInfos} answer (same JSON shape, {@code error_count}
 * included);</li>
 * <li>{@code POST /connectors}, {@code PUT /connectors/{name}/config} and
 * {@code PATCH /connectors/{name}/config} (the patch applied to the stored configuration, as Connect
 * applies it): before Connect acts, a configuration with errors is answered with 400 in Connect's
 * error shape, so the connector is never created or changed.</li>
 * </ul>
 * Connect's resources read the request body themselves; the request filter buffers it so both can.
 * A body that does not parse is left to Connect to reject.
 */
public final class ConfigCheckFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Logger log = LoggerFactory.getLogger(ConfigCheckFilter.class);

    /** Request property: the submitted configuration of a validate request, checked once Connect has answered. */
    private static final String VALIDATE_CONFIG = ConfigCheckFilter.class.getName() + ".validate";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() { };

    private final TransformConfigCheck check;
    private final StoredConfigs storedConfigs;

    /** @param storedConfigs the connectors' stored configurations: what a {@code PATCH} is applied to */
    ConfigCheckFilter(TransformConfigCheck check, StoredConfigs storedConfigs) {
        this.check = check;
        this.storedConfigs = storedConfigs;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        List<String> path = segments(request);
        Endpoint endpoint = Endpoint.of(request.getMethod(), path);
        if (endpoint == null || !request.hasEntity()) {
            return;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        switch (endpoint) {
            case VALIDATE -> {
                Map<String, String> config = parseConfig(body);
                if (config != null) {
                    request.setProperty(VALIDATE_CONFIG, config);
                }
            }
            case UPDATE -> rejectIfInvalid(request, path.get(1), parseConfig(body));
            case PATCH -> checkPatch(request, path.get(1), parseConfig(body));
            case CREATE -> {
                JsonNode create = parseTree(body);
                if (create != null && create.isObject()) {
                    rejectIfInvalid(request, create.path("name").asText("").trim(), parseConfig(create.get("config")));
                }
            }
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object submitted = request.getProperty(VALIDATE_CONFIG);
        if (!(submitted instanceof Map<?, ?>) || response.getStatus() != Response.Status.OK.getStatusCode()
                || !(response.getEntity() instanceof ConfigInfos infos)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> config = (Map<String, String>) submitted;
        List<ConfigProblem> errors = check.check(config);
        if (!errors.isEmpty()) {
            log.debug("Validation of connector {}: Truthline transformation errors on {}", config.get("name"),
                    keys(errors));
            response.setEntity(ValidationResponse.withErrors(infos, errors, config));
        }
    }

    /**
     * A patch is checked on top of the stored configuration, as Connect applies it. Without a stored
     * configuration Connect answers 404 itself; when the worker cannot say what is stored (a rebalance
     * that outlasts {@link StoredConfigs#PATIENCE}) the patch is answered 409 — Connect's own answer
     * while a rebalance is under way, which clients retry — rather than let it through unchecked.
     */
    private void checkPatch(ContainerRequestContext request, String connector, Map<String, String> patch) {
        if (patch == null) {
            return;
        }
        StoredConfigs.Read stored = storedConfigs.read(connector);
        if (stored instanceof StoredConfigs.Found found) {
            rejectIfInvalid(request, connector, ConnectUtils.patchConfig(found.config(), patch));
        } else if (stored instanceof StoredConfigs.Unavailable unavailable) {
            log.info("Refused a patch of connector {}: its stored configuration could not be read to check it ({})",
                    connector, unavailable.reason());
            abort(request, Response.Status.CONFLICT.getStatusCode(), "Cannot check the patch of connector '"
                    + connector + "' against its stored configuration right now: " + unavailable.reason()
                    + ". Retry the request.");
        }
    }

    private void rejectIfInvalid(ContainerRequestContext request, String connector, Map<String, String> config) {
        if (config == null) {
            return;
        }
        List<ConfigProblem> errors = check.check(config);
        if (errors.isEmpty()) {
            return;
        }
        log.info("Rejected the configuration of connector {}: Truthline transformation errors on {}", connector,
                keys(errors));
        abort(request, Response.Status.BAD_REQUEST.getStatusCode(), ValidationResponse.rejection(errors));
    }

    /** Answers the request in Connect's error shape ({@code error_code}, {@code message}); Connect never sees it. */
    private static void abort(ContainerRequestContext request, int status, String message) {
        request.abortWith(Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status, message))
                .build());
    }

    private static List<String> keys(List<ConfigProblem> errors) {
        List<String> keys = new ArrayList<>(errors.size());
        for (ConfigProblem error : errors) {
            keys.add(error.key());
        }
        return keys;
    }

    private static Map<String, String> parseConfig(byte[] body) {
        try {
            return MAPPER.readValue(body, CONFIG);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> parseConfig(JsonNode config) {
        if (config == null || !config.isObject()) {
            return null;
        }
        try {
            return MAPPER.convertValue(config, CONFIG);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode parseTree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The decoded path segments, without the empty one a trailing slash leaves. */
    private static List<String> segments(ContainerRequestContext request) {
        List<String> segments = new ArrayList<>();
        for (PathSegment segment : request.getUriInfo().getPathSegments()) {
            if (!segment.getPath().isEmpty()) {
                segments.add(segment.getPath());
            }
        }
        return segments;
    }

    /** The REST calls whose connector configuration is checked. */
    enum Endpoint {
        /** {@code PUT /connector-plugins/{plugin}/config/validate} */
        VALIDATE,
        /** {@code POST /connectors} with {@code {"name", "config"}} */
        CREATE,
        /** {@code PUT /connectors/{name}/config} */
        UPDATE,
        /** {@code PATCH /connectors/{name}/config} */
        PATCH;

        static Endpoint of(String method, List<String> path) {
            if ("PUT".equals(method) && path.size() == 4 && path.get(0).equals("connector-plugins")
                    && path.get(2).equals("config") && path.get(3).equals("validate")) {
                return VALIDATE;
            }
            if ("POST".equals(method) && path.size() == 1 && path.get(0).equals("connectors")) {
                return CREATE;
            }
            if (path.size() == 3 && path.get(0).equals("connectors") && path.get(2).equals("config")) {
                if ("PUT".equals(method)) {
                    return UPDATE;
                }
                if ("PATCH".equals(method)) {
                    return PATCH;
                }
            }
            return null;
        }
    }
}
