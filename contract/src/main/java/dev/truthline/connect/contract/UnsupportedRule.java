package dev.truthline.connect.contract;

/**
 * A part of a contract that cannot be checked record by record, such as {@code duplicateValues}
 * (compares records with each other), {@code rowCount} or an {@code sql} rule.
 *
 * @param rule    what the contract asks for, by its ODCS name ({@code duplicateValues}, {@code sql},
 *                {@code logicalTypeOptions.multipleOf}...)
 * @param field   the field it concerns; the schema object's name for object-level rules
 * @param element where it is in the contract, e.g. {@code schema[0].properties[0].quality[1]}
 * @param reason  why it cannot be checked in-stream
 */
public record UnsupportedRule(String rule, String field, String element, String reason) {

    /** {@code duplicateValues on order_id (schema[0].properties[0].quality[1]): compares records with each other}. */
    public String describe() {
        return rule + " on " + field + " (" + element + "): " + reason;
    }
}
