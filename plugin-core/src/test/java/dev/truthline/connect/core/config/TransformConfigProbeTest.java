package dev.truthline.connect.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.KeyedConfigException;

class TransformConfigProbeTest {

    private static final String PREFIX = "transforms.t.";

    /** Declares mode, size and name; configure() also reads rules.n (a key it does not declare) and fails on demand. */
    static final class Probed implements Transformation<SinkRecord> {
        static final ConfigDef DEF = new ConfigDef()
                .define("mode", Type.STRING, "a", ConfigDef.ValidString.in("a", "b"), Importance.HIGH, "mode")
                .define("size", Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.HIGH, "size")
                .define("name", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "name");
        static final ConfigDef RULE = new ConfigDef()
                .define("rules.n", Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW, "n");

        int configured;
        int closed;
        ClassLoader contextLoader;

        @Override
        public void configure(Map<String, ?> props) {
            configured++;
            contextLoader = Thread.currentThread().getContextClassLoader();
            new AbstractConfig(DEF, props);
            new KeyedConfig(RULE, props);
            Object fail = props.get("fail");
            if ("keyed".equals(fail)) {
                throw new KeyedConfigException("rules.m", "7", "m must be below n");
            }
            if ("plain".equals(fail)) {
                throw new ConfigException("something is wrong");
            }
            if ("state".equals(fail)) {
                throw new IllegalStateException("told to fail");
            }
        }

        @Override
        public SinkRecord apply(SinkRecord record) {
            return record;
        }

        @Override
        public ConfigDef config() {
            return DEF;
        }

        @Override
        public void close() {
            closed++;
        }
    }

    private static Map<String, String> props(String... keysAndValues) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "x");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return props;
    }

    @Test
    void aValidConfigurationIsConfiguredAsATaskWouldThenClosed() {
        Probed probed = new Probed();
        assertThat(TransformConfigProbe.probe(probed, props("rules.n", "3"), PREFIX)).isEmpty();
        assertThat(probed.configured).isEqualTo(1);
        assertThat(probed.closed).isEqualTo(1);
        assertThat(probed.contextLoader).isSameAs(Probed.class.getClassLoader());
    }

    @Test
    void everyDeclaredKeyErrorIsReportedWithConnectsKeyAndTextAndConfigureIsNotRun() {
        Probed probed = new Probed();
        Map<String, String> props = props("mode", "c", "size", "0", "rules.n", "-1");
        props.remove("name");
        List<ConfigProblem> problems = TransformConfigProbe.probe(probed, props, PREFIX);

        // What Connect's config/validate says about the same keys: the definition embedded under the prefix.
        ConfigDef connect = new ConfigDef();
        connect.embed(PREFIX, "", 0, Probed.DEF);
        Map<String, String> prefixed = new HashMap<>();
        props.forEach((k, v) -> prefixed.put(PREFIX + k, v));
        Map<String, List<String>> connectErrors = new HashMap<>();
        connect.validateAll(prefixed).forEach((k, v) -> connectErrors.put(k, v.errorMessages()));

        assertThat(problems).extracting(ConfigProblem::key)
                .containsExactly(PREFIX + "mode", PREFIX + "size", PREFIX + "name");
        for (ConfigProblem problem : problems) {
            assertThat(connectErrors.get(problem.key())).containsExactly(problem.message());
        }
        assertThat(problems.get(2).message())
                .isEqualTo("Missing required configuration \"transforms.t.name\" which has no default value.");
        assertThat(probed.configured).isZero();
        assertThat(probed.closed).isEqualTo(1);
    }

    @Test
    void aKeyedErrorFromConfigureIsOnItsFullKey() {
        assertThat(TransformConfigProbe.probe(new Probed(), props("fail", "keyed"), PREFIX)).containsExactly(
                new ConfigProblem(PREFIX + "rules.m", "Invalid value 7 for configuration transforms.t.rules.m: m must be below n"));
    }

    @Test
    void kafkasOwnErrorOnAKeyConfigureReadsIsKeyedInKafkasWordsOnTheFullKey() {
        assertThat(TransformConfigProbe.probe(new Probed(), props("rules.n", "-1"), PREFIX)).containsExactly(
                new ConfigProblem(PREFIX + "rules.n", "Invalid value -1 for configuration transforms.t.rules.n: "
                        + "Value must be at least 0"));
        assertThat(TransformConfigProbe.probe(new Probed(), props("rules.n", "many"), PREFIX)).containsExactly(
                new ConfigProblem(PREFIX + "rules.n", "Invalid value many for configuration transforms.t.rules.n: "
                        + "Not a number of type INT"));
    }

    @Test
    void anyOtherErrorIsOnTheTransformationAsAWhole() {
        assertThat(TransformConfigProbe.probe(new Probed(), props("fail", "plain"), PREFIX))
                .containsExactly(new ConfigProblem(PREFIX + "type", "something is wrong"));
        Probed probed = new Probed();
        assertThat(TransformConfigProbe.probe(probed, props("fail", "state"), PREFIX)).containsExactly(new ConfigProblem(
                PREFIX + "type", Probed.class.getName() + " cannot be configured: java.lang.IllegalStateException: told to fail"));
        assertThat(probed.closed).isEqualTo(1);
    }

    @Test
    void onlyTheDeclaredKeysWhenConfigureCannotRunHere() {
        Probed probed = new Probed();
        assertThat(TransformConfigProbe.declaredKeyProblems(probed, props("rules.n", "-1", "size", "0"), PREFIX))
                .extracting(ConfigProblem::key).containsExactly(PREFIX + "size");
        assertThat(probed.configured).isZero();
    }

    @Test
    void aTransformationGetsItsKeysAsConnectPassesThem() {
        Map<String, String> connector = Map.of("transforms", "t,u", "transforms.t.type", "a.T", "transforms.t.size", "2",
                "transforms.t.predicate", "isTombstone", "transforms.t.negate", "true", "transforms.u.size", "3",
                "transforms.t.", "empty", "size", "9");
        assertThat(TransformConfigProbe.keyPrefix("t")).isEqualTo(PREFIX);
        assertThat(TransformConfigProbe.transformProps(connector, "t")).isEqualTo(Map.of("type", "a.T", "size", "2"));
    }

    @Test
    void keyedConfigGivesTheKeyAsDataAndKeepsKafkasWords() {
        KeyedConfigException e = catchThrowableOfType(KeyedConfigException.class,
                () -> new KeyedConfig(Probed.RULE, Map.of("rules.n", "-1")));
        assertThat(e.key()).isEqualTo("rules.n");
        assertThat(e.getMessage()).isEqualTo("Invalid value -1 for configuration rules.n: Value must be at least 0");
        assertThat(e.getCause()).isInstanceOf(ConfigException.class).hasMessage(e.getMessage());
        KeyedConfigException twice = e.withKeyPrefix("b.").withKeyPrefix("a.");
        assertThat(twice.key()).isEqualTo("a.b.rules.n");
        assertThat(twice.getMessage()).isEqualTo("Invalid value -1 for configuration a.b.rules.n: Value must be at least 0");
        assertThat(new KeyedConfig(Probed.RULE, Map.of("rules.n", "4")).getInt("rules.n")).isEqualTo(4);
    }
}
