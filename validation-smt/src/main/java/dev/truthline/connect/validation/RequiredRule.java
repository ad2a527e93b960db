package dev.truthline.connect.validation;

import java.util.Map;

import org.apache.kafka.connect.data.Struct;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;

/**
 * {@code required}: the field must be present and not null. Built from a contract, a nested field can
 * be required only {@code within} its parent object: where the parent is absent, null or not an object
 * there is nothing to require (as in ODCS and Bean Validation, where an optional object's required
 * fields bind only when the object is there).
 */
final class RequiredRule extends FieldRule {

    static final RuleType TYPE = new RuleType("required", ContractRule.Required.class, RuleDefinitions.FIELD) {
        @Override
        Rule fromConfig(RuleConfig config) {
            return new RequiredRule(config.name(), config.field(), config.severity(), config.message());
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            String within = ((ContractRule.Required) rule.check()).within();
            return new RequiredRule(rule.name(), FieldPath.parse(rule.field()), severity, null,
                    within == null ? null : FieldPath.parse(within));
        }

        /** Every required rule refuses the same records: a field that is absent or null. */
        @Override
        boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
            return false;
        }
    };

    /** The path of the parent object the field is required within, or null when it is required outright. */
    private final FieldPath within;
    /** The field's name below {@link #within}. */
    private final FieldPath leaf;

    RequiredRule(String name, FieldPath path, RuleSeverity severity, String message) {
        this(name, path, severity, message, null);
    }

    /**
     * @param within the parent's path, a prefix of {@code path} followed by one more name; or null
     * @throws IllegalArgumentException when {@code within} is not the parent of {@code path}
     */
    RequiredRule(String name, FieldPath path, RuleSeverity severity, String message, FieldPath within) {
        super(name, path, severity, message);
        this.within = within;
        if (within == null) {
            this.leaf = null;
        } else {
            String full = path.toString();
            String parent = within.toString();
            if (!full.startsWith(parent + ".") || full.indexOf('.', parent.length() + 1) >= 0
                    || full.indexOf('[', parent.length() + 1) >= 0) {
                throw new IllegalArgumentException("'" + parent + "' is not the parent object of '" + full + "'");
            }
            this.leaf = FieldPath.parse(full.substring(parent.length() + 1));
        }
    }

    @Override
    String checkMissing(boolean isNull) {
        return isNull ? "is required but is null" : "is required but is missing";
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        return null;
    }

    /** Checks the field, in every parent object that is there when it is required only within its parent. */
    @Override
    public void evaluate(RecordView record, Verdict verdict) {
        if (within == null) {
            super.evaluate(record, verdict);
            return;
        }
        within.forEach(record.target(), (parent, indices) -> {
            if (!(parent instanceof Struct) && !(parent instanceof Map)) {
                // No parent object (absent, null, or a value of another type, which a type rule reports).
                return;
            }
            Object value = leaf.get(parent);
            if (value == null || value == FieldPath.ABSENT) {
                report(verdict, within.render(indices) + "." + leaf, checkMissing(value == null), value);
            }
        });
    }
}
