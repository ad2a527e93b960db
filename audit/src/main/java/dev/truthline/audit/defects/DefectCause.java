package dev.truthline.audit.defects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Why a defect is one: what {@code truthline triage} groups by and {@code truthline replay --cause} selects by.
 * <ul>
 * <li>a quarantined record: the source {@code contract} ({@code dq.contract}, id@version) and one failed {@code rule}
 * with its {@code field} ({@code dq.violations}; from {@code dq.rules} the rule without its field). A record that
 * broke two rules has two causes;</li>
 * <li>a dead letter: the sink {@code connector} whose queue holds it, Connect's {@code stage}, the failing plugin's
 * class ({@code className}), the exception's class and its message without the position it names.</li>
 * </ul>
 * The {@link #id()} is {@code q-} or {@code d-} and the first 10 hex digits of the SHA-256 of {@link #canonical()}: the
 * same cause has the same id in every run, on every machine.
 *
 * @param kind           what kind of defect it causes
 * @param connector      the sink of a dead letter; null for a quarantine cause (not part of its identity)
 * @param contract       the contract of a quarantine cause ({@code orders-shape@2}), or null
 * @param rule           the failed rule of a quarantine cause, or null when the record names none
 * @param field          that rule's field, or null when only {@code dq.rules} named it
 * @param stage          {@code __connect.errors.stage} ({@code TRANSFORMATION}) of a dead letter, or null
 * @param className      {@code __connect.errors.class.name}: the failing plugin's class, or null
 * @param exceptionClass {@code __connect.errors.exception.class.name}, or null
 * @param message        {@code __connect.errors.exception.message} without its {@code " (topic …)"}, or null
 */
public record DefectCause(Defect.Kind kind, String connector, String contract, String rule, String field,
        String stage, String className, String exceptionClass, String message) {

    public static DefectCause quarantine(String contract, String rule, String field) {
        return new DefectCause(Defect.Kind.QUARANTINED, null, contract, rule, field, null, null, null, null);
    }

    public static DefectCause deadLetter(String connector, String stage, String className, String exceptionClass,
            String message) {
        return new DefectCause(Defect.Kind.DEAD_LETTERED, connector, null, null, null, stage, className,
                exceptionClass, shownMessage(message));
    }

    /**
     * The text the id is the hash of: the kind, then each part as {@code name=value} on a line of its own (an absent
     * part as {@code name=}). Line breaks inside a value are written {@code \n}, so no two causes share a text.
     */
    public String canonical() {
        StringBuilder b = new StringBuilder(kind == Defect.Kind.QUARANTINED ? "quarantined" : "dead_lettered");
        if (kind == Defect.Kind.QUARANTINED) {
            line(b, "contract", contract);
            line(b, "rule", rule);
            line(b, "field", field);
        } else {
            line(b, "connector", connector);
            line(b, "stage", stage);
            line(b, "class", className);
            line(b, "exception", exceptionClass);
            line(b, "message", message);
        }
        return b.toString();
    }

    /** {@code q-} or {@code d-} and 10 hex digits: stable, short enough to type. */
    public String id() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return (kind == Defect.Kind.QUARANTINED ? "q-" : "d-") + HexFormat.of().formatHex(hash).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The cause in words, for a table: {@code orders-shape@2 status_known (status)} or
     * {@code orders-silver TRANSFORMATION ValidateContract$Value DataException: Record violates …}.
     */
    public String describe() {
        if (kind == Defect.Kind.QUARANTINED) {
            return (contract == null ? "(no contract)" : contract) + " " + (rule == null ? "(no rule named)" : rule)
                    + (field == null ? "" : " (" + field + ")");
        }
        StringBuilder b = new StringBuilder(connector == null ? "(no connector)" : connector);
        if (stage != null) {
            b.append(' ').append(stage);
        }
        if (className != null) {
            b.append(' ').append(simpleName(className));
        }
        b.append(' ').append(exceptionClass == null ? "(no exception)" : simpleName(exceptionClass));
        if (message != null) {
            b.append(": ").append(message);
        }
        return b.toString();
    }

    /**
     * A dead letter's exception message without the position it names, as the audit shows a reason
     * ({@code FateAssignment.shownReason}): the first {@code " (topic …)"} removed. ValidateContract's then reads
     * {@code Record violates contract orders@2: failed rules status_known}: one text for every record it failed.
     */
    static String shownMessage(String message) {
        if (message == null) {
            return null;
        }
        int at = message.indexOf(" (topic ");
        if (at < 0) {
            return message;
        }
        int close = message.indexOf(')', at);
        return close < 0 ? message : message.substring(0, at) + message.substring(close + 1);
    }

    static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append('\n').append(name).append('=');
        if (value != null) {
            b.append(value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r"));
        }
    }
}
