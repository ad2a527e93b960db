package dev.truthline.connect.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import tools.jackson.databind.json.JsonMapper;

/**
 * Whether a document is ODCS v3 at all: its structure checked against {@code odcs-v3.schema.json} (our own
 * statement of what the standard's published JSON Schemas require and allow), and what differs between the
 * standard's versions ({@code enum} and {@code map} came with v3.2.0, {@code metric} replaced {@code rule} in
 * v3.1.0...). Each problem names its element by path and, for a key the standard does not have, the key; never
 * a value, since a contract file can be any file a worker can read and its problems are shown by REST validate.
 */
final class OdcsConformance {

    private static final Schema SCHEMA = load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The library metrics of ODCS v3.1.0 and later. */
    private static final Set<String> METRICS =
            Set.of("nullValues", "missingValues", "invalidValues", "duplicateValues", "rowCount");

    private OdcsConformance() {
    }

    private static Schema load() {
        try (InputStream in = OdcsConformance.class.getResourceAsStream("odcs-v3.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
                    .getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every way the document departs from the standard, each {@code <path>: <problem>}; empty when it is ODCS v3. */
    static List<String> problems(JsonNode document) {
        List<String> problems = new ArrayList<>();
        tools.jackson.databind.JsonNode tree = JSON.readTree(document.toString());
        for (Error error : SCHEMA.validate(tree)) {
            problems.add(describe(error));
        }
        if (problems.isEmpty()) {
            versions(document, problems);
        }
        problems.sort((a, b) -> ElementPaths.compare(a, b));
        return problems;
    }

    private static String describe(Error error) {
        String path = path(error.getInstanceLocation());
        String keyword = error.getKeyword();
        if (keyword == null) {
            keyword = "";
        }
        switch (keyword) {
            case "required":
                return join(path, error.getProperty()) + ": " + OdcsContract.REQUIRED;
            case "additionalProperties":
            case "unevaluatedProperties":
                return join(path, error.getProperty()) + ": is not a key of this ODCS element";
            case "type":
                return at(path) + "has the wrong type: must be " + expected(error.getSchemaNode());
            case "enum":
                return at(path) + "must be " + oneOf(error.getSchemaNode());
            default:
                // The library's own wording of bounds and sizes, without its $-rooted location.
                String message = error.getMessage();
                return at(path) + (message == null ? "breaks the rule " + keyword : message);
        }
    }

    private static String expected(tools.jackson.databind.JsonNode type) {
        if (type == null) {
            return "another type";
        }
        if (type.isArray()) {
            List<String> names = new ArrayList<>();
            type.forEach(t -> names.add(t.asString()));
            return String.join(" or ", names);
        }
        return type.asString();
    }

    /** {@code DataContract}, or {@code one of a, b or c}. */
    private static String oneOf(tools.jackson.databind.JsonNode values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.isString() ? v.asString() : v.toString()));
        if (names.size() == 1) {
            return names.get(0);
        }
        return "one of " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String join(String path, String key) {
        if (key == null) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    /** {@code schema[0].properties[2]}, as the rest of Truthline writes element paths. */
    static String path(NodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer) {
                path.append('[').append(element).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(element);
            }
        }
        return path.toString();
    }

    // ------------------------------------------------------------------------------------------ versions

    /** What one version of the standard has and another does not. */
    private static void versions(JsonNode document, List<String> problems) {
        String apiVersion = document.path("apiVersion").asText();
        // The standard's own examples of v3.0.x use keys of v3.1.0 (metric, timestamp), so those are read in any
        // v3 document; what came with v3.2.0 is a key of v3.2.0 documents only.
        boolean v31 = apiVersion.compareTo("v3.1.0") >= 0;
        boolean v32 = apiVersion.compareTo("v3.2.0") >= 0;
        JsonNode schema = document.path("schema");
        for (int i = 0; i < schema.size(); i++) {
            String at = "schema[" + i + "]";
            JsonNode object = schema.get(i);
            quality(object.path("quality"), at, apiVersion, v31, problems);
            properties(object.path("properties"), at + ".properties", apiVersion, v31, v32, problems);
        }
    }

    private static void properties(JsonNode list, String at, String apiVersion, boolean v31, boolean v32,
            List<String> problems) {
        for (int i = 0; i < list.size(); i++) {
            property(list.get(i), at + "[" + i + "]", apiVersion, v31, v32, problems);
        }
    }

    private static void property(JsonNode property, String at, String apiVersion, boolean v31, boolean v32,
            List<String> problems) {
        String logicalType = property.path("logicalType").asText();
        if (!v32) {
            since(property, at, "v3.2.0", apiVersion, problems, "enum", "map", "semanticType");
            if (logicalType.equals("map")) {
                problems.add(at + ".logicalType: map is a logical type of ODCS v3.2.0, and this document follows "
                        + apiVersion);
            }
        }
        quality(property.path("quality"), at, apiVersion, v31, problems);
        properties(property.path("properties"), at + ".properties", apiVersion, v31, v32, problems);
        if (property.has("items")) {
            property(property.get("items"), at + ".items", apiVersion, v31, v32, problems);
        }
        JsonNode map = property.path("map");
        for (String side : List.of("key", "value")) {
            if (map.has(side)) {
                property(map.get(side), at + ".map." + side, apiVersion, v31, v32, problems);
            }
        }
    }

    private static void quality(JsonNode list, String at, String apiVersion, boolean v31, List<String> problems) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode quality = list.get(i);
            String element = at + ".quality[" + i + "]";
            boolean library = "library".equals(quality.path("type").asText("library"));
            if (v31) {
                // v3.1.0 names library metrics with metric (rule stays as a deprecated alias beside it), passes
                // their arguments in arguments, and no longer has keys beside them.
                for (String key : List.of("validValues", "pattern")) {
                    if (quality.has(key)) {
                        problems.add(element + "." + key + ": is not a key of this ODCS element (since v3.1.0 it "
                                + "goes in arguments)");
                    }
                }
                if (library && !quality.has("metric") && !isTextOnly(quality)) {
                    problems.add(element + ".metric: " + OdcsContract.REQUIRED + " (a library rule of ODCS "
                            + apiVersion + " names its metric; rule is the v3.0 key)");
                } else if (quality.has("metric") && !METRICS.contains(quality.get("metric").asText())) {
                    problems.add(element + ".metric: must be one of " + METRICS.stream().sorted().toList());
                }
            } else {
                if (library && quality.has("type") && !quality.has("rule") && !quality.has("metric")) {
                    problems.add(element + ".rule: " + OdcsContract.REQUIRED + " (a library rule of ODCS "
                            + apiVersion + ")");
                }
            }
        }
    }

    /** Whether a quality element without a type says nothing but text (no metric, rule, query...). */
    private static boolean isTextOnly(JsonNode quality) {
        if (quality.has("type")) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = quality.fields(); it.hasNext();) {
            String key = it.next().getKey();
            if (key.equals("rule") || key.startsWith("must") || key.equals("arguments")) {
                return false;
            }
        }
        return true;
    }

    private static void since(JsonNode element, String at, String version, String apiVersion, List<String> problems,
            String... keys) {
        for (String key : keys) {
            if (element.has(key)) {
                problems.add(at + "." + key + ": is a key of ODCS " + version + ", and this document follows "
                        + apiVersion);
            }
        }
    }
}
