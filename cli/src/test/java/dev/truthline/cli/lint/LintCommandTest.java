package dev.truthline.cli.lint;

import static dev.truthline.cli.CliRun.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.cli.CliRun;
import dev.truthline.cli.connector.ConnectorConfig;
import jakarta.validation.constraints.NotNull;

class LintCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$Value";
    private static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";

    @TempDir
    Path dir;

    static Stream<String> ruleIds() {
        return LintRules.ALL.stream().map(r -> r.id);
    }

    // --- every rule: a config that trips it and one that passes ---

    @ParameterizedTest
    @MethodSource("ruleIds")
    void everyRuleTripsOnItsFixture(String rule) throws IOException {
        JsonNode report = lintJson("--profile", "production", resource("/lint/rules/" + rule + "-trips.json").toString());
        assertThat(rules(report)).contains(rule);
    }

    @ParameterizedTest
    @MethodSource("ruleIds")
    void everyRulePassesItsFixedFixture(String rule) throws IOException {
        JsonNode report = lintJson("--profile", "production", resource("/lint/rules/" + rule + "-passes.json").toString());
        assertThat(rules(report)).doesNotContain(rule);
    }

    @Test
    void ruleIdsAreUniqueAndInOrder() {
        List<String> ids = ruleIds().toList();
        assertThat(ids).doesNotHaveDuplicates().isSorted().hasSize(16);
    }

    @Test
    void theReferencePipelineIsCleanAndATopicSpecInTheFolderIsSkipped() {
        CliRun run = CliRun.of("lint", resource("/lint/clean").toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("skipped ").contains("orders-topics.json: no connector.class")
                .contains("0 errors, 0 warnings in 3 connectors (profile production)")
                .doesNotContain("SEVERITY");
    }

    // --- messages, keys and severities ---

    @Test
    void sinkWithoutDeadLetterQueueIsSilentLossNamingConnectorAndKey() {
        List<Finding> findings = lint(sink("orders-s3", "errors.tolerance", "all"));
        assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::connector, Finding::key)
                .containsExactly(tuple("TL001", Severity.ERROR, "orders-s3", "errors.tolerance"));
        assertThat(findings.get(0).message()).isEqualTo("errors.tolerance=all with no errors.deadletterqueue.topic.name: "
                + "a record that fails conversion, a transform or the sink is skipped without a trace");
        assertThat(findings.get(0).fix()).startsWith("set errors.deadletterqueue.topic.name");
    }

    @Test
    void aDeadLetterQueueOnASourceIsCalledOutAsDoingNothing() {
        List<Finding> findings = lint(source("cdc", "errors.tolerance", "ALL", "errors.deadletterqueue.topic.name", "dlq",
                "producer.override.compression.type", "zstd"));
        assertThat(findings).extracting(Finding::rule).containsExactly("TL004");
        assertThat(findings.get(0).message()).contains("(errors.deadletterqueue.topic.name does nothing on a source)");
    }

    @Test
    void plainAcksIsAWarningThatItHasNoEffect() {
        List<Finding> findings = lint(source("cdc", "acks", "1", "producer.override.compression.type", "zstd"));
        assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL005", Severity.WARNING, "acks"));
        assertThat(lint(source("cdc", "producer.override.acks", "-1", "producer.override.compression.type", "zstd"))).isEmpty();
    }

    @Test
    void replicationLeftToTheBrokerIsAWarningAndEveryTopicCreationGroupIsChecked() {
        List<Finding> findings = lint(source("cdc", "producer.override.compression.type", "zstd",
                "topic.creation.groups", "quarantine",
                "topic.creation.default.replication.factor", "-1",
                "topic.creation.default.min.insync.replicas", "2",
                "topic.creation.quarantine.include", ".*quarantine",
                "topic.creation.quarantine.replication.factor", "2",
                "topic.creation.quarantine.min.insync.replicas", "2"));
        assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::key).containsExactly(
                tuple("TL006", Severity.WARNING, "topic.creation.default.replication.factor"),
                tuple("TL006", Severity.ERROR, "topic.creation.quarantine.replication.factor"),
                tuple("TL007", Severity.WARNING, "topic.creation.quarantine.min.insync.replicas"));
        assertThat(findings.get(2).message()).contains("one broker down stops every write");
    }

    @Test
    void minInsyncReplicasLeftToTheBrokerIsAWarningInProduction() {
        ConnectorConfig c = source("cdc", "producer.override.compression.type", "zstd",
                "topic.creation.default.replication.factor", "3", "topic.creation.default.partitions", "3");
        assertThat(lint(c)).extracting(Finding::rule, Finding::severity)
                .containsExactly(tuple("TL007", Severity.WARNING));
        assertThat(LintCommand.lint(List.of(c), Profile.LOCAL)).isEmpty();
    }

    @Test
    void compressionOnTheTopicCountsAndUncompressedTopicsDoNot() {
        assertThat(lint(source("cdc", "topic.creation.default.replication.factor", "3",
                "topic.creation.default.min.insync.replicas", "2", "topic.creation.default.compression.type", "zstd"))).isEmpty();
        assertThat(lint(source("cdc", "producer.override.compression.type", "zstd",
                "topic.creation.default.replication.factor", "3", "topic.creation.default.min.insync.replicas", "2",
                "topic.creation.default.compression.type", "uncompressed")))
                .extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL008", "topic.creation.default.compression.type"));
        assertThat(lint(source("cdc", "producer.override.compression.type", "none")))
                .extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL008", "producer.override.compression.type"));
    }

    @Test
    void localProfileAllowsOneReplicaAndPlainPasswordsAsWarnings() {
        ConnectorConfig c = source("cdc", "database.password", "postgres",
                "topic.creation.default.replication.factor", "1", "topic.creation.default.min.insync.replicas", "1");
        assertThat(LintCommand.lint(List.of(c), Profile.LOCAL)).extracting(Finding::rule, Finding::severity)
                .containsExactly(tuple("TL009", Severity.WARNING));
        assertThat(LintCommand.lint(List.of(c), Profile.PRODUCTION)).extracting(Finding::rule, Finding::severity)
                .containsExactly(tuple("TL006", Severity.ERROR), tuple("TL007", Severity.ERROR),
                        tuple("TL008", Severity.WARNING), tuple("TL009", Severity.ERROR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"database.password", "connection.password", "ssl.keystore.password", "sasl.jaas.config",
            "iceberg.catalog.s3.secret-access-key", "aws.secret.access.key", "iceberg.catalog.client-secret",
            "s3.access.key", "private.key", "api.key", "auth.token", "basic.auth.user.info", "oauth.credentials"})
    void credentialKeys(String key) {
        assertThat(PlaintextSecret.looksLikeCredential(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"database.user", "key.converter", "primary.key.mode", "message.key.columns",
            "iceberg.catalog.s3.access-key-id", "ssl.keystore.location", "ssl.keystore.type", "password.file",
            "sasl.oauthbearer.token.endpoint.url", "transforms.contract.rules.secret_code.field",
            "transforms.contract.rules.token_format.type", "transforms.dedupe.id.fields"})
    void keysThatAreNotCredentials(String key) {
        assertThat(PlaintextSecret.looksLikeCredential(key)).isFalse();
    }

    @Test
    void aSecretIsNeverPrinted() {
        CliRun run = CliRun.of("lint", resource("/lint/rules/TL009-trips.json").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("database.password holds a plain-text value").doesNotContain("hunter2");
    }

    @Test
    void jaasConfigReferencingItsPasswordIsFine() {
        assertThat(lint(sink("s3", "producer.override.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"connect\" "
                        + "password=\"${file:/etc/kafka/secrets/kafka.properties:password}\";"))).isEmpty();
        assertThat(lint(sink("s3", "producer.override.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"connect\" password=\"x\";")))
                .extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL009", "producer.override.sasl.jaas.config"));
    }

    @Test
    void valuesResolvedAtRunTimeAreNotJudged() {
        // Kafka's own ${provider:[path:]key} syntax; each of these would trip a rule as a literal.
        assertThat(lint(sink("s3", "errors.tolerance", "${file:/etc/kafka/connect.properties:tolerance}"))).isEmpty();
        assertThat(lint(source("cdc", "producer.override.acks", "${env:ACKS}", "producer.override.compression.type",
                "${env:COMPRESSION}", "topic.creation.default.replication.factor", "${file:/p:rf}",
                "topic.creation.default.min.insync.replicas", "${file:/p:isr}"))).isEmpty();
        // Not a reference: Connect passes "${PASSWORD}" through as the password itself.
        assertThat(lint(sink("s3", "connection.password", "${PASSWORD}"))).extracting(Finding::rule).containsExactly("TL009");
    }

    @Test
    void icebergSinkWithAValidateContractThatOnlyTagsIsFlagged() {
        List<Finding> findings = lint(iceberg("transforms", "contract", "transforms.contract.type", VALIDATE,
                "transforms.contract.mode", "shadow", "transforms.contract.rules", "id",
                "transforms.contract.rules.id.type", "required", "transforms.contract.rules.id.field", "id"));
        assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL010", Severity.ERROR, "transforms"));
        assertThat(findings.get(0).message()).contains("ValidateContract (contract) only tags");
        assertThat(LintCommand.lint(List.of(iceberg()), Profile.LOCAL)).extracting(Finding::rule, Finding::severity)
                .containsExactly(tuple("TL010", Severity.WARNING));
    }

    @Test
    void smtConfigErrorsCarryTheSmtsOwnMessageAndTheFullKey() {
        List<Finding> findings = lint(sink("s3", "errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq",
                "errors.deadletterqueue.context.headers.enable", "true", "transforms", "contract,dedupe",
                "transforms.contract.type", VALIDATE, "transforms.contract.rules", "amount",
                "transforms.contract.rules.amount.type", "range", "transforms.contract.rules.amount.field", "amount",
                "transforms.contract.rules.amount.min", "5", "transforms.contract.rules.amount.max", "1",
                "transforms.contract.on.failure", "dead_letter", "transforms.contract.dead.letter.topic", "dlq",
                // A broker given by a ConfigProvider does not keep the rest from being checked.
                "transforms.contract.dead.letter.bootstrap.servers", "${env:KAFKA_BOOTSTRAP}",
                "transforms.dedupe.type", DEDUPLICATE, "transforms.dedupe.strategy", "entity_version"));
        assertThat(findings).extracting(Finding::rule, Finding::key, Finding::message).containsExactly(
                tuple("TL011", "transforms.contract.rules.amount.min", "transform contract rejects its configuration: "
                        + "Invalid value 5 for configuration transforms.contract.rules.amount.min: min must not be greater than max (1)"),
                tuple("TL011", "transforms.dedupe.version.field", "transform dedupe rejects its configuration: "
                        + "Invalid value null for configuration transforms.dedupe.version.field: strategy entity_version needs a version field"));
    }

    @Test
    void smtConfigWithAStaticKeyConnectWouldRejectToo() {
        List<Finding> findings = lint(sink("s3", "errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq",
                "errors.deadletterqueue.context.headers.enable", "true", "transforms", "contract",
                "transforms.contract.type", VALIDATE, "transforms.contract.on.failure", "explode",
                "transforms.contract.rules", "id", "transforms.contract.rules.id.type", "required",
                "transforms.contract.rules.id.field", "id"));
        assertThat(findings).extracting(Finding::rule, Finding::key).containsExactly(tuple("TL011", "transforms.contract.on.failure"));
        assertThat(findings.get(0).message()).contains("Invalid value explode for configuration on.failure");
    }

    // --- TL011 and the contract keys ---

    private static final String ORDERS_CONTRACT = "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nversion: 1.0.0\nstatus: active\n"
            + "schema:\n  - name: orders\n    properties:\n      - {name: order_id, logicalType: integer, required: true}\n";

    /** A Bean Validation contract class. */
    public record Order(@NotNull Long orderId) {
    }

    /** A sink with a ValidateContract "contract" that rejects into the connector's DLQ and waits for it (clean). */
    private static ConnectorConfig contractSink(String... keyValues) {
        String[] clean = {"errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq",
                "errors.deadletterqueue.context.headers.enable", "true", "transforms", "contract",
                "transforms.contract.type", VALIDATE, "transforms.contract.on.failure", "dead_letter",
                "transforms.contract.dead.letter.topic", "dlq",
                "transforms.contract.dead.letter.bootstrap.servers", "${env:KAFKA_BOOTSTRAP}"};
        String[] all = new String[keyValues.length + clean.length];
        System.arraycopy(clean, 0, all, 0, clean.length);
        System.arraycopy(keyValues, 0, all, clean.length, keyValues.length);
        return sink("s3", all);
    }

    @Test
    void aSinkWhoseContractRejectsIntoConnectsDeadLetterQueueIsWarnedThatAKillLosesTheRecord() {
        List<Finding> fail = lint(contractSink("transforms.contract.on.failure", "fail",
                "transforms.contract.rules", "id", "transforms.contract.rules.id.type", "required",
                "transforms.contract.rules.id.field", "id"));
        assertThat(fail).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL017", Severity.WARNING, "transforms.contract.on.failure"));
        assertThat(fail.get(0).fix()).isEqualTo("set transforms.contract.on.failure=dead_letter, "
                + "transforms.contract.dead.letter.topic=dlq and transforms.contract.dead.letter.bootstrap.servers");

        List<Finding> elsewhere = lint(contractSink("transforms.contract.dead.letter.topic", "rejects",
                "transforms.contract.rules", "id", "transforms.contract.rules.id.type", "required",
                "transforms.contract.rules.id.field", "id"));
        assertThat(elsewhere).extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL017", "transforms.contract.dead.letter.topic"));
        assertThat(elsewhere.get(0).message()).isEqualTo("ValidateContract contract writes rejected records to "
                + "rejects, not to the connector's dead-letter queue dlq: triage, replay and the audit read the DLQ "
                + "the connector names");
    }

    @Test
    void aContractFileThatIsNotHereIsAWarningAndTheOtherKeysAreStillChecked() {
        List<Finding> missing = lint(contractSink("transforms.contract.contract.file", "/etc/truthline/orders.odcs.yaml"));
        assertThat(missing).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL011", Severity.WARNING, "transforms.contract.contract.file"));
        assertThat(missing.get(0).message()).isEqualTo("transform contract reads its contract from "
                + "/etc/truthline/orders.odcs.yaml, which is not on this machine (it may be only on the workers): "
                + "the contract and the inline rules were not checked, the keys Connect validates were");
        assertThat(missing.get(0).fix()).startsWith("run truthline contracts validate on the contract file");

        List<Finding> withBadKeys = lint(contractSink("transforms.contract.contract.file", "/etc/truthline/orders.odcs.yaml",
                "transforms.contract.contract.schema", "orders", "transforms.contract.on.failure", "explode"));
        assertThat(withBadKeys).extracting(Finding::rule, Finding::severity, Finding::key).containsExactly(
                tuple("TL011", Severity.WARNING, "transforms.contract.contract.file"),
                tuple("TL011", Severity.ERROR, "transforms.contract.on.failure"));

        List<Finding> twoContracts = lint(contractSink("transforms.contract.contract.file", "contracts/orders.odcs.yaml",
                "transforms.contract.contract.class", Order.class.getName()));
        assertThat(twoContracts).extracting(Finding::rule, Finding::severity, Finding::key).containsExactly(
                tuple("TL011", Severity.WARNING, "transforms.contract.contract.file"),
                tuple("TL011", Severity.ERROR, "transforms.contract.contract.class"));
        assertThat(twoContracts.get(1).message()).contains("set contract.class or an ODCS contract");
    }

    @Test
    void aContractFileThatIsHereIsChecked() throws IOException {
        Path valid = Files.writeString(dir.resolve("orders.odcs.yaml"), ORDERS_CONTRACT);
        assertThat(lint(contractSink("transforms.contract.contract.file", valid.toString()))).isEmpty();

        Path invalid = Files.writeString(dir.resolve("broken.odcs.yaml"), ORDERS_CONTRACT.replace("integer", "money"));
        List<Finding> findings = lint(contractSink("transforms.contract.contract.file", invalid.toString()));
        assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL011", Severity.ERROR, "transforms.contract.contract.file"));
        assertThat(findings.get(0).message()).contains("schema[0].properties[0].logicalType: must be one of string");

        List<Finding> wrongSchema = lint(contractSink("transforms.contract.contract.file", valid.toString(),
                "transforms.contract.contract.schema", "refunds"));
        assertThat(wrongSchema).extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL011", "transforms.contract.contract.schema"));
        assertThat(wrongSchema.get(0).message()).contains("no schema object named 'refunds'");
    }

    @Test
    void aContractInTheConfigIsChecked() {
        assertThat(lint(contractSink("transforms.contract.contract.text", ORDERS_CONTRACT))).isEmpty();

        List<Finding> malformed = lint(contractSink("transforms.contract.contract.text",
                ORDERS_CONTRACT.replace("integer", "money")));
        assertThat(malformed).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL011", Severity.ERROR, "transforms.contract.contract.text"));
        assertThat(malformed.get(0).message()).contains("schema[0].properties[0].logicalType: must be one of string");

        String unique = ORDERS_CONTRACT.replace("required: true}", "required: true, unique: true}");
        List<Finding> unsupported = lint(contractSink("transforms.contract.contract.text", unique));
        assertThat(unsupported).extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL011", "transforms.contract.contract.text"));
        assertThat(unsupported.get(0).message()).contains("unique on order_id (schema[0].properties[0].unique)")
                .contains("contract.unsupported=skip");
        assertThat(lint(contractSink("transforms.contract.contract.text", unique,
                "transforms.contract.contract.unsupported", "skip"))).isEmpty();
    }

    @Test
    void anUnknownTruthlineClassIsNamed() {
        List<Finding> findings = lint(sink("s3", "transforms", "contract",
                "transforms.contract.type", "dev.truthline.connect.validation.ValidateContract"));
        assertThat(findings).extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL011", "transforms.contract.type"));
        assertThat(findings.get(0).fix()).contains("ValidateContract$Value");
    }

    @Test
    void smtConfigWithProviderReferencesIsNotConfigured() {
        assertThat(lint(sink("s3", "transforms", "dedupe", "transforms.dedupe.type", DEDUPLICATE,
                "transforms.dedupe.id.fields", "${file:/etc/truthline/dedupe.properties:fields}"))).isEmpty();
    }

    @Test
    void validateContractThatFailsOnASourceSuggestsQuarantine() {
        List<Finding> findings = lint(source("cdc", "producer.override.compression.type", "zstd", "transforms", "contract",
                "transforms.contract.type", VALIDATE, "transforms.contract.rules", "id",
                "transforms.contract.rules.id.type", "required", "transforms.contract.rules.id.field", "id"));
        assertThat(findings).extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL013", "transforms.contract.on.failure"));
        assertThat(findings.get(0).fix()).isEqualTo("set transforms.contract.on.failure=quarantine (sources have no dead-letter queue)");
    }

    @Test
    void anInlineKeysetIsAnErrorInEveryProfileAndNeverEchoed() {
        String keyset = "{\"primaryKeyId\":1234567,\"key\":[{\"keyData\":{\"value\":\"c2VjcmV0LWtleS1tYXRlcmlhbA==\"}}]}";
        ConnectorConfig inline = sink("s3", "transforms", "protect",
                "transforms.protect.type", "dev.truthline.connect.privacy.ProtectFields$Value",
                "transforms.protect.rules", "ids", "transforms.protect.rules.ids.fields", "email",
                "transforms.protect.rules.ids.method", "token", "transforms.protect.rules.ids.keyset", keyset);
        for (Profile profile : Profile.values()) {
            List<Finding> findings = LintCommand.lint(List.of(inline), profile).stream()
                    .filter(f -> f.rule().equals("TL016")).toList();
            assertThat(findings).extracting(Finding::severity, Finding::key)
                    .containsExactly(tuple(Severity.ERROR, "transforms.protect.rules.ids.keyset"));
            assertThat(findings.get(0).toString()).doesNotContain("c2VjcmV0", "primaryKeyId");
        }
        ConnectorConfig referenced = sink("s3", "transforms", "protect",
                "transforms.protect.type", "dev.truthline.connect.privacy.RevealFields$Value",
                "transforms.protect.rules", "ids", "transforms.protect.rules.ids.fields", "email",
                "transforms.protect.rules.ids.method", "token",
                "transforms.protect.rules.ids.keyset", "${file:/etc/kafka/secrets/orders.properties:token_keyset}");
        assertThat(lint(referenced)).extracting(Finding::rule).doesNotContain("TL016");
    }

    @Test
    void dedupeAcrossTasksIsFineForTheDebeziumStrategyAndForKeyedEntities() {
        assertThat(lint(sink("s3", "tasks.max", "4", "transforms", "dedupe", "transforms.dedupe.type", DEDUPLICATE,
                "transforms.dedupe.strategy", "debezium"))).isEmpty();
        assertThat(lint(sink("s3", "tasks.max", "4", "transforms", "dedupe", "transforms.dedupe.type", DEDUPLICATE,
                "transforms.dedupe.strategy", "entity_version", "transforms.dedupe.version.field", "value.version"))).isEmpty();
        assertThat(lint(sink("s3", "tasks.max", "4", "transforms", "dedupe", "transforms.dedupe.type", DEDUPLICATE,
                "transforms.dedupe.strategy", "entity_version", "transforms.dedupe.entity.fields", "value.customer_id",
                "transforms.dedupe.version.field", "value.version")))
                .extracting(Finding::rule, Finding::key)
                .containsExactly(tuple("TL014", "transforms.dedupe.entity.fields"));
    }

    // --- output and exit codes ---

    @Test
    void jsonOutputHasOneObjectPerFindingAndTheCounts() throws IOException {
        CliRun run = CliRun.of("lint", "--format", "json", resource("/lint/rules/TL002-trips.json").toString(),
                resource("/lint/rules/TL001-trips.json").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        JsonNode report = JSON.readTree(run.out());
        assertThat(fieldNames(report)).containsExactly("profile", "connectors", "skipped", "errors", "warnings", "findings");
        assertThat(report.get("profile").asText()).isEqualTo("production");
        assertThat(report.get("connectors")).hasSize(2);
        assertThat(report.get("connectors").get(0).get("name").asText()).isEqualTo("s");
        assertThat(report.get("errors").asInt()).isEqualTo(1);
        assertThat(report.get("warnings").asInt()).isEqualTo(1);
        JsonNode first = report.get("findings").get(0);
        assertThat(fieldNames(first)).containsExactly("rule", "severity", "connector", "file", "key", "message", "fix");
        assertThat(first.get("rule").asText()).isEqualTo("TL002");
        assertThat(first.get("severity").asText()).isEqualTo("warning");
        assertThat(first.get("file").asText()).endsWith("TL002-trips.json");
        assertThat(report.get("findings").get(1).get("severity").asText()).isEqualTo("error");
    }

    @Test
    void tableNamesConnectorKeyAndFix() {
        CliRun run = CliRun.of("lint", resource("/lint/rules/TL001-trips.json").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("(?m)^SEVERITY +RULE +CONNECTOR +KEY +MESSAGE$")
                .containsPattern("(?m)^error +TL001 +s +errors.tolerance +errors.tolerance=all with no")
                .containsPattern("(?m)^ +fix: set errors.deadletterqueue.topic.name")
                .contains("1 error, 0 warnings in 1 connector (profile production)");
    }

    @Test
    void onlyWarningsExitZero() {
        CliRun run = CliRun.of("lint", resource("/lint/rules/TL002-trips.json").toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("0 errors, 1 warning in 1 connector");
    }

    @Test
    void profileIsCaseInsensitive() {
        CliRun run = CliRun.of("lint", "--profile", "LOCAL", resource("/lint/rules/TL006-trips.json").toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("(profile local)");
    }

    @Test
    void unreadableInputExitsTwo() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"name\": \"x\", \"config\": {");
        Path nested = Files.writeString(dir.resolve("nested.json"),
                "{\"name\":\"x\",\"config\":{\"connector.class\":\"a.B\",\"topics\":[\"a\"]}}");
        Path nameless = Files.writeString(dir.resolve("nameless.json"), "{\"connector.class\":\"a.B\"}");
        assertThat(CliRun.of("lint", broken.toString()).err()).contains("broken.json: not valid JSON");
        assertThat(CliRun.of("lint", broken.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.of("lint", nested.toString()).err())
                .contains("the value of topics must be a string, a number or a boolean");
        assertThat(CliRun.of("lint", dir.resolve("missing.json").toString()).err()).contains("missing.json: no such file");
        assertThat(CliRun.of("lint").exit()).isEqualTo(2);
        assertThat(CliRun.of("lint", "--profile", "staging", nameless.toString()).exit()).isEqualTo(2);
    }

    @Test
    void flatConfigsWithNumbersAndBooleansAreRead() throws IOException {
        Path flat = Files.writeString(dir.resolve("flat.json"), "{\"name\":\"s3\",\"connector.class\":\"x.S3SinkConnector\","
                + "\"topics\":\"t\",\"tasks.max\":2,\"errors.tolerance\":\"all\",\"errors.deadletterqueue.topic.name\":\"dlq\","
                + "\"errors.deadletterqueue.context.headers.enable\":false}");
        JsonNode report = lintJson(flat.toString());
        assertThat(rules(report)).containsExactly("TL002");
        assertThat(report.get("connectors").get(0).get("name").asText()).isEqualTo("s3");
    }

    // --- connector files as users have them: flat Debezium-style configs, credentials in URLs ---

    private static final List<String> SECRETS_IN_EXAMPLES = List.of("pg-Secret-1", "dbz-Secret-2", "my-Secret-3",
            "Sql-Secret-4!");

    @Test
    void aFolderOfFlatConfigsIsReadNamedByFileNameAndAnUnreadableFileIsAFindingNotTheEnd() throws IOException {
        Path folder = resource("/lint/debezium-examples");
        CliRun json = CliRun.of("lint", "--format", "json", "--profile", "local", folder.toString());
        // Local profile: TL009 is a warning there; the unreadable file alone makes the run fail.
        assertThat(json.exit()).as(json.toString()).isEqualTo(1);
        JsonNode report = JSON.readTree(json.out());
        List<String> named = new ArrayList<>();
        report.get("connectors").forEach(c -> named.add(c.get("name").asText() + " from " + c.get("name_from").asText()));
        assertThat(named).containsExactly("inventory-connector from config", "inventory-postgres from file name",
                "jdbc-sink-mysql from file name", "jdbc-sink-postgres from file name",
                "jdbc-sink-referenced from file name", "mongodb-source from file name", "sqlserver-sink from file name");
        List<String> found = new ArrayList<>();
        report.get("findings").forEach(f -> found.add(f.get("rule").asText() + " " + f.get("severity").asText() + " "
                + f.get("connector").asText() + " " + f.get("key").asText()));
        assertThat(found).contains(
                "TL015 error truncated -",
                "TL009 warning jdbc-sink-mysql connection.url",
                "TL009 warning jdbc-sink-postgres connection.url",
                "TL009 warning mongodb-source mongodb.connection.string",
                "TL009 warning sqlserver-sink connection.url");
        assertThat(found).filteredOn(f -> f.startsWith("TL009")).hasSize(4);
        assertThat(report.get("findings").get(0).get("message").asText()).startsWith("cannot be read as a connector "
                + "config: not valid JSON");
        assertThat(report.get("errors").asInt()).isEqualTo(1);

        CliRun table = CliRun.of("lint", "--profile", "local", folder.toString());
        assertThat(table.exit()).isEqualTo(1);
        assertThat(table.out()).contains("named jdbc-sink-postgres after its file " + folder.resolve("jdbc-sink-postgres.json")
                + ": the config has no name key (the name of PUT /connectors/{name}/config)")
                .doesNotContain("named inventory-connector");
        for (String secret : SECRETS_IN_EXAMPLES) {
            assertThat(json.out() + json.err() + table.out() + table.err()).doesNotContain(secret);
        }

        // The same folder without the unreadable file: only warnings, exit 0; in production TL009 is an error.
        Path copy = Files.createDirectories(dir.resolve("examples"));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("truncated.json")).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        assertThat(CliRun.of("lint", "--profile", "local", copy.toString()).exit()).isZero();
        assertThat(CliRun.of("lint", copy.toString()).exit()).isEqualTo(1);
    }

    @Test
    void aFlatConfigNamedOnTheCommandLineIsNamedByItsFile() throws IOException {
        JsonNode report = lintJson("--profile", "local", resource("/lint/debezium-examples/inventory-postgres.json").toString());
        assertThat(report.get("connectors").get(0).get("name").asText()).isEqualTo("inventory-postgres");
        assertThat(report.get("connectors").get(0).get("name_from").asText()).isEqualTo("file name");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://db:5432/inventory?user=u&password=s3cret",
        "jdbc:postgresql://db:5432/inventory?password=s3cret",
        "mongodb://user:s3cret@host:27017/?replicaSet=rs0",
        "mongodb+srv://user:s3cret@cluster0.example.net/db",
        "jdbc:mysql://user:s3cret@mysql:3306/inventory",
        "jdbc:sqlserver://sql:1433;databaseName=testDB;user=sa;password=s3cret;encrypt=false",
        "jdbc:oracle:thin:scott/s3cret@oracle:1521/ORCLPDB1",
        "jdbc:db2://db2:50000/sample:user=db2inst1;password=s3cret;",
        "https://user:s3cret@registry.example.com"})
    void credentialsInsideUrlsAreFoundAndNeverEchoed(String url) {
        List<Finding> findings = lint(sink("s", "connection.url", url));
        assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::key)
                .containsExactly(tuple("TL009", Severity.ERROR, "connection.url"));
        assertThat(findings.get(0).message()).startsWith("connection.url holds a credential inside its URL (")
                .doesNotContain("s3cret");
        assertThat(findings.get(0).fix()).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://db:5432/inventory?user=u&sslmode=require",
        "jdbc:postgresql://db:5432/inventory?user=u&password=${file:/s/db.properties:password}",
        "mongodb://host1:27017,host2:27017/?replicaSet=rs0",
        "mongodb://user@host:27017/?authMechanism=MONGODB-X509",
        "jdbc:mysql://mysql:3306/inventory",
        "jdbc:oracle:thin:@//oracle:1521/ORCLPDB1",
        "http://connect:8083/",
        "password=s3cret is not a URL"})
    void urlsWithoutCredentialsPass(String url) {
        assertThat(lint(sink("s", "connection.url", url))).isEmpty();
    }

    @Test
    void listRulesPrintsEveryIdWithItsFix() {
        CliRun run = CliRun.of("lint", "--list-rules");
        assertThat(run.exit()).isZero();
        ruleIds().forEach(id -> assertThat(run.out()).contains(id + "  "));
        assertThat(run.out()).contains("TL015  a JSON file in a folder that cannot be read as a connector config");
        assertThat(run.out()).contains("fix: ");
    }

    // --- helpers ---

    private static List<Finding> lint(ConnectorConfig c) {
        return LintCommand.lint(List.of(c), Profile.PRODUCTION);
    }

    private static ConnectorConfig config(String name, String connectorClass, String[] base, String... keyValues) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", connectorClass);
        for (int i = 0; i < base.length; i += 2) {
            config.put(base[i], base[i + 1]);
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put(keyValues[i], keyValues[i + 1]);
        }
        return new ConnectorConfig(name, Path.of(name + ".json"), config);
    }

    private static ConnectorConfig sink(String name, String... keyValues) {
        return config(name, "io.confluent.connect.s3.S3SinkConnector", new String[] {"topics", "orders"}, keyValues);
    }

    private static ConnectorConfig source(String name, String... keyValues) {
        return config(name, "io.debezium.connector.postgresql.PostgresConnector", new String[] {"topic.prefix", "orders"},
                keyValues);
    }

    private static ConnectorConfig iceberg(String... keyValues) {
        return config("orders-bronze", "org.apache.iceberg.connect.IcebergSinkConnector",
                new String[] {"topics", "orders", "iceberg.tables", "db.orders"}, keyValues);
    }

    private static JsonNode lintJson(String... args) throws IOException {
        String[] all = new String[args.length + 3];
        all[0] = "lint";
        all[1] = "--format";
        all[2] = "json";
        System.arraycopy(args, 0, all, 3, args.length);
        CliRun run = CliRun.of(all);
        assertThat(run.exit()).as(run.toString()).isIn(0, 1);
        return JSON.readTree(run.out());
    }

    private static List<String> rules(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.get("findings").forEach(n -> ids.add(n.get("rule").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
