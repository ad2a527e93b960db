package dev.truthline.connect.validation;

import com.google.re2j.Pattern;

import dev.truthline.connect.core.FieldPath;

/**
 * {@code regex}: a string that matches {@code pattern} as a whole. RE2 semantics (linear time, no
 * backreferences), so no value can make a check backtrack. Simple patterns run on a
 * {@link PositionAutomaton}; everything else on RE2J.
 */
final class RegexRule extends FieldRule {

    private final Pattern pattern;
    /** The fast matcher for the pattern, or null when only RE2J can match it. */
    private final PositionAutomaton automaton;
    private final String mismatch;

    RegexRule(String name, FieldPath path, Severity severity, String message, Pattern pattern) {
        super(name, path, severity, message);
        this.pattern = pattern;
        this.automaton = PositionAutomaton.compile(pattern.pattern());
        this.mismatch = "does not match pattern " + pattern.pattern();
    }

    /** Whether the fast matcher serves this rule; for tests. */
    boolean usesAutomaton() {
        return automaton != null;
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        if (!(value instanceof String)) {
            return "expected a string but was " + TypeNames.of(value);
        }
        String text = (String) value;
        boolean matches = automaton != null ? automaton.matches(text) : pattern.matches(text);
        return matches ? null : mismatch;
    }
}
