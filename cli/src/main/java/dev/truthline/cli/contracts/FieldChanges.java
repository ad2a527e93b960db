package dev.truthline.cli.contracts;

import static dev.truthline.cli.contracts.OdcsCompatibility.*;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRule.In;
import dev.truthline.connect.contract.ContractRule.Length;
import dev.truthline.connect.contract.ContractRule.Regex;
import dev.truthline.connect.contract.ContractRule.Required;
import dev.truthline.connect.contract.ContractRule.Source;
import dev.truthline.connect.contract.ContractRule.Type;
import dev.truthline.connect.validation.RuleCompatibility;

/** The checks of one field in both versions, kind by kind. */
final class FieldChanges {
    final SchemaObjectChanges object;
    final String field;
    final List<ContractRule> before;
    final List<ContractRule> after;

    FieldChanges(SchemaObjectChanges object, String field, List<ContractRule> before, List<ContractRule> after) {
        this.object = object;
        this.field = field;
        this.before = before;
        this.after = after;
    }

    void compare() {
        required();
        type();
        range();
        length();
        validValues();
        missingValues();
        patterns();
    }

    private void add(String kind, Side side, String element, String message, boolean tightens, boolean loosens) {
        object.add(kind, side, element, message, tightens, loosens, field);
    }

    private void required() {
        ContractRule o = first(before, Required.class);
        ContractRule n = first(after, Required.class);
        if (o == null && n != null) {
            add(REQUIRED, object.now, n.element(), "optional -> required " + TIGHTENED, true, false);
        } else if (o != null && n == null) {
            add(REQUIRED, object.old, o.element(), "required -> optional " + LOOSENED, false, true);
        }
    }

    private void type() {
        ContractRule o = first(before, Type.class);
        ContractRule n = first(after, Type.class);
        if (o == null && n == null) {
            return;
        }
        if (o == null) {
            add(LOGICAL_TYPE, object.now, n.element(), NONE + " -> " + odcsType(n) + " " + TIGHTENED, true, false);
            return;
        }
        if (n == null) {
            add(LOGICAL_TYPE, object.old, o.element(), odcsType(o) + " -> " + NONE + " " + LOOSENED, false, true);
            return;
        }
        RuleCompatibility verdict = RuleCompatibility.of(o.check(), n.check(), false, false);
        String how = switch (verdict) {
            case EQUAL -> null;
            case LOOSER -> " (widened: loosened)";
            case TIGHTER -> " (narrowed: tightened)";
            case UNPROVABLE -> " (incompatible: tightened and loosened)";
        };
        if (how != null) {
            add(LOGICAL_TYPE, object.now, n.element(), odcsType(o) + " -> " + odcsType(n) + how, verdict.tightens(),
                    verdict.loosens());
        }
    }

    /** Whether the side's type rule lets only integers through, so bounds can be compared on integers. */
    private static boolean integersOnly(List<ContractRule> rules) {
        ContractRule type = first(rules, Type.class);
        return type != null && ((Type) type.check()).expected().equals("integer");
    }

    private void range() {
        RangeBound oldLower = RangeBound.strictest(object.old, before, true);
        RangeBound newLower = RangeBound.strictest(object.now, after, true);
        bound(oldLower, newLower, true);
        RangeBound oldUpper = RangeBound.strictest(object.old, before, false);
        RangeBound newUpper = RangeBound.strictest(object.now, after, false);
        bound(oldUpper, newUpper, false);
    }

    private void bound(RangeBound o, RangeBound n, boolean lower) {
        // BACKWARD asks whether an old-valid value can fail the new bound: old-valid values are integers when
        // the old type says so, which makes "exclusiveMinimum: 0" the same bound as "minimum: 1".
        RuleCompatibility verdict = RuleCompatibility.of(RangeBound.check(o, lower), RangeBound.check(n, lower),
                integersOnly(before), integersOnly(after));
        boolean tightens = verdict.tightens();
        boolean loosens = verdict.loosens();
        if (!tightens && !loosens) {
            return;
        }
        String message;
        if (o != null && n != null && o.key() != null && o.key().equals(n.key())) {
            message = plain(o.value()) + " -> " + plain(n.value());
        } else {
            message = (o == null ? NONE : o.description()) + " -> " + (n == null ? NONE : n.description());
        }
        message += " " + (tightens ? TIGHTENED : LOOSENED);
        if (n != null) {
            add(RANGE, object.now, n.element(), message, tightens, loosens);
        } else {
            add(RANGE, object.old, o.element(), message, tightens, loosens);
        }
    }

