package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;

/**
 * A rule type is declared once: this test adds one ({@code even}) in this class alone, and the rule
 * definitions read its label and parameters, build it from {@code rules.<name>.*} and run it, and
 * {@link RuleCompatibility} judges two versions of it with the comparison the type declares.
 */
class MadeUpRuleTypeTest {

    /** {@code even}: an even integer. */
    static final class EvenRule extends FieldRule {

        static final RuleType TYPE = new RuleType("even", ContractRule.Length.class, RuleDefinitions.FIELD) {
            @Override
            Rule fromConfig(RuleConfig config) {
                return new EvenRule(config.name(), config.field(), config.severity(), config.message());
            }

            /**
             * Its compatibility, declared here too. Contract checks are a closed set, so this made-up type
             * borrows the length check's shape for "even, and at most max": a lower maximum refuses more.
             */
            @Override
            boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
                Integer refusing = ((ContractRule.Length) a).max();
                Integer accepting = ((ContractRule.Length) b).max();
                return refusing != null && (accepting == null || refusing < accepting);
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
        List<RuleType> types = new ArrayList<>(RuleType.all());
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

    @Test
    void twoVersionsOfAMadeUpRuleTypeCompareByTheComparisonItDeclares() {
        List<RuleType> types = new ArrayList<>(List.of(EvenRule.TYPE));
        types.addAll(RuleType.all());
        ContractRule.Check upTo10 = new ContractRule.Length(null, 10);
        ContractRule.Check upTo4 = new ContractRule.Length(null, 4);
        ContractRule.Check unbounded = new ContractRule.Length(null, null);

        assertThat(RuleCompatibility.of(upTo10, upTo4, false, false, types)).isEqualTo(RuleCompatibility.TIGHTER);
        assertThat(RuleCompatibility.of(upTo4, unbounded, false, false, types)).isEqualTo(RuleCompatibility.LOOSER);
        assertThat(RuleCompatibility.of(upTo4, new ContractRule.Length(0, 4), false, false, types))
                .isEqualTo(RuleCompatibility.EQUAL);
        // The length type, judging the same pair, sees a new minimum: the made-up type's comparison is the one used.
        assertThat(RuleCompatibility.of(new ContractRule.Length(null, 4), new ContractRule.Length(3, 4), false, false, types))
                .isEqualTo(RuleCompatibility.EQUAL);
        assertThat(RuleCompatibility.of(new ContractRule.Length(null, 4), new ContractRule.Length(3, 4), false, false))
                .isEqualTo(RuleCompatibility.TIGHTER);
    }
}
