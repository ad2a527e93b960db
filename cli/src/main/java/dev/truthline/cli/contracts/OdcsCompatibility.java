package dev.truthline.cli.contracts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRule.Cel;
import dev.truthline.connect.contract.ContractRule.In;
import dev.truthline.connect.contract.ContractRule.Length;
import dev.truthline.connect.contract.ContractRule.Range;
import dev.truthline.connect.contract.ContractRule.Regex;
import dev.truthline.connect.contract.ContractRule.Required;
import dev.truthline.connect.contract.ContractRule.Source;
import dev.truthline.connect.contract.ContractRule.Type;
import dev.truthline.connect.contract.ContractRules;
import dev.truthline.connect.contract.OdcsCompiler;
import dev.truthline.connect.contract.OdcsDocument;
import dev.truthline.connect.contract.OdcsProperty;
import dev.truthline.connect.contract.UnsupportedRule;

/**
 * What changed between two versions of an ODCS contract, judged on the rules ValidateContract
 * compiles from them: a record is valid when it passes every rule of error severity, so the new
 * version <em>tightens</em> the contract when it refuses a record the old one accepts (that breaks
 * BACKWARD) and <em>loosens</em> it when it accepts one the old one refuses (that breaks FORWARD).
 *
 * <p>Schema objects are matched by name, properties by field path. For each field, each kind of check
 * is compared on its own: whether it is required, its logical type, its numeric range (all bounds
 * together: options and number formats), its length, its valid values (enum and validValues
 * together), its patterns and string formats. Whole-record CEL rules are compared across the schema
 * object, and so are the elements that cannot be checked record by record ({@code unique},
 * {@code multipleOf}, {@code sql}...), as written. Where a change cannot be judged exactly (one pattern
 * or CEL expression for another, an element not checked in-stream written differently), it is
 * reported both ways: it cannot be proven compatible.
 *
 * <p>Each kind compared on its own is never wrong when it finds no change, and can only be
 * conservative: a valid value added to a field whose range already refused it is still reported.
 */
final class OdcsCompatibility {

    /**
     * One difference between the two versions.
     *
     * @param kind     what kind of element changed (RANGE, VALID_VALUES...)
     * @param path     the element, named: {@code schema[orders].properties[amount].logicalTypeOptions.maximum}
     * @param location the element by index, in the version it is taken from: {@code new schema[0].properties[2]...}
     * @param message  the change, {@code 1000000 -> 500000 (tightened)}
     * @param tightens whether the new version refuses records the old one accepts (breaks BACKWARD)
     * @param loosens  whether the new version accepts records the old one refuses (breaks FORWARD)
     */
    record Change(String kind, String path, String location, String message, boolean tightens, boolean loosens) {
    }

    static final String SCHEMA_OBJECT = "SCHEMA_OBJECT";
    static final String PROPERTY = "PROPERTY";
    static final String REQUIRED = "REQUIRED";
    static final String LOGICAL_TYPE = "LOGICAL_TYPE";
    static final String RANGE = "RANGE";
    static final String LENGTH = "LENGTH";
    static final String VALID_VALUES = "VALID_VALUES";
    static final String PATTERN = "PATTERN";
    static final String FORMAT = "FORMAT";
    static final String CEL = "CEL";
    static final String NOT_CHECKED_IN_STREAM = "NOT_CHECKED_IN_STREAM";

    private static final String TIGHTENED = "(tightened)";
    private static final String LOOSENED = "(loosened)";
    private static final String CANNOT_PROVE = "(changed: cannot prove compatible)";
    private static final String NONE = "none";
    private static final String PATTERN_WORD = "pattern ";

    /** A change and where in the schema object it belongs, to print changes in document order. */
    private record Placed(Change change, int position) {
    }

    private final OdcsDocument oldDoc;
    private final OdcsDocument newDoc;
    private final List<Change> changes = new ArrayList<>();

    private OdcsCompatibility(OdcsDocument oldDoc, OdcsDocument newDoc) {
        this.oldDoc = oldDoc;
        this.newDoc = newDoc;
    }

    /** Every difference that tightens or loosens the contract, schema object by schema object. */
    static List<Change> changes(OdcsDocument oldDoc, OdcsDocument newDoc) {
        OdcsCompatibility compatibility = new OdcsCompatibility(oldDoc, newDoc);
        compatibility.compare();
        return List.copyOf(compatibility.changes);
    }

    /** The changes that break the compatibility asked for, direction by direction. */
    static List<BreakingChange> breaking(List<Change> changes, Compatibility compatibility) {
        List<BreakingChange> breaking = new ArrayList<>();
        for (Compatibility.Direction direction : compatibility.directions) {
            for (Change c : changes) {
                boolean breaks = direction == Compatibility.Direction.NEW_READS_OLD ? c.tightens() : c.loosens();
                if (breaks) {
                    breaking.add(new BreakingChange(direction, c.kind(), c.path(), c.location(), c.message()));
                }
            }
        }
        return breaking;
    }