    private void length() {
        lengthBound(lengthBound(object.old, before, true), lengthBound(object.now, after, true), true);
        lengthBound(lengthBound(object.old, before, false), lengthBound(object.now, after, false), false);
    }

    private record LengthBound(int value, String element, String key) {
    }

    /** The strictest minimum (or maximum) length of the rules; null when there is none. */
    private static LengthBound lengthBound(Side side, List<ContractRule> rules, boolean min) {
        LengthBound strictest = null;
        for (ContractRule rule : rules) {
            if (rule.check() instanceof Length length) {
                Integer value = min ? length.min() : length.max();
                if (value != null && (strictest == null || (min ? value > strictest.value() : value < strictest.value()))) {
                    String key = lengthKeys(side, rule)[min ? 0 : 1];
                    strictest = new LengthBound(value, rule.element() + "." + key, key);
                }
            }
        }
        return strictest;
    }

    private void lengthBound(LengthBound o, LengthBound n, boolean min) {
        RuleCompatibility verdict = RuleCompatibility.of(lengthCheck(o, min), lengthCheck(n, min), false, false);
        boolean tightens = verdict.tightens();
        boolean loosens = verdict.loosens();
        if (!tightens && !loosens) {
            return;
        }
        String message;
        if (o != null && n != null && o.key().equals(n.key())) {
            message = o.value() + " -> " + n.value();
        } else {
            message = (o == null ? NONE : o.key() + " " + o.value()) + " -> " + (n == null ? NONE : n.key() + " " + n.value());
        }
        message += " " + (tightens ? TIGHTENED : LOOSENED);
        if (n != null) {
            add(LENGTH, object.now, n.element(), message, tightens, loosens);
        } else {
            add(LENGTH, object.old, o.element(), message, tightens, loosens);
        }
    }

    /** One bound as a length check of its own; no bound at all when there is none. */
    private static Length lengthCheck(LengthBound bound, boolean min) {
        Integer value = bound == null ? null : bound.value();
        return min ? new Length(value, null) : new Length(null, value);
    }

    private void validValues() {
        // The values that count as missing (a negated list) are compared with the rest of the field's checks.
        List<ContractRule> o = all(before, In.class).stream().filter(r -> !((In) r.check()).negated()).toList();
        List<ContractRule> n = all(after, In.class).stream().filter(r -> !((In) r.check()).negated()).toList();
        if (o.isEmpty() && n.isEmpty()) {
            return;
        }
        if (o.isEmpty()) {
            add(VALID_VALUES, object.now, validValuesElement(object.now, n.get(0)),
                    NONE + " -> " + allowed(n) + " " + TIGHTENED, true, false);
            return;
        }
        if (n.isEmpty()) {
            add(VALID_VALUES, object.old, validValuesElement(object.old, o.get(0)),
                    allowed(o) + " -> " + NONE + " " + LOOSENED, false, true);
            return;
        }
        Set<String> removed = new LinkedHashSet<>(allowed(o));
        removed.removeAll(allowed(n));
        Set<String> added = new LinkedHashSet<>(allowed(n));
        added.removeAll(allowed(o));
        String element = validValuesElement(object.now, n.get(0));
        RuleCompatibility verdict = RuleCompatibility.of(new In(List.copyOf(allowed(o)), false),
                new In(List.copyOf(allowed(n)), false), false, false);
        if (verdict.tightens()) {
            add(VALID_VALUES, object.now, element, "removed " + String.join(", ", removed) + " " + TIGHTENED, true, false);
        }
        if (verdict.loosens()) {
            add(VALID_VALUES, object.now, element, "added " + String.join(", ", added) + " " + LOOSENED, false, true);
        }
    }

