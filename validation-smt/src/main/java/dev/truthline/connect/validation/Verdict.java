package dev.truthline.connect.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The violations found in one record. Allocates nothing until the first violation. */
final class Verdict {

    private List<Violation> violations;
    private int errors;

    void add(Rule rule, String field, String message, Object value) {
        add(rule.name(), rule.severity(), field, message, value);
    }

    /** A violation of a check that is not a {@link Rule} of its own: the envelope, a Bean Validation constraint. */
    void add(String rule, RuleSeverity severity, String field, String message, Object value) {
        if (violations == null) {
            violations = new ArrayList<>(4);
        }
        violations.add(new Violation(rule, field, message, severity, value));
        if (severity == RuleSeverity.ERROR) {
            errors++;
        }
    }

    boolean valid() {
        return errors == 0;
    }

    boolean clean() {
        return violations == null;
    }

    List<Violation> violations() {
        return violations == null ? Collections.emptyList() : violations;
    }

    /** Distinct names of the rules that failed with the given severity, in rule order, comma-separated. */
    String ruleNames(RuleSeverity severity) {
        if (violations != null && violations.size() == 1) {
            Violation only = violations.get(0);
            return only.severity() == severity ? only.rule() : "";
        }
        // Rules run in order, so one rule's violations are adjacent: comparing with the last name dedupes.
        StringBuilder names = new StringBuilder();
        String last = null;
        for (Violation v : violations()) {
            if (v.severity() == severity && !v.rule().equals(last)) {
                if (names.length() > 0) {
                    names.append(',');
                }
                last = v.rule();
                names.append(last);
            }
        }
        return names.toString();
    }
}
