package dev.truthline.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.cli.CliRun;

import dev.truthline.connect.harness.DiscardingSinkConnector;

import dev.truthline.connect.harness.EmbeddedConnect;

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
        connect = EmbeddedConnect.named("deploy-it").start();
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
                        + "QUARANTINE, TAG, FAIL, DROP\n")
                .endsWith("nothing deployed: 2 of 3 connectors rejected by Connect's validation\n")
                .doesNotContain("created");
        assertThat(proxy.requests()).allMatch(r -> r.endsWith("/config/validate")).hasSize(3);
        for (String name : new String[] {"good", "bad-tolerance", "bad-contract"}) {
            assertThat(status("/connectors/" + name + "/config")).as(name).isEqualTo(404);
        }
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

    private static HttpResponse<String> get(String path) throws Exception {
        String base = connect.endpointForResource("");
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
