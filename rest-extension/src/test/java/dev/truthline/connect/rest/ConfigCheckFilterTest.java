package dev.truthline.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.rest.entities.ErrorMessage;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The PATCH check in front of Connect, with the real ValidateContract and a stored configuration the
 * test controls — including the moment a real worker cannot read it (ConfigValidationIT drives the
 * same filter through a worker, where that moment comes and goes with rebalances).
 */
class ConfigCheckFilterTest {

    private static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$Value";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sink whose ValidateContract "contract" checks amount within [min, max]. */
    private static Map<String, String> amountRange(String min, String max) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.example.Sink");
        config.put("transforms", "contract");
        config.put("transforms.contract.type", VALIDATE);
        config.put("transforms.contract.rules", "amount");
        config.put("transforms.contract.rules.amount.type", "range");
        config.put("transforms.contract.rules.amount.field", "amount");
        config.put("transforms.contract.rules.amount.min", min);
        config.put("transforms.contract.rules.amount.max", max);
        return config;
    }

    private static ConfigCheckFilter filter(Function<String, Map<String, String>> lookup) {
        return new ConfigCheckFilter(new TransformConfigCheck(ConfigCheckFilterTest.class.getClassLoader(), "0.1.0"),
                new StoredConfigs(lookup, Duration.ofMillis(200), System::nanoTime, millis -> { }));
    }

    /** The parts of a request the filter reads, and the answer it aborts with (null: Connect goes on). */
    private static final class Request {
        final String method;
        final List<String> path;
        final byte[] body;
        Response aborted;
        InputStream entity;

        Request(String method, String path, Object body) throws Exception {
            this.method = method;
            this.path = List.of(path.split("/"));
            this.body = JSON.writeValueAsBytes(body);
            this.entity = new ByteArrayInputStream(this.body);
        }

        ContainerRequestContext context() {
            List<PathSegment> segments = new ArrayList<>();
            for (String segment : path) {
                segments.add((PathSegment) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {PathSegment.class}, (proxy, m, args) -> segment));
            }
            UriInfo uri = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UriInfo.class},
                    (proxy, m, args) -> m.getName().equals("getPathSegments") ? segments : unexpected(m.getName()));
            Map<String, Object> properties = new HashMap<>();
            return (ContainerRequestContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ContainerRequestContext.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getUriInfo" -> uri;
                        case "hasEntity" -> true;
                        case "getEntityStream" -> entity;
                        case "setEntityStream" -> {
                            entity = (InputStream) args[0];
                            yield null;
                        }
                        case "setProperty" -> properties.put((String) args[0], args[1]);
                        case "abortWith" -> {
                            aborted = (Response) args[0];
                            yield null;
                        }
                        default -> unexpected(m.getName());
                    });
        }

        private static Object unexpected(String method) {
            throw new AssertionError("the filter called " + method);
        }

        /** Connect still reads the whole body after the filter. */
        String bodyLeftForConnect() throws Exception {
            return new String(entity.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Request patch(ConfigCheckFilter filter, Map<String, String> patch) throws Exception {
        Request request = new Request("PATCH", "connectors/good/config", patch);
        filter.filter(request.context());
        assertThat(request.bodyLeftForConnect()).isEqualTo(new String(request.body, StandardCharsets.UTF_8));
        return request;
    }

    @Test
    void aPatchThatBreaksTheStoredConfigurationIsAnswered400() throws Exception {
        Request request = patch(filter(name -> amountRange("0", "10000")),
                Map.of("transforms.contract.rules.amount.min", "20000"));

        assertThat(request.aborted.getStatus()).isEqualTo(400);
        ErrorMessage error = (ErrorMessage) request.aborted.getEntity();
        assertThat(error.errorCode()).isEqualTo(400);
        assertThat(error.message()).contains("\nInvalid value 20000 for configuration "
                + "transforms.contract.rules.amount.min: min must not be greater than max (10000)\n");
    }

    @Test
    void aPatchThatKeepsTheConfigurationValidGoesOnToConnect() throws Exception {
        Request request = patch(filter(name -> amountRange("0", "10000")),
                Map.of("transforms.contract.rules.amount.max", "50000"));

        assertThat(request.aborted).isNull();
    }

    /** The IT's failure: the patch came while the worker was reassigning tasks, and was let through unchecked. */
    @Test
    void aPatchDuringARebalanceIsCheckedOnceTheWorkerAnswers() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Request request = patch(filter(name -> {
            if (reads.incrementAndGet() < 3) {
                throw StoredConfigsTest.clusterStateFailure(StoredConfigsTest.rebalance());
            }
            return amountRange("0", "10000");
        }), Map.of("transforms.contract.rules.amount.min", "20000"));

        assertThat(reads).hasValue(3);
        assertThat(request.aborted.getStatus()).isEqualTo(400);
    }

    @Test
    void aPatchThatCannotBeCheckedIsAnswered409NotLetThrough() throws Exception {
        Request request = patch(filter(name -> {
            throw StoredConfigsTest.clusterStateFailure(StoredConfigsTest.rebalance());
        }), Map.of("transforms.contract.rules.amount.max", "50000"));

        assertThat(request.aborted.getStatus()).isEqualTo(409);
        ErrorMessage error = (ErrorMessage) request.aborted.getEntity();
        assertThat(error.errorCode()).isEqualTo(409);
        assertThat(error.message()).isEqualTo("Cannot check the patch of connector 'good' against its stored "
                + "configuration right now: Request cannot be completed because a rebalance is expected. "
                + "Retry the request.");
    }

    @Test
    void aPatchOfAnUnknownConnectorIsLeftToConnectsOwn404() throws Exception {
        Request request = patch(filter(name -> {
            throw StoredConfigsTest.clusterStateFailure(new NotFoundException("Connector good not found"));
        }), Map.of("transforms.contract.rules.amount.min", "20000"));

        assertThat(request.aborted).isNull();
    }
}
