package dev.truthline.connect.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The violations found in one record. Allocates nothing until the first violation. */
final class Verdict {

    private List<Violation> violations;
    private int errors;

    void add(Rule rule, String field, String message, Object value) {
        if (violations == null) {
            violations = new ArrayList<>(4);
        }
        Severity severity = rule.severity();
        violations.add(new Violation(rule.name(), field, message, severity, value));
        if (severity == Severity.ERROR) {
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

    /** Distinct names of the rules that failed with the given severity, in order of failure, comma-separated. */
    String ruleNames(Severity severity) {
        Set<String> names = new LinkedHashSet<>();
        for (Violation v : violations()) {
            if (v.severity() == severity) {
                names.add(v.rule());
            }
        }
        return String.join(",", names);
    }
}
