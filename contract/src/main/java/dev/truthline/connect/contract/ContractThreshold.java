package dev.truthline.connect.contract;

import java.math.BigDecimal;
import java.util.List;

/**
 * A quality rule that tolerates some failing records ("fewer than 5 % invalid"): no single record can
 * check it, but each record can be checked against the rule's condition and the failures counted, and the
 * count compared with the threshold over time (an alert rule, see {@code truthline contracts alerts}).
 *
 * <p>ODCS (docs/data-quality.md, "Library"): {@code nullValues}, {@code missingValues} and
 * {@code invalidValues} count values; {@code unit} is {@code rows} (the default) or {@code percent};
 * {@code mustBeLessThan} is {@code <} and {@code mustBeLessOrEqualTo} is {@code ≤}.
 *
 * @param name       the name of the rule as the contract's other rules are named ({@code status:invalid_pct});
 *                   the first of {@code rules}, whose names are this one and {@code #2}, {@code #3}...
 * @param metric     the library metric: nullValues, missingValues or invalidValues
 * @param element    where the quality rule is, e.g. {@code schema[0].properties[2].quality[0]}
 * @param field      the field path it counts values of
 * @param comparison how the count must compare with {@code limit}
 * @param limit      the threshold, above zero
 * @param percent    whether {@code limit} is a percentage of the records rather than a number of rows
 * @param warning    whether the quality rule's severity is warning or info
 * @param rules      the record-level checks whose failures it counts (warnings), in document order
 * @param position   where {@code rules} go among the contract's record-level rules, to keep document order
 */
public record ContractThreshold(String name, String metric, String element, String field, Comparison comparison,
        BigDecimal limit, boolean percent, boolean warning, List<ContractRule> rules, int position) {

    public ContractThreshold {
        rules = List.copyOf(rules);
    }

    /** The comparisons a count of failing values can be held to. */
    public enum Comparison {
        /** {@code mustBeLessThan}: the count must stay below the limit. */
        LESS_THAN("mustBeLessThan", "<"),
        /** {@code mustBeLessOrEqualTo}: the count may reach the limit. */
        LESS_OR_EQUAL_TO("mustBeLessOrEqualTo", "<=");

        private final String operator;
        private final String symbol;

        Comparison(String operator, String symbol) {
            this.operator = operator;
            this.symbol = symbol;
        }

        /** The ODCS operator key. */
        public String operator() {
            return operator;
        }

        /** The comparison as a PromQL/maths symbol ({@code <}, {@code <=}). */
        public String symbol() {
            return symbol;
        }
    }

    /** {@code invalidValues mustBeLessThan 5 percent}. */
    public String describe() {
        return metric + " " + comparison.operator() + " " + limit.stripTrailingZeros().toPlainString() + (percent ? " percent" : " rows");
    }
}
