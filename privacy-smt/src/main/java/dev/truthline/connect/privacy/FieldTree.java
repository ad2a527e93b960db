package dev.truthline.connect.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * The protected field paths of all rules, merged into one tree, and the copy-on-write walk that applies them to a
 * value (a Struct with its schema, or a schemaless Map): only the structs, maps and arrays on the way to a protected
 * field are copied, everything else is shared with the input, which is never changed.
 *
 * <p>A name selects a struct field or a map key; {@code [*]} after it selects every element of an array (or every
 * value of a map). Null and absent parents and leaves are left as they are.
 */
final class FieldTree {

    /** Where a rule's field ends: the rule and the path as configured. */
    record Leaf(Protection protection, String path) {
    }

    private static final class Node {
        final Map<String, Edge> children = new LinkedHashMap<>();
        /** The plan for the last struct schema this node met: tasks nearly always see one schema. */
        volatile StructPlan lastPlan;

        StructPlan plan(Schema in, Schema out) {
            StructPlan plan = lastPlan;
            if (plan == null || plan.in != in || plan.out != out) {
                plan = new StructPlan(in, out, this);
                lastPlan = plan;
            }
            return plan;
        }
    }

    /** For one input and output struct schema: each input field, its output field and its edge (or null). */
    private static final class StructPlan {
        final Schema in;
        final Schema out;
        final Field[] inFields;
        final Field[] outFields;
        final Edge[] edges;
        /** Whether the field has a default, which {@link Struct#get(Field)} would put in place of a null. */
        final boolean[] defaults;

        StructPlan(Schema in, Schema out, Node node) {
            this.in = in;
            this.out = out;
            List<Field> fields = in.fields();
            inFields = fields.toArray(new Field[0]);
            outFields = new Field[inFields.length];
            edges = new Edge[inFields.length];
            defaults = new boolean[inFields.length];
            for (int i = 0; i < inFields.length; i++) {
                outFields[i] = out.field(inFields[i].name());
                edges[i] = node.children.get(inFields[i].name());
                defaults[i] = inFields[i].schema().defaultValue() != null;
            }
        }
    }

    /** One name of a path and what follows it: {@code wildcards} levels of arrays, then a node or a leaf. */
    private static final class Edge {
        final int wildcards;
        final String text;
        Node node;
        Leaf leaf;

        Edge(int wildcards, String text) {
            this.wildcards = wildcards;
            this.text = text;
        }
    }

    private final Node root = new Node();
    private final boolean protecting;

    FieldTree(boolean protecting) {
        this.protecting = protecting;
    }

