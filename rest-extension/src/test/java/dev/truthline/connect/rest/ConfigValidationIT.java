package dev.truthline.connect.rest;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.harness.DiscardingSinkConnector;

import dev.truthline.connect.harness.EmbeddedConnect;

/**
 * The extension on a real Connect worker (Connect's embedded cluster: one distributed worker with
 * {@code rest.extension.classes} set, one KRaft broker), driven through plain HTTP: rule errors that
 * only {@code configure()} finds show up in {@code config/validate} on their full keys, and a create or
 * update with such errors is refused before the connector exists.
 */
class ConfigValidationIT {

    private static final Logger log = LoggerFactory.getLogger(ConfigValidationIT.class);

    /** By name: in a real worker the SMT comes from the Truthline plugin directory. */
    private static final String VALIDATE_CONTRACT = "dev.truthline.connect.validation.ValidateContract$Value";
    private static final String SINK = DiscardingSinkConnector.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedConnectCluster connect;
    private static HttpClient http;
    private static URI root;

    @BeforeAll
    static void startConnect() throws Exception {
        // The test kit's temporary folders go under java.io.tmpdir, which the build points into target/.
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        connect = EmbeddedConnect.named("rest-it")
                .workerProp("rest.extension.classes", TruthlineConfigValidation.class.getName()).start();
        String endpoint = connect.endpointForResource("");
        root = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    /**
     * A sink with a stock transformation ("stamp") and a ValidateContract ("contract") whose rules are
     * the given {@code rules.*} keys (names without the {@code transforms.contract.} prefix).
     */
    private static Map<String, String> sinkWithContract(String... ruleKeysAndValues) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", SINK);
        config.put("tasks.max", "1");
        config.put("topics", "orders");
        config.put("transforms", "stamp,contract");
        config.put("transforms.stamp.type", "org.apache.kafka.connect.transforms.InsertHeader");
        config.put("transforms.stamp.header", "source");
        config.put("transforms.stamp.value.literal", "it");
        config.put("transforms.contract.type", VALIDATE_CONTRACT);
        config.put("transforms.contract.on.failure", "tag");
        for (int i = 0; i < ruleKeysAndValues.length; i += 2) {
            config.put("transforms.contract." + ruleKeysAndValues[i], ruleKeysAndValues[i + 1]);
        }
        return config;
    }

    private static Map<String, String> amountRange(String min, String max) {
        return sinkWithContract("rules", "amount", "rules.amount.type", "range", "rules.amount.field", "amount",
                "rules.amount.min", min, "rules.amount.max", max);
    }

    /** Validation needs the name that create and update take from the request. */
    private static Map<String, String> named(Map<String, String> config) {
        Map<String, String> named = new LinkedHashMap<>(config);
        named.put("name", "validated");
        return named;
    }

