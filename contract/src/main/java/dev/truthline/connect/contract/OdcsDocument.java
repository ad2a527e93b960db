package dev.truthline.connect.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * An ODCS contract as {@link OdcsParser} read it: the model the compiler works on, and the document's
 * own tree, which names the elements the compiler locates by index ({@code schema[0].properties[2]} is
 * {@code schema[orders].properties[amount]}) and holds what the model keeps no rule for (a
 * {@code multipleOf}, an {@code sql} rule), so that it can be compared as written.
 */
public final class OdcsDocument {

    /** Numbers equal by value (1.0 and 1), everything else by equals. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private final OdcsContract contract;
    private final JsonNode tree;

    OdcsDocument(OdcsContract contract, JsonNode tree) {
        this.contract = Objects.requireNonNull(contract);
        this.tree = Objects.requireNonNull(tree);
    }

    public OdcsContract contract() {
        return contract;
    }

    /** The document as read; callers must not change it. */
    public JsonNode tree() {
        return tree;
    }

    /** The element at an index path such as {@code schema[0].properties[2].logicalTypeOptions}; missing when absent. */
    public JsonNode node(String element) {
        JsonNode node = tree;
        for (Step step : steps(element)) {
            node = node.path(step.key());
            if (step.index() >= 0) {
                node = node.path(step.index());
            }
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    /** The element's value as written, for messages: text unquoted, anything else as JSON. */
    public String text(String element) {
        JsonNode node = node(element);
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** Whether two elements, of this document and another, are written alike (numbers compared by value). */
    public boolean sameAs(String element, OdcsDocument other, String otherElement) {
        return node(element).equals(BY_VALUE, other.node(otherElement));
    }

    /**
     * An index path with schema objects and properties named, and quality rules by their id or name
     * where they have one: {@code schema[orders].properties[amount].logicalTypeOptions.maximum}.
     */
    public String named(String element) {
        StringBuilder path = new StringBuilder();
        JsonNode node = tree;
        for (Step step : steps(element)) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(step.key());
            node = node.path(step.key());
            if (step.index() >= 0) {
                node = node.path(step.index());
                path.append('[').append(label(step.key(), node, step.index())).append(']');
            }
        }
        return path.toString();
    }

    private static String label(String list, JsonNode item, int index) {
        List<String> keys = list.equals("quality") ? List.of("id", "name") : List.of("name");
        for (String key : keys) {
            JsonNode name = item.path(key);
            if (name.isValueNode() && !name.asText().isBlank()) {
                return name.asText();
            }
        }
        return Integer.toString(index);
    }

    /** One step of an element path: a key, and the index into it or -1. */
    private record Step(String key, int index) {
    }

    private static List<Step> steps(String element) {
        List<Step> steps = new ArrayList<>();
        if (element.isEmpty()) {
            return steps;
        }
        for (String part : element.split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                steps.add(new Step(part, -1));
            } else if (bracket > 0 && part.endsWith("]")) {
                try {
                    steps.add(new Step(part.substring(0, bracket),
                            Integer.parseInt(part.substring(bracket + 1, part.length() - 1))));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an element path: " + element, e);
                }
            } else {
                throw new IllegalArgumentException("not an element path: " + element);
            }
        }
        return steps;
    }
}
