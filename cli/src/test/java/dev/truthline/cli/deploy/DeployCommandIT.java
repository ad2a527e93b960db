package dev.truthline.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.cli.CliRun;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.harness.DiscardingSinkConnector;
import dev.truthline.connect.harness.EmbeddedConnect;
import dev.truthline.connect.rest.TruthlineConfigValidation;
import dev.truthline.connect.validation.ValidateContract;

/**
 * {@code truthline deploy} against a real Connect worker (Connect's embedded cluster: one
 * distributed worker and one KRaft broker in this JVM). The CLI talks to the worker through a
 * recording proxy, so each test also asserts which REST calls were made.
 */
class DeployCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$Value";

    private static EmbeddedConnectCluster connect;
    private static RecordingProxy proxy;

    @TempDir
    Path dir;

    @BeforeAll
    static void startConnect() throws Exception {
        // The test kit's temporary folders go under java.io.tmpdir, which the build points into target/.
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        // As users run it: Truthline's REST extension reports SMT errors in config/validate, and a file
        // ConfigProvider resolves references when a task starts.
        connect = EmbeddedConnect.named("deploy-it")
                .workerProp("rest.extension.classes", TruthlineConfigValidation.class.getName())
                .workerProp("config.providers", "file")
                .workerProp("config.providers.file.class", FileConfigProvider.class.getName()).start();
        proxy = new RecordingProxy(connect.endpointForResource(""));
    }

    @AfterAll
    static void stopConnect() {
        if (proxy != null) {
            proxy.close();
        }
        if (connect != null) {
            connect.stop();
        }
    }

    @BeforeEach
    void clearRequests() {
        proxy.clear();
    }

    @Test
    void createsThenUpdatesWithTheChangedKeysThenLeavesAnUnchangedConnectorAlone() throws Exception {
        Map<String, String> v1 = sink("orders-warehouse");
        Path file = write("orders-warehouse.json", Map.of("name", "orders-warehouse", "config", v1));

        CliRun created = deploy(file);
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("created orders-warehouse (" + (v1.size() + 1) + " keys)\n");
        assertThat(proxy.requests()).containsExactly(
                "PUT /connector-plugins/dev.truthline.connect.harness.DiscardingSinkConnector/config/validate",
                "GET /connectors/orders-warehouse/config",
                "PUT /connectors/orders-warehouse/config");
        assertThat(storedConfig("orders-warehouse")).isEqualTo(withName("orders-warehouse", v1));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("orders-warehouse", 1,
                "The deployed connector did not start");

        // A changed key, an added key and a removed key; a flat file this time.
        Map<String, String> v2 = new LinkedHashMap<>(v1);
        v2.put("transforms.contract.on.failure", "quarantine");
        v2.put("transforms.contract.contract.version", "2");
        v2.remove("transforms.contract.contract.id");
        v2.put("errors.log.enable", "true");
        Path flat = write("orders-warehouse-v2.json", withName("orders-warehouse", v2));
        proxy.clear();
        CliRun updated = deploy(flat);
        assertThat(updated.exit()).as(updated.toString()).isZero();
        assertThat(updated.out()).isEqualTo("updated orders-warehouse (changed: transforms.contract.contract.version, "
                + "transforms.contract.on.failure; added: errors.log.enable; removed: transforms.contract.contract.id)\n");
        assertThat(proxy.requests()).endsWith("PUT /connectors/orders-warehouse/config");
        assertThat(storedConfig("orders-warehouse")).isEqualTo(withName("orders-warehouse", v2));

        // Idempotent: the same file again validates and reads, and writes nothing.
        proxy.clear();
        CliRun again = deploy(flat);
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo("unchanged orders-warehouse\n");
        assertThat(proxy.requests()).containsExactly(
                "PUT /connector-plugins/dev.truthline.connect.harness.DiscardingSinkConnector/config/validate",
                "GET /connectors/orders-warehouse/config");
    }

    @Test
    void dryRunShowsWhatWouldChangeAndChangesNothing() throws Exception {
        Map<String, String> v1 = sink("orders-bronze");
        deployOk(write("orders-bronze.json", Map.of("name", "orders-bronze", "config", v1)));

        Map<String, String> v2 = new LinkedHashMap<>(v1);
        v2.put("tasks.max", "2");
        Path changed = write("orders-bronze-v2.json", Map.of("name", "orders-bronze", "config", v2));
        Path fresh = write("orders-silver.json", Map.of("name", "orders-silver", "config", sink("orders-silver")));
        proxy.clear();
        CliRun dry = deploy("--dry-run", changed.toString(), fresh.toString());
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).isEqualTo("would update orders-bronze (changed: tasks.max)\n"
                + "would create orders-silver (" + (v1.size() + 1) + " keys)\n");
        assertThat(proxy.requests()).noneMatch(r -> r.startsWith("PUT /connectors/"));
        assertThat(storedConfig("orders-bronze")).isEqualTo(withName("orders-bronze", v1));
        assertThat(status("/connectors/orders-silver/config")).isEqualTo(404);
    }

    @Test
    void aConfigConnectRejectsIsShownByKeyAndNothingIsDeployed() throws Exception {
        Map<String, String> badTolerance = sink("bad-tolerance");
        badTolerance.put("errors.tolerance", "sometimes");
        Map<String, String> badContract = sink("bad-contract");
        badContract.put("transforms.contract.on.failure", "explode");
        Path good = write("good.json", Map.of("name", "good", "config", sink("good")));
        Path tolerance = write("bad-tolerance.json", Map.of("name", "bad-tolerance", "config", badTolerance));
        Path contract = write("bad-contract.json", Map.of("name", "bad-contract", "config", badContract));

        CliRun run = deploy(good.toString(), tolerance.toString(), contract.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out())
                .contains("rejected bad-tolerance (" + tolerance + "): 1 error\n  errors.tolerance: Invalid value sometimes "
                        + "for configuration errors.tolerance: String must be one of: none, all\n")
                // The SMT's own ConfigDef validator, run by the worker (it names the key without the transform's prefix).
                .contains("rejected bad-contract (" + contract + "): 1 error\n  transforms.contract.on.failure: "
                        + "Invalid value explode for configuration on.failure: String must be one of (case insensitive): "
                        + "QUARANTINE, TAG, FAIL, DEAD_LETTER, DROP\n")
                .endsWith("nothing deployed: 2 of 3 connectors rejected by Connect's validation\n")
                .doesNotContain("created");
        assertThat(proxy.requests()).allMatch(r -> r.endsWith("/config/validate")).hasSize(3);
        for (String name : new String[] {"good", "bad-tolerance", "bad-contract"}) {
            assertThat(status("/connectors/" + name + "/config")).as(name).isEqualTo(404);
        }
    }

    /**
     * One mistake (min above max, found only by the SMT's configure()) seen three ways: through REST
     * {@code config/validate} (as deploy shows it), through {@code lint}, and as the exception a task's
     * transform throws when a worker starts it. All three name the same key with the same text.
     */
    @Test
    void aConfigErrorHasTheSameKeyAndTextThroughRestValidationLintAndATaskStart() throws Exception {
        String prefix = "transforms.contract.";
        String key = prefix + "rules.amount.min";
        String text = "Invalid value 5 for configuration " + key + ": min must not be greater than max (1)";
        Map<String, String> bad = sink("min-over-max");
        bad.put("transforms.contract.rules", "order_required,amount");
        bad.put("transforms.contract.rules.amount.type", "range");
        bad.put("transforms.contract.rules.amount.field", "amount");
        bad.put("transforms.contract.rules.amount.min", "5");
        bad.put("transforms.contract.rules.amount.max", "1");
        Path file = write("min-over-max.json", Map.of("name", "min-over-max", "config", bad));

        // REST config/validate, read by deploy from Connect's answer (key and errors are fields of its JSON).
        CliRun deployed = deploy(file);
        assertThat(deployed.exit()).as(deployed.toString()).isEqualTo(1);
        assertThat(deployed.out()).contains("rejected min-over-max (" + file + "): 1 error\n  " + key + ": " + text + "\n");

        // lint, through the same probe on this machine.
        CliRun lint = CliRun.of("lint", "--format", "json", "--profile", "local", file.toString());
        JsonNode findings = JSON.readTree(lint.out()).get("findings");
        List<String> tl011 = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("rule").asText().equals("TL011")) {
                tl011.add(f.get("key").asText() + " | " + f.get("message").asText());
            }
        });
        assertThat(tl011).containsExactly(key + " | transform contract rejects its configuration: " + text);

        // A task start: the transform as the task configures it (Connect strips the prefix) throws the keyed error...
        Map<String, String> own = new HashMap<>();
        bad.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                own.put(k.substring(prefix.length()), v);
            }
        });
        KeyedConfigException thrown;
        try (ValidateContract.Value<SinkRecord> transform = new ValidateContract.Value<>()) {
            thrown = catchThrowableOfType(KeyedConfigException.class, () -> transform.configure(own));
        }
        assertThat(prefix + thrown.key()).isEqualTo(key);
        assertThat(thrown.withKeyPrefix(prefix).getMessage()).isEqualTo(text);
        // ...and so does a real task: the worker resolves min from a file when the task starts, which is where
        // the REST extension cannot judge it and lets the connector be created.
        Path limits = Files.writeString(dir.resolve("limits.properties"), "min=5\n");
        Map<String, String> referenced = new LinkedHashMap<>(bad);
        referenced.put("transforms.contract.rules.amount.min", "${file:" + limits + ":min}");
        HttpResponse<String> created = send("PUT", "/connectors/min-over-max/config", JSON.writeValueAsString(referenced));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("min-over-max", 1,
                "The task of min-over-max did not fail on its transform's configuration");
        String trace = JSON.readTree(get("/connectors/min-over-max/status").body()).get("tasks").get(0).get("trace").asText();
        assertThat(trace).contains(KeyedConfigException.class.getName() + ": " + thrown.getMessage());
        assertThat(send("DELETE", "/connectors/min-over-max", null).statusCode()).isEqualTo(204);
    }

    @Test
    void anUnreachableWorkerIsAnError() throws Exception {
        Path file = write("x.json", Map.of("name", "x", "config", sink("x")));
        CliRun run = CliRun.of("deploy", "--connect-url", "http://127.0.0.1:1", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("truthline deploy: cannot reach Connect at http://127.0.0.1:1");
    }

    /** A sink with a ValidateContract in front, as the reference pipeline's sinks have. */
    private static Map<String, String> sink(String name) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", DiscardingSinkConnector.class.getName());
        c.put("tasks.max", "1");
        c.put("topics", name + ".in");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", name + ".dlq");
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("transforms", "contract");
        c.put("transforms.contract.type", VALIDATE);
        c.put("transforms.contract.contract.id", "orders");
        c.put("transforms.contract.contract.version", "1");
        c.put("transforms.contract.on.failure", "fail");
        c.put("transforms.contract.rules", "order_required");
        c.put("transforms.contract.rules.order_required.type", "required");
        c.put("transforms.contract.rules.order_required.field", "order_id");
        return c;
    }

    private static Map<String, String> withName(String name, Map<String, String> config) {
        Map<String, String> named = new LinkedHashMap<>(config);
        named.put("name", name);
        return named;
    }

    private Path write(String fileName, Object json) throws IOException {
        Path file = dir.resolve(fileName);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
        return file;
    }

    private static CliRun deploy(Path file) {
        return deploy(file.toString());
    }

    private static CliRun deploy(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "deploy";
        all[1] = "--connect-url";
        all[2] = proxy.url();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    private static void deployOk(Path file) {
        CliRun run = deploy(file);
        assertThat(run.exit()).as(run.toString()).isZero();
    }

    /** The config the worker holds, read past the proxy. */
    private static Map<String, String> storedConfig(String name) throws Exception {
        HttpResponse<String> response = get("/connectors/" + name + "/config");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), new TypeReference<Map<String, String>>() { });
    }

    private static int status(String path) throws Exception {
        return get(path).statusCode();
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        String base = connect.endpointForResource("");
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        String base = connect.endpointForResource("");
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
