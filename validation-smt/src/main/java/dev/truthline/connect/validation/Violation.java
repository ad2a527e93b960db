package dev.truthline.connect.validation;

/**
 * One failed check: which rule, which field (with concrete array indices), why, and the offending
 * value — kept only so it can be reported when {@code violations.include.values=true}.
 */
record Violation(String rule, String field, String message, RuleSeverity severity, Object value) {
}