    private void compare() {
        List<String> oldNames = oldDoc.contract().schemaNames();
        List<String> newNames = newDoc.contract().schemaNames();
        for (int i = 0; i < oldNames.size(); i++) {
            String name = oldNames.get(i);
            if (newNames.contains(name)) {
                new SchemaObject(new Side(oldDoc, "old", name), new Side(newDoc, "new", name)).compare();
            } else {
                changes.add(new Change(SCHEMA_OBJECT, "schema[" + name + "]", "old schema[" + i + "]",
                        "removed: the new contract has no schema object " + name + " for its records " + TIGHTENED,
                        true, false));
            }
        }
        for (int i = 0; i < newNames.size(); i++) {
            String name = newNames.get(i);
            if (!oldNames.contains(name)) {
                changes.add(new Change(SCHEMA_OBJECT, "schema[" + name + "]", "new schema[" + i + "]",
                        "added: the old contract has no schema object " + name + " for its records " + LOOSENED,
                        false, true));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ one version

    /** One version of one schema object: its properties by field path, its rules of error severity, what it cannot check. */
    private static final class Side {
        final OdcsDocument doc;
        final String label;
        /** Field path to the element that declares it, in document order ({@code items[*]} for an array's items). */
        final Map<String, String> properties = new LinkedHashMap<>();
        /** Rules of severity warning or info never make a record invalid, so they are left out. */
        final List<ContractRule> rules = new ArrayList<>();
        final List<UnsupportedRule> unsupported = new ArrayList<>();

        Side(OdcsDocument doc, String label, String schemaName) {
            this.doc = doc;
            this.label = label;
            int index = doc.contract().schemaNames().indexOf(schemaName);
            walk(doc.contract().schema().get(index).properties(), "schema[" + index + "]", null);
            ContractRules compiled = OdcsCompiler.compile(doc.contract(), schemaName);
            compiled.rules().stream().filter(r -> !r.warning()).forEach(rules::add);
            unsupported.addAll(compiled.unsupported());
        }

        /** Field paths as the compiler builds them: dots for nesting, {@code [*]} for an array's elements. */
        private void walk(List<OdcsProperty> list, String parent, String within) {
            if (list == null) {
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                OdcsProperty property = list.get(i);
                String element = parent + ".properties[" + i + "]";
                String field = within == null ? property.name() : within + "." + property.name();
                properties.put(field, element);
                children(property, element, field);
            }
        }

        private void children(OdcsProperty property, String element, String field) {
            walk(property.properties(), element, field);
            if (property.items() != null) {
                properties.put(field + "[*]", element + ".items");
                children(property.items(), element + ".items", field + "[*]");
            }
        }

        String named(String element) {
            return doc.named(element);
        }

        String at(String element) {
            return label + " " + element;
        }
    }

    // ------------------------------------------------------------------------------------------ one schema object

    /** One schema object in both versions. */
    private final class SchemaObject {
        final Side old;
        final Side now;
        /** Every field of either version with its position: the new version's order, removed fields where they were. */
        final Map<String, Integer> positions = new LinkedHashMap<>();
        final List<Placed> placed = new ArrayList<>();

        SchemaObject(Side old, Side now) {
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
                new FieldChecks(this, field, oldByField.getOrDefault(field, List.of()),
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
            Pairs pairs = Pairs.of(oldCel, newCel, OdcsCompatibility::expression, false);
            for (ContractRule[] pair : pairs.changed) {
                add(CEL, now, pair[1].element(), quote(expression(pair[0])) + " -> " + quote(expression(pair[1])) + " "
                        + CANNOT_PROVE, true, true, null);
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
                    bounds.add(Bound.of(side, rule, range.min(), range.minExclusive(), true).description());
                }
                if (range.max() != null) {
                    bounds.add(Bound.of(side, rule, range.max(), range.maxExclusive(), false).description());
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
                return "validValues " + in.texts();
            }
            return rule.name();
        }
    }

    // ------------------------------------------------------------------------------------------ one field

    /** The checks of one field in both versions, kind by kind. */
    private static final class FieldChecks {
        final SchemaObject object;
        final String field;
        final List<ContractRule> before;
        final List<ContractRule> after;

        FieldChecks(SchemaObject object, String field, List<ContractRule> before, List<ContractRule> after) {
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
            String from = ((Type) o.check()).expected();
            String to = ((Type) n.check()).expected();
            if (from.equals(to)) {
                return;
            }
            String change = odcsType(o) + " -> " + odcsType(n);
            if (widens(from, to)) {
                add(LOGICAL_TYPE, object.now, n.element(), change + " (widened: loosened)", false, true);
            } else if (widens(to, from)) {
                add(LOGICAL_TYPE, object.now, n.element(), change + " (narrowed: tightened)", true, false);
            } else {
                add(LOGICAL_TYPE, object.now, n.element(), change + " (incompatible: tightened and loosened)", true, true);
            }
        }

        /** Whether every value of type {@code narrow} is a value of type {@code wide} (type names as the type rule has them). */
        private static boolean widens(String narrow, String wide) {
            return (narrow.equals("integer") || narrow.equals("long")) && wide.equals("number");
        }

        /** Whether the side's type rule lets only integers through, so bounds can be compared on integers. */
        private static boolean integersOnly(List<ContractRule> rules) {
            ContractRule type = first(rules, Type.class);
            return type != null && ((Type) type.check()).expected().equals("integer");
        }

        private void range() {
            Bound oldLower = Bound.strictest(object.old, before, true);
            Bound newLower = Bound.strictest(object.now, after, true);
            bound(oldLower, newLower, true);
            Bound oldUpper = Bound.strictest(object.old, before, false);
            Bound newUpper = Bound.strictest(object.now, after, false);
            bound(oldUpper, newUpper, false);
        }

        private void bound(Bound o, Bound n, boolean lower) {
            // BACKWARD asks whether an old-valid value can fail the new bound: old-valid values are integers when
            // the old type says so, which makes "exclusiveMinimum: 0" the same bound as "minimum: 1".
            boolean tightens = Bound.refusesMore(n, o, lower, integersOnly(before));
            boolean loosens = Bound.refusesMore(o, n, lower, integersOnly(after));
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
            boolean tightens;
            boolean loosens;
            if (min) {
                // No minimum is a minimum of 0.
                int from = o == null ? 0 : o.value();
                int to = n == null ? 0 : n.value();
                tightens = to > from;
                loosens = from > to;
            } else {
                tightens = n != null && (o == null || n.value() < o.value());
                loosens = o != null && (n == null || o.value() < n.value());
            }
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
            if (!removed.isEmpty()) {
                add(VALID_VALUES, object.now, element, "removed " + String.join(", ", removed) + " " + TIGHTENED, true, false);
            }
            if (!added.isEmpty()) {
                add(VALID_VALUES, object.now, element, "added " + String.join(", ", added) + " " + LOOSENED, false, true);
            }
        }

        /** The values every one of the rules allows (a value must pass all of them), in the first rule's order. */
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
            Pairs pairs = Pairs.of(o, n, r -> ((Regex) r.check()).pattern(), true);
            for (ContractRule[] pair : pairs.changed) {
                String from = regexDescription(object.old, pair[0]);
                String to = regexDescription(object.now, pair[1]);
                if (from.startsWith(PATTERN_WORD) && to.startsWith(PATTERN_WORD)) {
                    from = from.substring(PATTERN_WORD.length());
                    to = to.substring(PATTERN_WORD.length());
                }
                add(regexKind(pair[1]), object.now, regexElement(object.now, pair[1]), from + " -> " + to + " " + CANNOT_PROVE,
                        true, true);
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

    // ------------------------------------------------------------------------------------------ helpers

    /** One bound of a numeric range, where it is written and how it reads. */
    private record Bound(BigDecimal value, boolean exclusive, String element, String key, String description) {

        static Bound of(Side side, ContractRule rule, BigDecimal value, boolean exclusive, boolean lower) {
            if (rule.source() == Source.FORMAT) { // the range of a number format such as i32
                return new Bound(value, exclusive, rule.element(), null,
                        "format " + side.doc.text(rule.element()) + " (" + plain(value) + ")");
            }
            String key = lower ? (exclusive ? "exclusiveMinimum" : "minimum") : (exclusive ? "exclusiveMaximum" : "maximum");
            return new Bound(value, exclusive, rule.element() + "." + key, key, key + " " + plain(value));
        }

        /** The strictest lower (or upper) bound of the rules; null when there is none. */
        static Bound strictest(Side side, List<ContractRule> rules, boolean lower) {
            Bound strictest = null;
            for (ContractRule rule : rules) {
                if (rule.check() instanceof Range range) {
                    BigDecimal value = lower ? range.min() : range.max();
                    if (value != null) {
                        Bound b = of(side, rule, value, lower ? range.minExclusive() : range.maxExclusive(), lower);
                        if (strictest == null || refusesMore(b, strictest, lower, false)) {
                            strictest = b;
                        }
                    }
                }
            }
            return strictest;
        }

        /** Whether bound {@code a} refuses a value that bound {@code b} lets through (among integers only, if asked). */
        static boolean refusesMore(Bound a, Bound b, boolean lower, boolean integers) {
            if (a == null) {
                return false;
            }
            if (b == null) {
                return true;
            }
            if (integers) {
                int c = a.asInteger(lower).compareTo(b.asInteger(lower));
                return lower ? c > 0 : c < 0;
            }
            int c = a.value.compareTo(b.value);
            if (c == 0) {
                return a.exclusive && !b.exclusive;
            }
            return lower ? c > 0 : c < 0;
        }

        /** The inclusive integer bound: {@code exclusiveMinimum 0} is {@code minimum 1}, {@code maximum 9.5} is 9. */
        BigDecimal asInteger(boolean lower) {
            if (lower) {
                return exclusive ? value.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE)
                        : value.setScale(0, RoundingMode.CEILING);
            }
            return exclusive ? value.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE)
                    : value.setScale(0, RoundingMode.FLOOR);
        }
    }

    /**
     * Rules of one kind in both versions: those with the same text in both are unchanged; of the rest,
     * those with the same name are changed, and what is left is added or removed.
     */
    private static final class Pairs {
        final List<ContractRule[]> changed = new ArrayList<>();
        final List<ContractRule> added = new ArrayList<>();
        final List<ContractRule> removed = new ArrayList<>();

        /**
         * @param pairRest whether rules left over on both sides are paired as changed too (the patterns of one
         *                 field: one replaced by another), rather than added and removed
         */
        static Pairs of(List<ContractRule> before, List<ContractRule> after, Function<ContractRule, String> text,
                boolean pairRest) {
            Pairs pairs = new Pairs();
            List<ContractRule> left = new ArrayList<>(before);
            List<ContractRule> right = new ArrayList<>(after);
            takeMatches(left, right, (a, b) -> text.apply(a).equals(text.apply(b)), null);
            takeMatches(left, right, (a, b) -> a.name().equals(b.name()), pairs.changed);
            while (pairRest && !left.isEmpty() && !right.isEmpty()) {
                pairs.changed.add(new ContractRule[] {left.remove(0), right.remove(0)});
            }
            pairs.added.addAll(right);
            pairs.removed.addAll(left);
            return pairs;
        }

        private static void takeMatches(List<ContractRule> left, List<ContractRule> right,
                BiPredicate<ContractRule, ContractRule> same, List<ContractRule[]> matched) {
            for (Iterator<ContractRule> it = left.iterator(); it.hasNext();) {
                ContractRule a = it.next();
                for (Iterator<ContractRule> jt = right.iterator(); jt.hasNext();) {
                    ContractRule b = jt.next();
                    if (same.test(a, b)) {
                        if (matched != null) {
                            matched.add(new ContractRule[] {a, b});
                        }
                        it.remove();
                        jt.remove();
                        break;
                    }
                }
            }
        }
    }

    private static String regexDescription(Side side, ContractRule rule) {
        if (rule.source() == Source.FORMAT) {
            return "format " + side.doc.text(rule.element());
        }
        return PATTERN_WORD + quote(((Regex) rule.check()).pattern());
    }

    /** {@code minLength}/{@code maxLength} for strings, {@code minItems}/{@code maxItems} for arrays, as written. */
    private static String[] lengthKeys(Side side, ContractRule rule) {
        var options = side.doc.node(rule.element());
        return options.has("minItems") || options.has("maxItems") ? new String[] {"minItems", "maxItems"}
                : new String[] {"minLength", "maxLength"};
    }

    /** The ODCS logical type of a type rule, as written in the contract. */
    private static String odcsType(ContractRule rule) {
        return odcsType((Type) rule.check());
    }

    private static String odcsType(Type type) {
        switch (type.expected()) {
            case "long":
                return "integer";
            case "struct":
                return "object";
            default:
                return type.expected();
        }
    }

    private static String expression(ContractRule rule) {
        return ((Cel) rule.check()).expression();
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** The field path relative to a property ("" for the property itself, {@code "city: "} for a nested one). */
    private static String relative(String property, String field) {
        if (field == null || field.equals(property)) {
            return "";
        }
        String rest = field.startsWith(property) ? field.substring(property.length()) : field;
        if (rest.startsWith(".")) {
            rest = rest.substring(1);
        }
        return rest + ": ";
    }

    /** Whether a field path is the given one or lies within it ({@code a.b}, {@code a[*]} within {@code a}). */
    private static boolean isWithin(String field, String parent) {
        return field.equals(parent) || field.startsWith(parent + ".") || field.startsWith(parent + "[");
    }

    /** Whether an element path is the given one or lies within it. */
    private static boolean isElementWithin(String element, String parent) {
        return element.equals(parent) || element.startsWith(parent + ".");
    }

    private static ContractRule first(List<ContractRule> rules, Class<?> check) {
        for (ContractRule rule : rules) {
            if (check.isInstance(rule.check())) {
                return rule;
            }
        }
        return null;
    }

    private static List<ContractRule> all(List<ContractRule> rules, Class<?> check) {
        return rules.stream().filter(r -> check.isInstance(r.check())).toList();
    }
}