    /**
     * Adds a rule's field.
     *
     * @param key the configuration key that names the field, for errors
     */
    void add(String pathText, Protection protection, String key) {
        FieldPath path;
        try {
            path = FieldPath.parse(pathText);
        } catch (IllegalArgumentException e) {
            throw new KeyedConfigException(key, pathText, e.getMessage());
        }
        List<String> names = path.names();
        String[] segments = path.toString().split("\\.", -1);
        Node node = root;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int wildcards = (segments[i].length() - name.length()) / 3;
            prefix.append(i == 0 ? "" : ".").append(segments[i]);
            boolean last = i == names.size() - 1;
            Edge edge = node.children.get(name);
            if (edge == null) {
                edge = new Edge(wildcards, prefix.toString());
                node.children.put(name, edge);
            } else if (edge.wildcards != wildcards) {
                throw new KeyedConfigException(key, pathText, "'" + prefix + "' and '" + edge.text
                        + "' disagree on whether " + name + " is an array");
            }
            if (edge.leaf != null || last && edge.node != null) {
                Leaf other = edge.leaf;
                throw new KeyedConfigException(key, pathText, "field " + path + " is already protected"
                        + (other != null ? " by rule " + other.protection().rule + " (" + other.path() + ")"
                        : " in its parts by another path") + "; a field can be protected by one rule only");
            }
            if (last) {
                edge.leaf = new Leaf(protection, path.toString());
            } else {
                if (edge.node == null) {
                    edge.node = new Node();
                }
                node = edge.node;
            }
        }
    }

    boolean isEmpty() {
        return root.children.isEmpty();
    }

    // ---- Schemas

    /** The output schema for a record schema (a struct). */
    Schema outputSchema(Schema input) {
        return nodeSchema(input, root, "");
    }

    private Schema nodeSchema(Schema in, Node node, String where) {
        switch (in.type()) {
            case STRUCT: {
                SchemaBuilder builder = copyBasics(in, SchemaBuilder.struct());
                for (Field field : in.fields()) {
                    Edge edge = node.children.get(field.name());
                    builder.field(field.name(), edge == null ? field.schema() : edgeSchema(field.schema(), edge, edge.wildcards));
                }
                return builder.build();
            }
            case MAP:
                // A named map key is one of many values of one value schema: it must keep that type.
                for (Edge edge : node.children.values()) {
                    Schema protectedValue = edgeSchema(in.valueSchema(), edge, edge.wildcards);
                    if (protectedValue.type() != in.valueSchema().type()) {
                        throw new DataException("Map key " + edge.text + " would change type from "
                                + in.valueSchema().type().getName() + " to " + protectedValue.type().getName()
                                + ", but the map's other values keep theirs; protect every value with "
                                + (where.isEmpty() ? "<map>" : where) + "[*] or use a string map");
                    }
                }
                return in;
            default:
                throw new DataException("Field " + (where.isEmpty() ? "<root>" : where) + " is a " + in.type().getName()
                        + ", not a struct or map, so it has no field " + node.children.keySet().iterator().next());
        }
    }

    private Schema edgeSchema(Schema in, Edge edge, int levels) {
        if (levels > 0) {
            switch (in.type()) {
                case ARRAY:
                    return copyBasics(in, SchemaBuilder.array(edgeSchema(in.valueSchema(), edge, levels - 1))).build();
                case MAP:
                    return copyBasics(in, SchemaBuilder.map(in.keySchema(), edgeSchema(in.valueSchema(), edge, levels - 1)))
                            .build();
                default:
                    throw new DataException("Field " + edge.text + " is a " + in.type().getName()
                            + ", not an array or map, so [*] selects nothing");
            }
        }
        if (edge.leaf != null) {
            Protection p = edge.leaf.protection();
            return protecting ? p.protectedSchema(in, edge.leaf.path()) : p.revealedSchema(in, edge.leaf.path());
        }
        return nodeSchema(in, edge.node, edge.text);
    }

    /** Name, version, doc, parameters and optionality; not the default, which would not fit a changed schema. */
    private static SchemaBuilder copyBasics(Schema from, SchemaBuilder to) {
        if (from.name() != null) {
            to.name(from.name());
        }
        if (from.version() != null) {
            to.version(from.version());
        }
        if (from.doc() != null) {
            to.doc(from.doc());
        }
        if (from.parameters() != null) {
            to.parameters(from.parameters());
        }
        if (from.isOptional()) {
            to.optional();
        }
        return to;
    }

    // ---- Values

    /**
     * The value with every field of the tree protected (or revealed).
     *
     * @param in  the value's schema, null for schemaless
     * @param out {@link #outputSchema(Schema)} of {@code in}, null for schemaless
     */
    Object apply(Object value, Schema in, Schema out) {
        return node(value, in, out, root, "");
    }

    private Object node(Object value, Schema in, Schema out, Node node, String where) {
        if (value instanceof Struct) {
            Struct struct = (Struct) value;
            StructPlan plan = node.plan(struct.schema(), out);
            Struct result = new Struct(out);
            Field[] inFields = plan.inFields;
            for (int i = 0; i < inFields.length; i++) {
                Field field = inFields[i];
                // Without the default: a null stays null (and the default could be a clear value).
                Object v = plan.defaults[i] ? struct.getWithoutDefault(field.name()) : struct.get(field);
                Edge edge = plan.edges[i];
                Field outField = plan.outFields[i];
                result.put(outField, edge == null ? v : edge(v, field.schema(), outField.schema(), edge, edge.wildcards));
            }
            return result;
        }
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            Map<Object, Object> result = new LinkedHashMap<>(map);
            Schema inValues = in == null ? null : in.valueSchema();
            Schema outValues = out == null ? null : out.valueSchema();
            for (Map.Entry<String, Edge> child : node.children.entrySet()) {
                Object v = map.get(child.getKey());
                if (v != null) {
                    Edge edge = child.getValue();
                    result.put(child.getKey(), edge(v, inValues, outValues, edge, edge.wildcards));
                }
            }
            return result;
        }
        throw new DataException("Field " + (where.isEmpty() ? "<root>" : where) + " is a " + ValueCodec.kind(value)
                + ", not a struct or map, so it has no field " + node.children.keySet().iterator().next());
    }

    private Object edge(Object value, Schema in, Schema out, Edge edge, int levels) {
        if (value == null) {
            return null;
        }
        if (levels > 0) {
            Schema inValues = in == null ? null : in.valueSchema();
            Schema outValues = out == null ? null : out.valueSchema();
            if (value instanceof List) {
                List<?> list = (List<?>) value;
                List<Object> result = new ArrayList<>(list.size());
                for (Object element : list) {
                    result.add(edge(element, inValues, outValues, edge, levels - 1));
                }
                return result;
            }
            if (value instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) value;
                Map<Object, Object> result = new LinkedHashMap<>(map.size() * 2);
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    result.put(entry.getKey(), edge(entry.getValue(), inValues, outValues, edge, levels - 1));
                }
                return result;
            }
            throw new DataException("Field " + edge.text + " is a " + ValueCodec.kind(value)
                    + ", not an array or map, so [*] selects nothing");
        }
        if (edge.leaf != null) {
            Leaf leaf = edge.leaf;
            Protection p = leaf.protection();
            if (protecting) {
                p.fields.increment();
                return p.protect(value, in, leaf.path());
            }
            if (!p.method.reversible()) {
                return value; // nothing to undo
            }
            p.fields.increment();
            return p.reveal(value, out, leaf.path());
        }
        return node(value, in, out, edge.node, edge.text);
    }
}
