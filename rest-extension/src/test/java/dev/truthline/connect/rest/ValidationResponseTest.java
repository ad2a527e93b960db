package dev.truthline.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigKeyInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.config.ConfigProblem;

/** Truthline's errors merged into Connect's validate answer, and the 400 message of a rejected create or update. */
class ValidationResponseTest {

    private static final ConfigKeyInfo RULES_KEY = new ConfigKeyInfo("transforms.contract.rules", "LIST", false, "",
            "HIGH", "Names of the inline rules", "Transforms: contract", 1, "NONE", "rules", List.of());
    private static final ConfigKeyInfo ON_FAILURE_KEY = new ConfigKeyInfo("transforms.contract.on.failure", "STRING",
            false, "fail", "HIGH", "What to do", "Transforms: contract", 2, "NONE", "on.failure", List.of());
    private static final ConfigKeyInfo NO_VALUE_KEY = new ConfigKeyInfo("transforms.contract.mode", "STRING",
            false, "enforce", "MEDIUM", "enforce or shadow", "Transforms: contract", 3, "NONE", "mode", List.of());
    private static final String CONNECT_ERROR =
            "Invalid value x for configuration on.failure: String must be one of: fail, quarantine, tag, drop";

    private static ConfigInfos connectAnswer() {
        return new ConfigInfos("org.example.Sink", 1, List.of("Common", "Transforms: contract"), List.of(
                new ConfigInfo(RULES_KEY, new ConfigValueInfo("transforms.contract.rules", "amount", List.of(), List.of(), true)),
                new ConfigInfo(ON_FAILURE_KEY, new ConfigValueInfo("transforms.contract.on.failure", "x", List.of(),
                        List.of(CONNECT_ERROR), true)),
                new ConfigInfo(NO_VALUE_KEY, null)));
    }

    @Test
    void noErrorsLeavesConnectsAnswer() {
        ConfigInfos infos = connectAnswer();
        assertThat(ValidationResponse.withErrors(infos, List.of(), Map.of())).isSameAs(infos);
    }

    @Test
    void errorOnAKeyWithoutDefinitionIsANewEntry() {
        ConfigProblem error = new ConfigProblem("transforms.contract.rules.amount.min",
                "Invalid value 5 for configuration transforms.contract.rules.amount.min: min must not be greater than max (1)");
        ConfigInfos merged = ValidationResponse.withErrors(connectAnswer(), List.of(error),
                Map.of("transforms.contract.rules.amount.min", "5"));

        assertThat(merged.name()).isEqualTo("org.example.Sink");
        assertThat(merged.groups()).containsExactly("Common", "Transforms: contract");
        assertThat(merged.errorCount()).isEqualTo(2);
        assertThat(merged.configs()).hasSize(4).startsWith(connectAnswer().configs().toArray(new ConfigInfo[0]));
        assertThat(merged.configs().get(3)).isEqualTo(new ConfigInfo(null, new ConfigValueInfo(
                "transforms.contract.rules.amount.min", "5", List.of(), List.of(error.message()), true)));
    }

    @Test
    void errorOnAKeyConnectDefinesIsAddedToItsEntry() {
        ConfigProblem error = new ConfigProblem("transforms.contract.rules",
                "Invalid value [amount] for configuration transforms.contract.rules: some problem");
        ConfigInfos merged = ValidationResponse.withErrors(connectAnswer(), List.of(error), Map.of());

        assertThat(merged.errorCount()).isEqualTo(2);
        assertThat(merged.configs()).hasSize(3);
        assertThat(merged.configs().get(0)).isEqualTo(new ConfigInfo(RULES_KEY, new ConfigValueInfo(
                "transforms.contract.rules", "amount", List.of(), List.of(error.message()), true)));
    }

    @Test
    void errorOnADefinedKeyWithoutValueGetsAValue() {
        ConfigProblem error = new ConfigProblem("transforms.contract.mode", "mode problem");
        ConfigInfos merged = ValidationResponse.withErrors(connectAnswer(), List.of(error),
                Map.of("transforms.contract.mode", "shadow"));

        assertThat(merged.errorCount()).isEqualTo(2);
        assertThat(merged.configs().get(2)).isEqualTo(new ConfigInfo(NO_VALUE_KEY, new ConfigValueInfo(
                "transforms.contract.mode", "shadow", List.of(), List.of("mode problem"), true)));
    }

    @Test
    void aKeyConnectAlreadyFlaggedKeepsConnectsErrorOnly() {
        ConfigProblem error = new ConfigProblem("transforms.contract.on.failure",
                "Invalid value x for configuration transforms.contract.on.failure: String must be one of: fail, quarantine, tag, drop");
        ConfigInfos merged = ValidationResponse.withErrors(connectAnswer(), List.of(error), Map.of());

        assertThat(merged).isEqualTo(connectAnswer());
    }

    @Test
    void severalErrorsCountOnceEach() {
        ConfigInfos merged = ValidationResponse.withErrors(connectAnswer(), List.of(
                new ConfigProblem("transforms.a.rules.x.type", "a"),
                new ConfigProblem("transforms.b.rules.y.expr", "b"),
                new ConfigProblem("transforms.contract.on.failure", "c")), Map.of());

        assertThat(merged.errorCount()).isEqualTo(3);
        assertThat(merged.configs()).extracting(info -> info.configValue() == null ? null : info.configValue().name())
                .containsExactly("transforms.contract.rules", "transforms.contract.on.failure", null,
                        "transforms.a.rules.x.type", "transforms.b.rules.y.expr");
    }

    @Test
    void rejectionMessageNamesEveryKey() {
        String message = ValidationResponse.rejection(List.of(
                new ConfigProblem("transforms.contract.rules.amount.min",
                        "Invalid value 5 for configuration transforms.contract.rules.amount.min: min must not be greater than max (1)"),
                new ConfigProblem("transforms.contract.type", "contract.file and rules cannot both be set")));

        assertThat(message).isEqualTo("Connector configuration is invalid and contains the following 2 error(s):\n"
                + "Invalid value 5 for configuration transforms.contract.rules.amount.min: min must not be greater than max (1)\n"
                + "transforms.contract.type: contract.file and rules cannot both be set\n"
                + "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
    }
}
