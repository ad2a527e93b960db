package dev.truthline.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.example.thirdparty.ThirdPartyTransformation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.truthline.connect.core.config.ConfigProblem;

/** Configuring the Truthline transformations of a connector config, with the real ValidateContract. */
class TransformConfigCheckTest {

    private static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$Value";
    private static final String RECORDING = RecordingTransformation.class.getName();

    private final TransformConfigCheck check = new TransformConfigCheck(getClass().getClassLoader(), "0.1.0");

    @BeforeEach
    void reset() {
        RecordingTransformation.lastProps = null;
        RecordingTransformation.closed = 0;
        ThirdPartyTransformation.configured = 0;
    }

    /** A sink config with one ValidateContract transformation "contract" and the given keys under it. */
    private static Map<String, String> contract(String... keysAndValues) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.example.Sink");
        config.put("transforms", "contract");
        config.put("transforms.contract.type", VALIDATE);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put("transforms.contract." + keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    private static Map<String, String> rangeRule(String min, String max) {
        return contract("rules", "amount", "rules.amount.type", "range", "rules.amount.field", "amount",
                "rules.amount.min", min, "rules.amount.max", max);
    }

    @Test
    void validContractHasNoErrors() {
        assertThat(check.check(rangeRule("0", "100"))).isEmpty();
    }

    @Test
    void minGreaterThanMax() {
        assertThat(check.check(rangeRule("5", "1"))).containsExactly(new ConfigProblem(
                "transforms.contract.rules.amount.min",
                "Invalid value 5 for configuration transforms.contract.rules.amount.min: min must not be greater than max (1)"));
    }

    @Test
    void unknownRuleType() {
        List<ConfigProblem> errors = check.check(contract("rules", "x", "rules.x.type", "nonsense", "rules.x.field", "a"));
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.key()).isEqualTo("transforms.contract.rules.x.type");
            assertThat(error.message()).startsWith(
                    "Invalid value nonsense for configuration transforms.contract.rules.x.type: String must be one of");
        });
    }

    @Test
    void celThatDoesNotCompile() {
        List<ConfigProblem> errors = check.check(contract("rules", "big", "rules.big.type", "cel",
                "rules.big.expr", "value.amount >"));
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.key()).isEqualTo("transforms.contract.rules.big.expr");
            assertThat(error.message()).startsWith("Invalid value value.amount > for configuration "
                    + "transforms.contract.rules.big.expr: CEL expression does not compile: ");
        });
    }

    @Test
    void declaredKeysAreReportedAsConnectReportsThemEveryOne() {
        List<ConfigProblem> errors = check.check(contract("on.failure", "explode", "headers.prefix", "",
                "rules", "amount", "rules.amount.type", "range", "rules.amount.field", "amount", "rules.amount.min", "5",
                "rules.amount.max", "1"));
        // The declared keys' errors, in Connect's words; configure() (min > max) is not reached, as in a task.
        assertThat(errors).extracting(ConfigProblem::key)
                .containsExactly("transforms.contract.on.failure", "transforms.contract.headers.prefix");
        assertThat(errors.get(0).message()).startsWith("Invalid value explode for configuration on.failure: "
                + "String must be one of (case insensitive): ");
    }

    @Test
    void everyTruthlineAliasIsChecked() {
        Map<String, String> config = rangeRule("5", "1");
        config.put("transforms", "contract, second");
        config.put("transforms.second.type", VALIDATE);
        config.put("transforms.second.rules", "id");
        config.put("transforms.second.rules.id.type", "bogus");
        config.put("transforms.second.rules.id.field", "id");
        assertThat(check.check(config)).extracting(ConfigProblem::key)
                .containsExactly("transforms.contract.rules.amount.min", "transforms.second.rules.id.type");
    }

    @Test
    void configuredAsATaskWouldBeThenClosed() {
        Map<String, String> config = contract("a", "1", "predicate", "isTombstone", "negate", "true");
        config.put("transforms.contract.type", RECORDING);
        config.put("transforms.other.a", "2");
        config.put("predicates", "isTombstone");

        assertThat(check.check(config)).isEmpty();
        // Connect passes type (and plugin.version) on, and strips predicate and negate.
        assertThat(RecordingTransformation.lastProps).isEqualTo(Map.of("type", RECORDING, "a", "1"));
        assertThat(RecordingTransformation.lastContextLoader).isSameAs(RecordingTransformation.class.getClassLoader());
        assertThat(RecordingTransformation.closed).isEqualTo(1);
    }

    @Test
    void configExceptionWithoutKeyGoesOnTheType() {
        Map<String, String> config = contract("fail", "config");
        config.put("transforms.contract.type", RECORDING);
        assertThat(check.check(config)).containsExactly(new ConfigProblem("transforms.contract.type",
                "the recording transformation was told to fail"));
        assertThat(RecordingTransformation.closed).isEqualTo(1);
    }

    @Test
    void otherExceptionsAreErrorsOnTheType() {
        Map<String, String> config = contract("fail", "state");
        config.put("transforms.contract.type", RECORDING);
        assertThat(check.check(config)).containsExactly(new ConfigProblem("transforms.contract.type",
                RECORDING + " cannot be configured: java.lang.IllegalStateException: told to fail"));
    }

    @Test
    void thirdPartyTransformationsAreNeverConfigured() {
        Map<String, String> config = contract();
        config.put("transforms.contract.type", ThirdPartyTransformation.class.getName());
        assertThat(check.check(config)).isEmpty();
        assertThat(ThirdPartyTransformation.configured).isZero();
    }

    @Test
    void classThatCannotBeLoadedIsLeftToConnect() {
        Map<String, String> config = contract();
        config.put("transforms.contract.type", "dev.truthline.connect.NoSuchTransformation");
        assertThat(check.check(config)).isEmpty();
    }

    @Test
    void configProviderReferencesAreNotJudgedRaw() {
        Map<String, String> config = rangeRule("${file:/etc/limits.properties:min}", "1");
        assertThat(check.check(config)).isEmpty();
    }

    @Test
    void topicPlaceholderIsNoConfigProviderReference() {
        Map<String, String> config = rangeRule("5", "1");
        config.put("transforms.contract.quarantine.topic", "${topic}.quarantine");
        assertThat(check.check(config)).extracting(ConfigProblem::key).containsExactly("transforms.contract.rules.amount.min");
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "0.1.0", "[0.1,1.0)", " 0.1.0 "})
    void pluginVersionOfThisReleaseIsChecked(String version) {
        Map<String, String> config = rangeRule("5", "1");
        config.put("transforms.contract.plugin.version", version);
        assertThat(check.check(config)).extracting(ConfigProblem::key).containsExactly("transforms.contract.rules.amount.min");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.2.0", "[0.2,)", "(,0.1.0)", "[not a range"})
    void pluginVersionOfAnotherReleaseIsLeftToConnect(String version) {
        Map<String, String> config = rangeRule("5", "1");
        config.put("transforms.contract.plugin.version", version);
        assertThat(check.check(config)).isEmpty();
    }

    @Test
    void noTransforms() {
        assertThat(check.check(Map.of("connector.class", "org.example.Sink"))).isEmpty();
        assertThat(check.check(Map.of("transforms", " "))).isEmpty();
        assertThat(check.check(Map.of("transforms", "a"))).isEmpty();
    }
}
