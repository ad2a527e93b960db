package dev.truthline.connect.validation;

import dev.truthline.connect.record.FieldPath;

/** {@code required}: the field must be present and not null. */
final class RequiredRule extends FieldRule {

    RequiredRule(String name, FieldPath path, Severity severity, String message) {
        super(name, path, severity, message);
    }

    String checkMissing(boolean isNull) {
        return isNull ? "is required but is null" : "is required but is missing";
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        return null;
    }
}