    private static HttpResponse<String> send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code PUT /connector-plugins/{plugin}/config/validate}; asserts the answer is Connect's ConfigInfos JSON. */
    private static ConfigInfos validate(Map<String, String> config) throws Exception {
        HttpResponse<String> response = send("PUT", "connector-plugins/DiscardingSinkConnector/config/validate",
                named(config));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.properties()).extracting(Map.Entry::getKey)
                .containsExactly("name", "error_count", "groups", "configs");
        ConfigInfos infos = JSON.readValue(response.body(), ConfigInfos.class);
        assertThat(infos.errorCount()).as("error_count counts every error listed")
                .isEqualTo(infos.configs().stream().mapToInt(info -> info.configValue() == null ? 0
                        : info.configValue().errors().size()).sum());
        return infos;
    }

    private static List<String> errorsOn(ConfigInfos infos, String key) {
        return infos.configs().stream()
                .map(ConfigInfo::configValue)
                .filter(value -> value != null && key.equals(value.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + key))
                .errors();
    }

    @Test
    void unknownRuleTypeIsReportedOnItsKey() throws Exception {
        ConfigInfos infos = validate(sinkWithContract("rules", "x", "rules.x.type", "nonsense", "rules.x.field", "id"));

        assertThat(infos.errorCount()).isGreaterThanOrEqualTo(1);
        assertThat(errorsOn(infos, "transforms.contract.rules.x.type")).singleElement().asString()
                .startsWith("Invalid value nonsense for configuration transforms.contract.rules.x.type: "
                        + "String must be one of (case insensitive): ");
    }

    @Test
    void celThatDoesNotCompileIsReportedOnItsExpression() throws Exception {
        ConfigInfos infos = validate(sinkWithContract("rules", "positive", "rules.positive.type", "cel",
                "rules.positive.expr", "value.amount >"));

        assertThat(infos.errorCount()).isEqualTo(1);
        assertThat(errorsOn(infos, "transforms.contract.rules.positive.expr")).singleElement().asString()
                .startsWith("Invalid value value.amount > for configuration transforms.contract.rules.positive.expr: "
                        + "CEL expression does not compile: ");
    }

    @Test
    void minGreaterThanMaxIsReportedOnMin() throws Exception {
        HttpResponse<String> raw = send("PUT", "connector-plugins/DiscardingSinkConnector/config/validate",
                named(amountRange("5", "1")));
        // Connect's JSON, with an entry for a key its ConfigDef does not define.
        assertThat(raw.body()).contains("{\"definition\":null,\"value\":{\"name\":\"transforms.contract.rules.amount.min\","
                + "\"value\":\"5\",\"recommended_values\":[],\"errors\":[\"Invalid value 5 for configuration "
                + "transforms.contract.rules.amount.min: min must not be greater than max (1)\"],\"visible\":true}}");

        ConfigInfos infos = validate(amountRange("5", "1"));
        assertThat(infos.errorCount()).isEqualTo(1);
        assertThat(errorsOn(infos, "transforms.contract.rules.amount.min")).containsExactly(
                "Invalid value 5 for configuration transforms.contract.rules.amount.min: "
                        + "min must not be greater than max (1)");
        // Connect's own entries are all still there.
        assertThat(infos.name()).isEqualTo(SINK);
        assertThat(infos.configs()).extracting(info -> info.configValue() == null ? null : info.configValue().name())
                .contains("connector.class", "transforms", "transforms.stamp.header", "transforms.contract.on.failure");
    }

    @Test
    void validConfigurationHasNoErrors() throws Exception {
        ConfigInfos infos = validate(amountRange("0", "10000"));

        assertThat(infos.errorCount()).isZero();
    }

    @Test
    void connectorWithABadRuleIsNeverCreated() throws Exception {
        HttpResponse<String> put = send("PUT", "connectors/bad/config", amountRange("5", "1"));

        assertThat(put.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(put.body());
        assertThat(error.get("error_code").asInt()).isEqualTo(400);
        assertThat(error.get("message").asText()).isEqualTo(
                "Connector configuration is invalid and contains the following 1 error(s):\n"
                        + "Invalid value 5 for configuration transforms.contract.rules.amount.min: "
                        + "min must not be greater than max (1)\n"
                        + "You can also find the above list of errors at the endpoint "
                        + "`/connector-plugins/{connectorType}/config/validate`");
        assertThat(send("GET", "connectors/bad", null).statusCode()).isEqualTo(404);

        Map<String, Object> create = Map.of("name", "bad-post",
                "config", sinkWithContract("rules", "x", "rules.x.type", "nonsense", "rules.x.field", "id"));
        HttpResponse<String> post = send("POST", "connectors", create);
        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(post.body()).get("message").asText())
                .contains("\nInvalid value nonsense for configuration transforms.contract.rules.x.type: ");
        assertThat(send("GET", "connectors/bad-post", null).statusCode()).isEqualTo(404);
    }

    @Test
    void connectorWithGoodRulesIsCreatedAndCannotBeBrokenByAnUpdateOrAPatch() throws Exception {
        HttpResponse<String> put = send("PUT", "connectors/good/config", amountRange("0", "10000"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(send("GET", "connectors/good", null).statusCode()).isEqualTo(200);

        HttpResponse<String> update = send("PUT", "connectors/good/config", amountRange("10000", "0"));
        assertThat(update.statusCode()).isEqualTo(400);
        // A patch is checked as Connect applies it: on top of the stored configuration.
        HttpResponse<String> patch = send("PATCH", "connectors/good/config",
                Map.of("transforms.contract.rules.amount.min", "20000"));
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(patch.body()).get("message").asText()).contains(
                "\nInvalid value 20000 for configuration transforms.contract.rules.amount.min: "
                        + "min must not be greater than max (10000)\n");
        HttpResponse<String> goodPatch = send("PATCH", "connectors/good/config",
                Map.of("transforms.contract.rules.amount.max", "50000"));
        assertThat(goodPatch.statusCode()).as(goodPatch.body()).isEqualTo(200);
        // The herder applies a patch through its config topic: read the stored config once it shows the patch (a GET
        // in between may answer with the old config or a rebalance error).
        waitForCondition(() -> "50000".equals(storedConfig().path("transforms.contract.rules.amount.max").asText(null)),
                30_000, () -> "the patch never showed in the stored config");
        JsonNode stored = storedConfig();
        assertThat(stored.get("transforms.contract.rules.amount.min").asText()).isEqualTo("0");
        assertThat(stored.get("transforms.contract.rules.amount.max").asText()).isEqualTo("50000");

        assertThat(send("DELETE", "connectors/good", null).statusCode()).isEqualTo(204);
    }

    private static JsonNode storedConfig() throws Exception {
        return JSON.readTree(send("GET", "connectors/good/config", null).body());
    }
}
