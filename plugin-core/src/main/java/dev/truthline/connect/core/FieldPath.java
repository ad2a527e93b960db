package dev.truthline.connect.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A path to a field inside a record key or value: names separated by dots for nesting, and
 * {@code [*]} after a name for every element of an array ({@code items[*].qty}).
 *
 * <p>Paths are parsed once, at configuration time; resolving one against a record allocates
 * nothing unless the path contains a wildcard. Structs (with schema) and maps (schemaless
 * records, Connect {@code MAP} values) are walked alike.
 */
public final class FieldPath {

    /** Returned by {@link #get} and passed to a {@link LeafVisitor} when a field is not there. */
    public static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "<absent>";
        }
    };

    /** Receives each value a path addresses. */
    @FunctionalInterface
    public interface LeafVisitor {
        /**
         * @param value   the value, {@code null} when present but null, or {@link #ABSENT}
         * @param indices the array index chosen at each wildcard, in path order (empty without wildcards);
         *                only valid during the call — pass it to {@link #render(int[])} to name the field
         */
        void visit(Object value, int[] indices);
    }

    private static final int[] NO_INDICES = new int[0];

    private final String text;
    private final String[] names;
    /** For each name, how many {@code [*]} follow it. */
    private final int[] wildcards;
    private final int wildcardCount;
    /**
     * The fields along the path in the last root schema seen: records of one task nearly always share
     * one schema, so resolving names once per schema saves a lookup per level per record.
     */
    private volatile StructFields lastStructFields;

    private FieldPath(String text, String[] names, int[] wildcards) {
        this.text = text;
        this.names = names;
        this.wildcards = wildcards;
        this.wildcardCount = Arrays.stream(wildcards).sum();
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with the path
     */
    public static FieldPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a field path must not be empty");
        }
        String trimmed = text.trim();
        String[] parts = trimmed.split("\\.", -1);
        String[] names = new String[parts.length];
        int[] wildcards = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int count = 0;
            while (part.endsWith("[*]")) {
                part = part.substring(0, part.length() - 3);
                count++;
            }
            if (part.isEmpty()) {
                throw new IllegalArgumentException("field path '" + trimmed + "' has an empty name at segment " + (i + 1));
            }
            if (part.indexOf('[') >= 0 || part.indexOf(']') >= 0) {
                throw new IllegalArgumentException("field path '" + trimmed
                        + "' has a bracket that is not '[*]' in segment '" + parts[i] + "'");
            }
            names[i] = part;
            wildcards[i] = count;
        }
        return new FieldPath(trimmed, names, wildcards);
    }

    public boolean hasWildcard() {
        return wildcardCount > 0;
    }

    /** The names along the path, without wildcards. */
    public List<String> names() {
        return List.of(names);
    }

    /**
     * The value at a path without wildcards: {@code null} when present and null, {@link #ABSENT} when
     * the field (or one of its parents) is missing or a parent is null.
     */
    public Object get(Object root) {
        if (hasWildcard()) {
            throw new IllegalStateException("path " + text + " has wildcards: use forEach");
        }
        if (root instanceof Struct) {
            StructFields resolved = lastStructFields;
            Struct struct = (Struct) root;
            if (resolved == null || resolved.rootSchema != struct.schema()) {
                resolved = StructFields.resolve(struct.schema(), names);
                lastStructFields = resolved;
            }
            if (resolved.fields != null) {
                return resolved.get(struct);
            }
        }
        Object current = root;
        for (String name : names) {
            current = child(current, name);
            if (current == ABSENT) {
                return ABSENT;
            }
        }
        return current;
    }

    /** Visits every value the path addresses; a path without wildcards is visited exactly once. */
    public void forEach(Object root, LeafVisitor visitor) {
        if (!hasWildcard()) {
            visitor.visit(get(root), NO_INDICES);
            return;
        }
        walk(root, 0, new int[wildcardCount], 0, visitor);
    }

    private void walk(Object current, int segment, int[] indices, int depth, LeafVisitor visitor) {
        if (segment == names.length) {
            visitor.visit(current, indices);
            return;
        }
        Object child = child(current, names[segment]);
        expand(child, segment, wildcards[segment], indices, depth, visitor);
    }

    private void expand(Object value, int segment, int remaining, int[] indices, int depth, LeafVisitor visitor) {
        if (remaining == 0) {
            walk(value, segment + 1, indices, depth, visitor);
            return;
        }
        if (!(value instanceof List)) {
            // Absent, null or not an array: the elements are not there.
            indices[depth] = -1;
            visitor.visit(ABSENT, indices);
            return;
        }
        List<?> list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
            indices[depth] = i;
            expand(list.get(i), segment, remaining - 1, indices, depth + 1, visitor);
        }
    }

    /** The fields a path names in one struct schema, or no fields when the path leaves nested structs. */
    private static final class StructFields {
        final Schema rootSchema;
        final Field[] fields;

        private StructFields(Schema rootSchema, Field[] fields) {
            this.rootSchema = rootSchema;
            this.fields = fields;
        }

        static StructFields resolve(Schema rootSchema, String[] names) {
            Field[] fields = new Field[names.length];
            Schema current = rootSchema;
            for (int i = 0; i < names.length; i++) {
                Field field = current == null || current.type() != Schema.Type.STRUCT ? null : current.field(names[i]);
                if (field == null) {
                    // A missing field or a map on the way: resolve by name each time.
                    return new StructFields(rootSchema, null);
                }
                fields[i] = field;
                current = field.schema();
            }
            return new StructFields(rootSchema, fields);
        }

        Object get(Struct root) {
            Object current = root;
            Schema expected = rootSchema;
            for (Field field : fields) {
                if (!(current instanceof Struct)) {
                    return ABSENT;
                }
                Struct struct = (Struct) current;
                if (struct.schema() == expected) {
                    current = struct.get(field);
                } else {
                    // A nested struct built with an equal but different schema object: go by name.
                    Field byName = struct.schema().field(field.name());
                    if (byName == null) {
                        return ABSENT;
                    }
                    current = struct.get(byName);
                }
                expected = field.schema();
            }
            return current;
        }
    }

    private static Object child(Object parent, String name) {
        if (parent instanceof Struct) {
            Struct struct = (Struct) parent;
            Field field = struct.schema().field(name);
            return field == null ? ABSENT : struct.get(field);
        }
        if (parent instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) parent;
            Object value = map.get(name);
            if (value == null && !map.containsKey(name)) {
                return ABSENT;
            }
            return value;
        }
        return ABSENT;
    }

    /**
     * The schema of the addressed field, given the schema of the root, or {@code null} when the root
     * has no schema or the path leaves it.
     */
    public Schema leafSchema(Schema root) {
        Schema current = root;
        for (int i = 0; i < names.length && current != null; i++) {
            switch (current.type()) {
                case STRUCT:
                    Field field = current.field(names[i]);
                    current = field == null ? null : field.schema();
                    break;
                case MAP:
                    current = current.valueSchema();
                    break;
                default:
                    return null;
            }
            for (int w = 0; w < wildcards[i] && current != null; w++) {
                current = current.type() == Schema.Type.ARRAY ? current.valueSchema() : null;
            }
        }
        return current;
    }

    /**
     * Names one addressed field: the path with each {@code [*]} replaced by the visited index, for
     * example {@code items[2].qty}. From an index of -1 on (the array itself was missing) the path
     * keeps {@code [*]}.
     */
    public String render(int[] indices) {
        if (!hasWildcard()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        int depth = 0;
        boolean missing = false;
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(names[i]);
            for (int w = 0; w < wildcards[i]; w++) {
                int index = indices[depth++];
                missing |= index < 0;
                if (missing) {
                    out.append("[*]");
                } else {
                    out.append('[').append(index).append(']');
                }
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath && ((FieldPath) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
