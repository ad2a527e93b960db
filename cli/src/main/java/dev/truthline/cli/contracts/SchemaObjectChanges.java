package dev.truthline.cli.contracts;

import static dev.truthline.cli.contracts.OdcsCompatibility.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRule.Cel;
import dev.truthline.connect.contract.ContractRule.In;
import dev.truthline.connect.contract.ContractRule.Length;
import dev.truthline.connect.contract.ContractRule.Range;
import dev.truthline.connect.contract.ContractRule.Regex;
import dev.truthline.connect.contract.ContractRule.Required;
import dev.truthline.connect.contract.ContractRule.Source;
import dev.truthline.connect.contract.ContractRule.Type;
import dev.truthline.connect.contract.UnsupportedRule;
import dev.truthline.connect.validation.RuleCompatibility;

/** The changes of one schema object between two versions of a contract: properties, CEL rules, what is not checked in-stream. */
final class SchemaObjectChanges {
    final Side old;
    final Side now;
    /** Every field of either version with its position: the new version's order, removed fields where they were. */
    final Map<String, Integer> positions = new LinkedHashMap<>();
    final List<Placed> placed = new ArrayList<>();

    /** Where the changes go, in document order. */
    private final List<Change> changes;

    SchemaObjectChanges(Side old, Side now, List<Change> changes) {
        this.changes = changes;
        this.old = old;
        this.now = now;
        List<String> order = new ArrayList<>(now.properties.keySet());
        String previous = null;
        for (String field : old.properties.keySet()) {
            if (!order.contains(field)) {
                order.add(previous == null ? 0 : order.indexOf(previous) + 1, field);
            }
            previous = field;
        }
        order.forEach(f -> positions.put(f, positions.size()));
    }

    void compare() {
        List<ContractRule> oldRules = new ArrayList<>(old.rules);
        List<ContractRule> newRules = new ArrayList<>(now.rules);
        List<UnsupportedRule> oldUnsupported = new ArrayList<>(old.unsupported);
        List<UnsupportedRule> newUnsupported = new ArrayList<>(now.unsupported);

        for (String field : topmostOnlyIn(now, old)) {
            propertyOnOneSide(now, field, newRules, newUnsupported, true);
        }
        for (String field : topmostOnlyIn(old, now)) {
            propertyOnOneSide(old, field, oldRules, oldUnsupported, false);
        }

        Map<String, List<ContractRule>> oldByField = byField(oldRules);
        Map<String, List<ContractRule>> newByField = byField(newRules);
        Set<String> fields = new LinkedHashSet<>(positions.keySet());
        fields.addAll(newByField.keySet());
        fields.addAll(oldByField.keySet());
        for (String field : fields) {
            positions.putIfAbsent(field, positions.size());
            new FieldChanges(this, field, oldByField.getOrDefault(field, List.of()),
                    newByField.getOrDefault(field, List.of())).compare();
        }
        celRules(oldRules, newRules);
        notCheckedInStream(oldUnsupported, newUnsupported);

        placed.stream().sorted(Comparator.comparingInt(Placed::position)).forEach(p -> changes.add(p.change()));
    }

    /** Fields declared in {@code in} but not in {@code notIn}, without those whose parent is already such a field. */
    private List<String> topmostOnlyIn(Side in, Side notIn) {
        List<String> topmost = new ArrayList<>();
        for (String field : in.properties.keySet()) {
            if (!notIn.properties.containsKey(field) && topmost.stream().noneMatch(t -> isWithin(field, t))) {
                topmost.add(field);
            }
        }
        return topmost;
    }

    /**
     * A property (with what it holds) that only one version declares: what the other version says of it
     * is nothing, so its checks are all added, or all removed. Its rules are taken out of {@code rules}.
     */
    private void propertyOnOneSide(Side side, String field, List<ContractRule> rules, List<UnsupportedRule> unsupported,
            boolean added) {
        String element = side.properties.get(field);
        // What it checks, field by field: "logicalType object; city: logicalType string, maxLength 40".
        Map<String, List<String>> checks = new LinkedHashMap<>();
        for (Iterator<ContractRule> it = rules.iterator(); it.hasNext();) {
            ContractRule rule = it.next();
            // CEL rules read the whole record wherever they are written: they are compared on their own.
            if (!(rule.check() instanceof Cel) && isElementWithin(rule.element(), element)) {
                checks.computeIfAbsent(relative(field, rule.field()), f -> new ArrayList<>()).add(describe(side, rule));
                it.remove();
            }
        }
        for (Iterator<UnsupportedRule> it = unsupported.iterator(); it.hasNext();) {
            UnsupportedRule rule = it.next();
            if (isElementWithin(rule.element(), element)) {
                checks.computeIfAbsent(relative(field, rule.field()), f -> new ArrayList<>())
                        .add(rule.rule() + " (not checked in-stream)");
                it.remove();
            }
        }
        if (checks.isEmpty()) {
            return; // a property without checks allows anything, as its absence does
        }
        List<String> byField = new ArrayList<>();
        checks.forEach((f, c) -> byField.add(f + String.join(", ", c)));
        String what = String.join("; ", byField);
        String message = added ? "added with " + what + " " + TIGHTENED
                : "removed with " + what + " " + LOOSENED;
        add(PROPERTY, side, element, message, added, !added, field);
    }

    private Map<String, List<ContractRule>> byField(List<ContractRule> rules) {
        Map<String, List<ContractRule>> byField = new LinkedHashMap<>();
        for (ContractRule rule : rules) {
            if (!(rule.check() instanceof Cel)) {
                byField.computeIfAbsent(rule.field(), f -> new ArrayList<>()).add(rule);
            }
        }
        return byField;
    }

