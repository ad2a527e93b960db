package dev.truthline.cli.contracts;

import static dev.truthline.cli.contracts.OdcsCompatibility.*;

import java.math.BigDecimal;
import java.util.List;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRule.Range;
import dev.truthline.connect.contract.ContractRule.Source;
import dev.truthline.connect.validation.RuleCompatibility;

/** One bound of a numeric range, where it is written and how it reads. */
record RangeBound(BigDecimal value, boolean exclusive, String element, String key, String description) {

    static RangeBound of(Side side, ContractRule rule, BigDecimal value, boolean exclusive, boolean lower) {
        if (rule.source() == Source.FORMAT) { // the range of a number format such as i32
            return new RangeBound(value, exclusive, rule.element(), null,
                    "format " + side.doc.text(rule.element()) + " (" + plain(value) + ")");
        }
        String key = lower ? (exclusive ? "exclusiveMinimum" : "minimum") : (exclusive ? "exclusiveMaximum" : "maximum");
        return new RangeBound(value, exclusive, rule.element() + "." + key, key, key + " " + plain(value));
    }

    /** The strictest lower (or upper) bound of the rules; null when there is none. */
    static RangeBound strictest(Side side, List<ContractRule> rules, boolean lower) {
        RangeBound strictest = null;
        for (ContractRule rule : rules) {
            if (rule.check() instanceof Range range) {
                BigDecimal value = lower ? range.min() : range.max();
                if (value != null) {
                    RangeBound b = of(side, rule, value, lower ? range.minExclusive() : range.maxExclusive(), lower);
                    if (strictest == null || RuleCompatibility.of(check(strictest, lower), check(b, lower), false, false)
                            .tightens()) {
                        strictest = b;
                    }
                }
            }
        }
        return strictest;
    }

    /** The bound as a range check of its own; no bound at all when there is none. */
    static Range check(RangeBound bound, boolean lower) {
        if (bound == null) {
            return new Range(null, false, null, false);
        }
        return lower ? new Range(bound.value, bound.exclusive, null, false) : new Range(null, false, bound.value, bound.exclusive);
    }
}
