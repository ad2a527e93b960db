package dev.truthline.cli.contracts;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Avro schemas ({@code .avsc}), judged with Avro's own {@link SchemaCompatibility}: the same rules
 * a schema registry applies, so CI fails on exactly what the registry would refuse.
 */
final class AvroContractFormat implements ContractFormat {

    @Override
    public String description() {
        return "Avro schema";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.endsWith(".avsc");
    }

    @Override
    public Validity validate(String text) throws ContractException {
        Schema schema = parse(text, "");
        String summary = schema.getType().getName() + (schema.getFullName().equals(schema.getType().getName()) ? "" : " " + schema.getFullName());
        if (schema.getType() == Schema.Type.RECORD) {
            summary += ", " + schema.getFields().size() + " field" + (schema.getFields().size() == 1 ? "" : "s");
        }
        return Validity.inStream(summary);
    }

    @Override
    public List<BreakingChange> compare(String oldText, String newText, Compatibility compatibility) throws ContractException {
        Schema oldSchema = parse(oldText, "old ");
        Schema newSchema = parse(newText, "new ");
        List<BreakingChange> changes = new ArrayList<>();
        for (Compatibility.Direction direction : compatibility.directions) {
            Schema reader = direction == Compatibility.Direction.NEW_READS_OLD ? newSchema : oldSchema;
            Schema writer = direction == Compatibility.Direction.NEW_READS_OLD ? oldSchema : newSchema;
            for (Incompatibility i : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
                    .getIncompatibilities()) {
                changes.add(new BreakingChange(direction, i.getType().name(), path(reader, i.getLocation()),
                        i.getLocation(), explain(i)));
            }
        }
        return changes;
    }

    private static Schema parse(String text, String which) throws ContractException {
        try {
            return new Schema.Parser().parse(text);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            // SchemaParseException and AvroTypeException (a default that does not fit its type) are both AvroRuntimeExceptions.
            throw new ContractException.Invalid("the " + which + "schema is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    /** What the incompatibility means, in reader/writer terms, with Avro's own detail. */
    private static String explain(Incompatibility i) {
        String detail = i.getMessage();
        switch (i.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE:
                return "the reader's field " + detail + " has no default and the writer's data does not have it";
            case MISSING_ENUM_SYMBOLS:
                return "the writer's symbols " + detail + " are unknown to the reader, whose enum has no default";
            case MISSING_UNION_BRANCH:
                return detail;
            case NAME_MISMATCH:
                return "the names differ and no alias of the reader's bridges them (" + detail + ")";
            case FIXED_SIZE_MISMATCH:
                return "fixed sizes differ: " + detail;
            default:
                return detail;
        }
    }

    /**
     * The element an Avro location (a JSON pointer into the reader schema such as
     * {@code /fields/1/type/items/fields/0/type}) points at, by name: {@code Order.items[].qty}.
     * A union branch index refers to the writer's union, so naming stops there.
     */
    static String path(Schema reader, String location) {
        Schema schema = reader;
        StringBuilder path = new StringBuilder(isNamed(schema) ? schema.getName() : schema.getType().getName());
        String[] tokens = location.startsWith("/") ? location.substring(1).split("/") : location.split("/");
        int i = 0;
        while (i < tokens.length && !tokens[i].isEmpty()) {
            String token = tokens[i];
            if (token.equals("fields") && schema.getType() == Schema.Type.RECORD && i + 1 < tokens.length) {
                Schema.Field field = schema.getFields().get(Integer.parseInt(tokens[i + 1]));
                path.append('.').append(field.name());
                schema = field.schema();
                i += 2;
            } else if (token.equals("type")) {
                i++;
            } else if (token.equals("items") && schema.getType() == Schema.Type.ARRAY) {
                path.append("[]");
                schema = schema.getElementType();
                i++;
            } else if (token.equals("values") && schema.getType() == Schema.Type.MAP) {
                path.append("{}");
                schema = schema.getValueType();
                i++;
            } else if (token.equals("symbols") || token.equals("size") || token.equals("name")) {
                path.append(' ').append(token);
                i++;
            } else {
                path.append(" (union branch ").append(token).append(" of the writer");
                for (i++; i < tokens.length; i++) {
                    path.append('/').append(tokens[i]);
                }
                path.append(')');
            }
        }
        return path.toString();
    }

    private static boolean isNamed(Schema s) {
        return s.getType() == Schema.Type.RECORD || s.getType() == Schema.Type.ENUM || s.getType() == Schema.Type.FIXED;
    }
}