    private void celRules(List<ContractRule> oldRules, List<ContractRule> newRules) {
        List<ContractRule> oldCel = oldRules.stream().filter(r -> r.check() instanceof Cel).toList();
        List<ContractRule> newCel = newRules.stream().filter(r -> r.check() instanceof Cel).toList();
        RulePairs pairs = RulePairs.of(oldCel, newCel, OdcsCompatibility::expression, false);
        for (ContractRule[] pair : pairs.changed) {
            RuleCompatibility verdict = RuleCompatibility.of(pair[0].check(), pair[1].check(), false, false);
            if (verdict != RuleCompatibility.EQUAL) {
                add(CEL, now, pair[1].element(), quote(expression(pair[0])) + " -> " + quote(expression(pair[1])) + " "
                        + CANNOT_PROVE, verdict.tightens(), verdict.loosens(), null);
            }
        }
        for (ContractRule rule : pairs.added) {
            add(CEL, now, rule.element(), "added " + quote(expression(rule)) + " " + TIGHTENED, true, false, null);
        }
        for (ContractRule rule : pairs.removed) {
            add(CEL, old, rule.element(), "removed " + quote(expression(rule)) + " " + LOOSENED, false, true, null);
        }
    }

    /** What cannot be checked record by record, compared as written: same element, same text, or no proof. */
    private void notCheckedInStream(List<UnsupportedRule> oldUnsupported, List<UnsupportedRule> newUnsupported) {
        Map<String, List<UnsupportedRule>> oldByKey = new LinkedHashMap<>();
        oldUnsupported.forEach(u -> oldByKey.computeIfAbsent(u.rule() + " on " + u.field(), k -> new ArrayList<>()).add(u));
        Map<String, List<UnsupportedRule>> newByKey = new LinkedHashMap<>();
        newUnsupported.forEach(u -> newByKey.computeIfAbsent(u.rule() + " on " + u.field(), k -> new ArrayList<>()).add(u));
        Set<String> keys = new LinkedHashSet<>(newByKey.keySet());
        keys.addAll(oldByKey.keySet());
        for (String key : keys) {
            List<UnsupportedRule> before = oldByKey.getOrDefault(key, List.of());
            List<UnsupportedRule> after = newByKey.getOrDefault(key, List.of());
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                UnsupportedRule o = i < before.size() ? before.get(i) : null;
                UnsupportedRule n = i < after.size() ? after.get(i) : null;
                if (o != null && n != null) {
                    if (!old.doc.sameAs(o.element(), now.doc, n.element())) {
                        add(NOT_CHECKED_IN_STREAM, now, n.element(), old.doc.text(o.element()) + " -> "
                                + now.doc.text(n.element()) + " " + CANNOT_PROVE, true, true, owner(now, n.element()));
                    }
                } else if (n != null) {
                    add(NOT_CHECKED_IN_STREAM, now, n.element(), "added " + n.rule() + " " + TIGHTENED, true, false,
                            owner(now, n.element()));
                } else {
                    add(NOT_CHECKED_IN_STREAM, old, o.element(), "removed " + o.rule() + " " + LOOSENED, false, true,
                            owner(old, o.element()));
                }
            }
        }
    }

    /** The field whose declaration holds the element, or null for elements of the schema object itself. */
    private String owner(Side side, String element) {
        String owner = null;
        int longest = -1;
        for (Map.Entry<String, String> e : side.properties.entrySet()) {
            if (isElementWithin(element, e.getValue()) && e.getValue().length() > longest) {
                owner = e.getKey();
                longest = e.getValue().length();
            }
        }
        return owner;
    }

    /** Records a change, placed with its field (null: after every field). */
    void add(String kind, Side side, String element, String message, boolean tightens, boolean loosens, String field) {
        Integer position = field == null ? null : positions.get(field);
        placed.add(new Placed(new Change(kind, side.named(element), side.at(element), message, tightens, loosens),
                position == null ? Integer.MAX_VALUE : position));
    }

    /** A rule as a property summary names it: {@code logicalType string}, {@code maximum 10}. */
    private String describe(Side side, ContractRule rule) {
        if (rule.check() instanceof Required) {
            return "required";
        } else if (rule.check() instanceof Type type) {
            return "logicalType " + odcsType(type);
        } else if (rule.check() instanceof Range && rule.source() == Source.FORMAT) {
            return "format " + side.doc.text(rule.element());
        } else if (rule.check() instanceof Range range) {
            List<String> bounds = new ArrayList<>();
            if (range.min() != null) {
                bounds.add(RangeBound.of(side, rule, range.min(), range.minExclusive(), true).description());
            }
            if (range.max() != null) {
                bounds.add(RangeBound.of(side, rule, range.max(), range.maxExclusive(), false).description());
            }
            return String.join(", ", bounds);
        } else if (rule.check() instanceof Length length) {
            List<String> bounds = new ArrayList<>();
            String[] keys = lengthKeys(side, rule);
            if (length.min() != null) {
                bounds.add(keys[0] + " " + length.min());
            }
            if (length.max() != null) {
                bounds.add(keys[1] + " " + length.max());
            }
            return String.join(", ", bounds);
        } else if (rule.check() instanceof Regex) {
            return regexDescription(side, rule);
        } else if (rule.check() instanceof In in) {
            return (in.negated() ? "missingValues " : "validValues ") + in.texts();
        }
        return rule.name();
    }
}
