package dev.truthline.connect.dedupe;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Header;

import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * One part of an id, as written in {@code id.fields}, {@code entity.fields} or {@code version.field}:
 * {@code key} (the whole key), {@code key.<path>}, {@code value.<path>} or {@code header.<name>}.
 */
final class IdField {

    private enum Source { KEY, VALUE, HEADER }

    private final String text;
    private final Source source;
    /** Null for the whole key and for headers. */
    private final FieldPath path;
    private final String header;

    private IdField(String text, Source source, FieldPath path, String header) {
        this.text = text;
        this.source = source;
        this.path = path;
        this.header = header;
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static IdField parse(String text) {
        String t = text.trim();
        if (t.equals("key")) {
            return new IdField(t, Source.KEY, null, null);
        }
        if (t.startsWith("key.") || t.startsWith("value.")) {
            Source source = t.startsWith("key.") ? Source.KEY : Source.VALUE;
            String rest = t.substring(source == Source.KEY ? 4 : 6);
            FieldPath path = FieldPath.parse(rest);
            if (path.hasWildcard()) {
                throw new IllegalArgumentException("'" + t + "' must name one field, not [*] elements");
            }
            return new IdField(t, source, path, null);
        }
        if (t.startsWith("header.") && t.length() > 7) {
            return new IdField(t, Source.HEADER, null, t.substring(7));
        }
        throw new IllegalArgumentException("'" + t + "' must be key, key.<path>, value.<path> or header.<name>");
    }

    /** Parses a list, reporting a mistake as a ConfigException on {@code key}. */
    static List<IdField> parseAll(String key, List<String> texts) {
        List<IdField> fields = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                fields.add(parse(text));
            } catch (IllegalArgumentException e) {
                throw new KeyedConfigException(key, texts, e.getMessage());
            }
        }
        return fields;
    }

    /** The value this part takes in a record: null when null, {@link FieldPath#ABSENT} when missing. */
    Object get(ConnectRecord<?> record) {
        switch (source) {
            case KEY:
                return path == null ? record.key() : path.get(record.key());
            case VALUE:
                return path.get(record.value());
            case HEADER:
                Header h = record.headers().lastWithName(header);
                return h == null ? FieldPath.ABSENT : h.value();
            default:
                throw new IllegalStateException();
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
