package dev.truthline.cli.contracts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRule.Cel;
import dev.truthline.connect.contract.ContractRule.Regex;
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
 * <p>Whether one version of a check is tighter, looser, equal or cannot be proven compatible with the
 * other is the rule type's own judgement ({@link dev.truthline.connect.validation.RuleCompatibility},
 * declared beside each rule class): this code only pairs the rules (by schema object, field and kind),
 * and turns the verdicts into changes with their element paths and messages.
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
    static final String MISSING_VALUES = "MISSING_VALUES";
    static final String PATTERN = "PATTERN";
    static final String FORMAT = "FORMAT";
    static final String CEL = "CEL";
    static final String NOT_CHECKED_IN_STREAM = "NOT_CHECKED_IN_STREAM";

    static final String TIGHTENED = "(tightened)";
    static final String LOOSENED = "(loosened)";
    static final String CANNOT_PROVE = "(changed: cannot prove compatible)";
    static final String NONE = "none";
    static final String PATTERN_WORD = "pattern ";

    /** A change and where in the schema object it belongs, to print changes in document order. */
    record Placed(Change change, int position) {
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
                new SchemaObjectChanges(new Side(oldDoc, "old", name), new Side(newDoc, "new", name), changes).compare();
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
    static final class Side {
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

    static String regexDescription(Side side, ContractRule rule) {
        if (rule.source() == Source.FORMAT) {
            return "format " + side.doc.text(rule.element());
        }
        return PATTERN_WORD + quote(((Regex) rule.check()).pattern());
    }

    /** {@code minLength}/{@code maxLength} for strings, {@code minItems}/{@code maxItems} for arrays, as written. */
    static String[] lengthKeys(Side side, ContractRule rule) {
        var options = side.doc.node(rule.element());
        return options.has("minItems") || options.has("maxItems") ? new String[] {"minItems", "maxItems"}
                : new String[] {"minLength", "maxLength"};
    }

    /** The ODCS logical type of a type rule, as written in the contract. */
    static String odcsType(ContractRule rule) {
        return odcsType((Type) rule.check());
    }

    static String odcsType(Type type) {
        switch (type.expected()) {
            case "long":
                return "integer";
            case "struct":
                return "object";
            default:
                return type.expected();
        }
    }

    static String expression(ContractRule rule) {
        return ((Cel) rule.check()).expression();
    }

    static String quote(String text) {
        return "\"" + text + "\"";
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** The field path relative to a property ("" for the property itself, {@code "city: "} for a nested one). */
    static String relative(String property, String field) {
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
    static boolean isWithin(String field, String parent) {
        return field.equals(parent) || field.startsWith(parent + ".") || field.startsWith(parent + "[");
    }

    /** Whether an element path is the given one or lies within it. */
    static boolean isElementWithin(String element, String parent) {
        return element.equals(parent) || element.startsWith(parent + ".");
    }

    static ContractRule first(List<ContractRule> rules, Class<?> check) {
        for (ContractRule rule : rules) {
            if (check.isInstance(rule.check())) {
                return rule;
            }
        }
        return null;
    }

    static List<ContractRule> all(List<ContractRule> rules, Class<?> check) {
        return rules.stream().filter(r -> check.isInstance(r.check())).toList();
    }
}
