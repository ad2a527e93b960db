package dev.truthline.connect.privacy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.contract.InvalidContractException;
import dev.truthline.connect.contract.OdcsContract;
import dev.truthline.connect.contract.OdcsParser;
import dev.truthline.connect.contract.OdcsProperty;
import dev.truthline.connect.contract.OdcsSchemaObject;

/**
 * The fields an ODCS v3 contract marks as sensitive: every property whose {@code classification} (ODCS
 * SchemaBaseProperty.classification, e.g. {@code restricted}) or one of whose {@code tags} (SchemaElement.tags) is
 * mapped by a {@code classification.<value>=<method>} key. Each mapped value becomes a rule named after it, whose
 * fields are those properties (nested properties as dotted paths, array items as {@code [*]}).
 */
final class ContractClassification {

    private ContractClassification() {
    }

    /**
     * The field paths of each mapped value, in document order.
     *
     * @param file     {@code contract.file}, or null
     * @param text     {@code contract.text}, or null
     * @param schema   {@code contract.schema}, or null
     * @param mapped   the values of the {@code classification.<value>} keys
     * @param prefixes what to put before each path ({@code ""}, or {@code before.} and {@code after.} for Debezium)
     */
    static Map<String, List<String>> fields(String file, String text, String schema, Set<String> mapped,
            List<String> prefixes) {
        String key = file != null ? PrivacyConfig.CONTRACT_FILE : PrivacyConfig.CONTRACT_TEXT;
        OdcsContract contract;
        try {
            contract = (file != null ? OdcsParser.read(Path.of(file)) : OdcsParser.parse(text)).contract();
        } catch (InvalidContractException e) {
            throw KeyedConfigException.hidingValue(key, "contract", "is not a valid ODCS v3 contract: "
                    + String.join("; ", e.problems()));
        }
        OdcsSchemaObject object = schemaObject(contract, schema, key);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (object.properties() != null) {
            for (OdcsProperty property : object.properties()) {
                collect(property, property.name(), mapped, fields, null);
            }
        }
        for (String value : mapped) {
            if (!fields.containsKey(value)) {
                throw new KeyedConfigException(PrivacyConfig.CLASSIFICATION_PREFIX + value, null, "no property of schema "
                        + "object " + object.name() + " of contract " + contract.id() + " has classification or tag '"
                        + value + "'");
            }
        }
        Map<String, List<String>> prefixed = new LinkedHashMap<>();
        fields.forEach((value, paths) -> {
            List<String> all = new ArrayList<>();
            for (String prefix : prefixes) {
                paths.forEach(p -> all.add(prefix + p));
            }
            prefixed.put(value, all);
        });
        return prefixed;
    }

    private static OdcsSchemaObject schemaObject(OdcsContract contract, String schema, String key) {
        if (schema == null) {
            if (contract.schema().size() != 1) {
                throw new KeyedConfigException(PrivacyConfig.CONTRACT_SCHEMA, null, "contract " + contract.id()
                        + " has schema objects " + contract.schemaNames() + ": name one");
            }
            return contract.schema().get(0);
        }
        return contract.schema().stream().filter(o -> schema.equals(o.name())).findFirst()
                .orElseThrow(() -> new KeyedConfigException(PrivacyConfig.CONTRACT_SCHEMA, schema, "contract "
                        + contract.id() + " has no schema object " + schema + "; it has " + contract.schemaNames()));
    }

    /**
     * @param inherited the mapped value of the nearest classified parent, or null: an object or array classified as
     *                  a whole protects each of its leaves (a struct cannot be encrypted as one value)
     */
    private static void collect(OdcsProperty property, String path, Set<String> mapped, Map<String, List<String>> fields,
            String inherited) {
        Set<String> labels = new LinkedHashSet<>();
        if (property.classification() != null) {
            labels.add(property.classification());
        }
        if (property.tags() != null) {
            labels.addAll(property.tags());
        }
        labels.retainAll(mapped);
        if (labels.size() > 1) {
            String first = labels.iterator().next();
            throw new KeyedConfigException(PrivacyConfig.CLASSIFICATION_PREFIX + first, null, "property " + path
                    + " has classification or tags " + labels + ", each mapped to a method; map only one of them");
        }
        String value = labels.isEmpty() ? inherited : labels.iterator().next();
        boolean leaf = property.properties() == null && property.items() == null;
        if (leaf) {
            if (value != null) {
                fields.computeIfAbsent(value, v -> new ArrayList<>()).add(path);
            }
            return;
        }
        if (property.properties() != null) {
            for (OdcsProperty child : property.properties()) {
                collect(child, path + "." + child.name(), mapped, fields, value);
            }
        }
        if (property.items() != null) {
            // The element definition of an array has no name: its path is the array's with [*].
            collect(property.items(), path + "[*]", mapped, fields, value);
        }
    }
}
