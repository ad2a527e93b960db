package dev.truthline.connect.validation;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code length}: the length of a string (in Unicode code points), bytes, array or map lies within
 * {@code min} and {@code max}, both inclusive and each optional.
 */
final class LengthRule extends FieldRule {

    static final RuleType TYPE = new RuleType("length", ContractRule.Length.class, RuleDefinitions.FIELD,
            RuleDefinitions.MIN, RuleDefinitions.MAX) {
        @Override
        Rule fromConfig(RuleConfig config) {
            FieldPath path = config.field();
            Integer min = config.length(RuleDefinitions.MIN);
            Integer max = config.length(RuleDefinitions.MAX);
            config.requireABound(min, max);
            if (min != null && max != null && min > max) {
                throw new KeyedConfigException(config.key(RuleDefinitions.MIN), config.string(RuleDefinitions.MIN),
                        "min must not be greater than max (" + max + ")");
            }
            return new LengthRule(config.name(), path, config.severity(), config.message(), min, max);
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            ContractRule.Length length = (ContractRule.Length) rule.check();
            return new LengthRule(rule.name(), FieldPath.parse(rule.field()), severity, null, length.min(), length.max());
        }

        /** No minimum is a minimum of 0; no maximum refuses nothing. */
        @Override
        boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
            ContractRule.Length x = (ContractRule.Length) a;
            ContractRule.Length y = (ContractRule.Length) b;
            int xMin = x.min() == null ? 0 : x.min();
            int yMin = y.min() == null ? 0 : y.min();
            return xMin > yMin || (x.max() != null && (y.max() == null || x.max() < y.max()));
        }
    };

    private final int min;
    private final int max;
    private final String outOfRange;

    LengthRule(String name, FieldPath path, RuleSeverity severity, String message, Integer min, Integer max) {
        super(name, path, severity, message);
        this.min = min == null ? 0 : min;
        this.max = max == null ? Integer.MAX_VALUE : max;
        if (min != null && max != null) {
            outOfRange = "length must be between " + min + " and " + max;
        } else if (min != null) {
            outOfRange = "length must be at least " + min;
        } else {
            outOfRange = "length must be at most " + max;
        }
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        int length;
        if (value instanceof String) {
            String s = (String) value;
            length = s.codePointCount(0, s.length());
        } else if (value instanceof byte[]) {
            length = ((byte[]) value).length;
        } else if (value instanceof ByteBuffer) {
            length = ((ByteBuffer) value).remaining();
        } else if (value instanceof List) {
            length = ((List<?>) value).size();
        } else if (value instanceof Map) {
            length = ((Map<?, ?>) value).size();
        } else {
            return "expected a string, bytes, array or map but was " + TypeNames.of(value);
        }
        return length >= min && length <= max ? null : outOfRange;
    }
}
