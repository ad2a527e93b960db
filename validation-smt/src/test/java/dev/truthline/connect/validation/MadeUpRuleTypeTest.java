package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.FieldPath;

/**
 * A rule type is declared once: this test adds one ({@code even}) in this class alone, and the rule
 * definitions read its label and parameters, build it from {@code rules.<name>.*} and run it.
 */
class MadeUpRuleTypeTest {

    /** {@code even}: an even integer. */
    static final class EvenRule extends FieldRule {

        static final RuleType TYPE = new RuleType("even", null, RuleDefinitions.FIELD) {
            @Override
            Rule fromConfig(RuleConfig config) {
                return new EvenRule(config.name(), config.field(), config.severity(), config.message());
            }
        };

        EvenRule(String name, FieldPath path, RuleSeverity severity, String message) {
            super(name, path, severity, message);
        }

        @Override
        String checkPresent(Object value, RecordView record) {
            return value instanceof Long && (Long) value % 2 == 0 ? null : "is not an even integer";
        }
    }

    @Test
    void aRuleTypeDeclaredInOneClassIsBuiltFromConfigAndRuns() {
        List<RuleType> types = new ArrayList<>(RuleType.ALL);
        types.add(EvenRule.TYPE);
        List<Rule> rules = RuleDefinitions.compile(List.of("qty"),
                Map.of("rules.qty.type", "EVEN", "rules.qty.field", "qty", "rules.qty.severity", "warn"), types);

        assertThat(rules).hasSize(1);
        Rule rule = rules.get(0);
        assertThat(rule.name()).isEqualTo("qty");
        assertThat(rule.severity()).isEqualTo(RuleSeverity.WARN);

        Verdict verdict = new Verdict();
        rule.evaluate(new RecordView("t", Map.of("qty", 3L), null, null, null, null), verdict);
        rule.evaluate(new RecordView("t", Map.of("qty", 4L), null, null, null, null), verdict);
        assertThat(verdict.violations()).extracting(Violation::field, Violation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("qty", "is not an even integer"));
        assertThat(verdict.valid()).isTrue();
    }
}
