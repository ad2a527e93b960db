package dev.truthline.cli.contracts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import dev.truthline.connect.validation.contract.OdcsContract;
import dev.truthline.connect.validation.contract.OdcsParser;

/**
 * An ODCS contract as {@code truthline contracts} reads it: the model ValidateContract checks and
 * compiles, and the document's own tree, which names the elements the compiler locates by index
 * ({@code schema[0].properties[2]} is {@code schema[orders].properties[amount]}) and holds the
 * elements the model keeps no rule for (a {@code multipleOf}, an {@code sql} rule), so that they can
 * be compared as written.
 */
final class OdcsDocument {

    /** Read as {@link OdcsParser} reads: "NO" stays a string, numbers keep the digits they were written with. */
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)(?:\\[(\\d+)])?");

    /** Numbers equal by value (1.0 and 1), everything else by equals. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    final OdcsContract contract;
    private final JsonNode tree;

    private OdcsDocument(OdcsContract contract, JsonNode tree) {
        this.contract = contract;
        this.tree = tree;
    }

    /**
     * Reads and checks a contract.
     *
     * @param which "old ", "new " or "" for messages
     * @throws ContractException.Invalid listing every problem, each with its element
     */
    static OdcsDocument parse(String text, String which) throws ContractException.Invalid {
        OdcsContract contract;
        try {
            contract = OdcsParser.parse(text);
        } catch (dev.truthline.connect.validation.contract.ContractException e) {
            throw new ContractException.Invalid(problems("the " + which + "contract is not a valid ODCS v3 contract",
                    e.problems()), e);
        }
        try {
            return new OdcsDocument(contract, YAML.readTree(text));
        } catch (JsonProcessingException e) {
            // The model was read from the same text, so this does not happen.
            throw new ContractException.Invalid("the " + which + "contract cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code <what>: <problem>} for one problem, else {@code <what>:} and one indented line per problem. */
    static String problems(String what, List<String> problems) {
        if (problems.size() == 1) {
            return what + ": " + problems.get(0);
        }
        StringBuilder text = new StringBuilder(what).append(" (").append(problems.size()).append(" problems):");
        for (String problem : problems) {
            text.append("\n    ").append(problem);
        }
        return text.toString();
    }

    /** The element at an index path such as {@code schema[0].properties[2].logicalTypeOptions}; missing when absent. */
    JsonNode node(String element) {
        JsonNode node = tree;
        for (String[] step : steps(element)) {
            node = node.path(step[0]);
            if (step[1] != null) {
                node = node.path(Integer.parseInt(step[1]));
            }
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    /** The element's value as written, for messages: text unquoted, anything else as JSON. */
    String text(String element) {
        JsonNode node = node(element);
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** Whether two elements, of this document and another, are written alike (numbers compared by value). */
    boolean sameAs(String element, OdcsDocument other, String otherElement) {
        return node(element).equals(BY_VALUE, other.node(otherElement));
    }

    /**
     * An index path with schema objects and properties named, and quality rules by their id or name
     * where they have one: {@code schema[orders].properties[amount].logicalTypeOptions.maximum}.
     */
    String named(String element) {
        StringBuilder path = new StringBuilder();
        JsonNode node = tree;
        for (String[] step : steps(element)) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(step[0]);
            node = node.path(step[0]);
            if (step[1] != null) {
                node = node.path(Integer.parseInt(step[1]));
                path.append('[').append(label(step[0], node, step[1])).append(']');
            }
        }
        return path.toString();
    }

    private static String label(String list, JsonNode item, String index) {
        List<String> keys = list.equals("quality") ? List.of("id", "name") : List.of("name");
        for (String key : keys) {
            JsonNode name = item.path(key);
            if (name.isValueNode() && !name.asText().isBlank()) {
                return name.asText();
            }
        }
        return index;
    }

    private static List<String[]> steps(String element) {
        List<String[]> steps = new ArrayList<>();
        if (element.isEmpty()) {
            return steps;
        }
        for (String part : element.split("\\.")) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("not an element path: " + element);
            }
            steps.add(new String[] {m.group(1), m.group(2)});
        }
        return steps;
    }
}
