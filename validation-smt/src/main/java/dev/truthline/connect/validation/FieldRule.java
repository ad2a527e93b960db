package dev.truthline.connect.validation;

import dev.truthline.connect.core.FieldPath;

/**
 * A rule that checks the value at a field path, once per addressed value ({@code [*]} paths visit
 * every array element). Except for {@code required}, a rule passes when its field is absent or null.
 */
abstract class FieldRule implements Rule {

    private final String name;
    private final FieldPath path;
    private final RuleSeverity severity;
    private final String message;

    FieldRule(String name, FieldPath path, RuleSeverity severity, String message) {
        this.name = name;
        this.path = path;
        this.severity = severity;
        this.message = message;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final RuleSeverity severity() {
        return severity;
    }

    final FieldPath path() {
        return path;
    }

    @Override
    public void evaluate(RecordView record, Verdict verdict) {
        if (!path.hasWildcard()) {
            Object value = path.get(record.target());
            String problem = check(value, record);
            if (problem != null) {
                verdict.add(this, path.toString(), message == null ? problem : message, value);
            }
            return;
        }
        path.forEach(record.target(), (value, indices) -> {
            String problem = check(value, record);
            if (problem != null) {
                verdict.add(this, path.render(indices), message == null ? problem : message, value);
            }
        });
    }

    /** Adds a violation of this rule, with the rule's own message when it has one. */
    final void report(Verdict verdict, String field, String problem, Object value) {
        verdict.add(this, field, message == null ? problem : message, value);
    }

    /**
     * Checks one value.
     *
     * @param value the value; {@code null} when null, {@link FieldPath#ABSENT} when missing
     * @return {@code null} when the value satisfies the rule, else why it does not (never the value itself)
     */
    final String check(Object value, RecordView record) {
        if (value == null || value == FieldPath.ABSENT) {
            return checkMissing(value == null);
        }
        return checkPresent(value, record);
    }

    /** Checks a missing or null value: every rule but {@code required} lets it pass. */
    String checkMissing(boolean isNull) {
        return null;
    }

    /** Checks a present, non-null value. */
    abstract String checkPresent(Object value, RecordView record);
}