    /** The values every one of the rules allows (a value must pass all of them), in the first rule's order. */
    /**
     * The values that count as missing ({@code missingValues}, a negated list): a value newly listed refuses
     * records the old version accepts; one no longer listed accepts records it refused.
     */
    private void missingValues() {
        List<ContractRule> o = all(before, In.class).stream().filter(r -> ((In) r.check()).negated()).toList();
        List<ContractRule> n = all(after, In.class).stream().filter(r -> ((In) r.check()).negated()).toList();
        Set<String> old = new LinkedHashSet<>();
        o.forEach(r -> old.addAll(((In) r.check()).texts()));
        Set<String> now = new LinkedHashSet<>();
        n.forEach(r -> now.addAll(((In) r.check()).texts()));
        Set<String> added = new LinkedHashSet<>(now);
        added.removeAll(old);
        Set<String> removed = new LinkedHashSet<>(old);
        removed.removeAll(now);
        RuleCompatibility verdict = RuleCompatibility.of(new In(List.copyOf(old), true), new In(List.copyOf(now), true),
                false, false);
        if (verdict.tightens()) {
            add(MISSING_VALUES, object.now, n.get(0).element(), "added " + String.join(", ", added) + " " + TIGHTENED,
                    true, false);
        }
        if (verdict.loosens()) {
            ContractRule where = n.isEmpty() ? o.get(0) : n.get(0);
            add(MISSING_VALUES, n.isEmpty() ? object.old : object.now, where.element(),
                    "removed " + String.join(", ", removed) + " " + LOOSENED, false, true);
        }
    }

    private static Set<String> allowed(List<ContractRule> rules) {
        Set<String> allowed = new LinkedHashSet<>(((In) rules.get(0).check()).texts());
        for (ContractRule rule : rules) {
            allowed.retainAll(((In) rule.check()).texts());
        }
        return allowed;
    }

    private static String validValuesElement(Side side, ContractRule rule) {
        String element = rule.element();
        if (rule.source() == Source.QUALITY) { // a quality rule: point at its valid values
            return element + (side.doc.node(element).path("arguments").has("validValues") ? ".arguments.validValues"
                    : ".validValues");
        }
        return element;
    }

    private void patterns() {
        List<ContractRule> o = all(before, Regex.class);
        List<ContractRule> n = all(after, Regex.class);
        RulePairs pairs = RulePairs.of(o, n, r -> ((Regex) r.check()).pattern(), true);
        for (ContractRule[] pair : pairs.changed) {
            RuleCompatibility verdict = RuleCompatibility.of(pair[0].check(), pair[1].check(), false, false);
            if (verdict == RuleCompatibility.EQUAL) {
                continue;
            }
            String from = regexDescription(object.old, pair[0]);
            String to = regexDescription(object.now, pair[1]);
            if (from.startsWith(PATTERN_WORD) && to.startsWith(PATTERN_WORD)) {
                from = from.substring(PATTERN_WORD.length());
                to = to.substring(PATTERN_WORD.length());
            }
            add(regexKind(pair[1]), object.now, regexElement(object.now, pair[1]), from + " -> " + to + " " + CANNOT_PROVE,
                    verdict.tightens(), verdict.loosens());
        }
        for (ContractRule rule : pairs.added) {
            add(regexKind(rule), object.now, regexElement(object.now, rule),
                    "added " + regexDescription(object.now, rule) + " " + TIGHTENED, true, false);
        }
        for (ContractRule rule : pairs.removed) {
            add(regexKind(rule), object.old, regexElement(object.old, rule),
                    "removed " + regexDescription(object.old, rule) + " " + LOOSENED, false, true);
        }
    }

    private static String regexKind(ContractRule rule) {
        return rule.source() == Source.FORMAT ? FORMAT : PATTERN;
    }

    private static String regexElement(Side side, ContractRule rule) {
        String element = rule.element();
        if (rule.source() == Source.QUALITY) { // a quality rule: point at its pattern
            return element + (side.doc.node(element).path("arguments").has("pattern") ? ".arguments.pattern" : ".pattern");
        }
        return element;
    }
}
