package dev.truthline.connect.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;

import org.apache.kafka.connect.errors.DataException;

/**
 * The plaintext a reversible method encrypts: one type tag byte, then the value. The tag lets a value come back
 * with its own type (an int64 customer id is revealed as a Long), with or without a schema.
 * Tokens are therefore equal for equal values of the same type: the string "42" and the number 42 differ.
 */
final class ValueCodec {

    private static final byte STRING = 'S';
    private static final byte INT8 = 'b';
    private static final byte INT16 = 'h';
    private static final byte INT32 = 'i';
    private static final byte INT64 = 'l';
    private static final byte FLOAT32 = 'f';
    private static final byte FLOAT64 = 'd';
    private static final byte BOOLEAN = 'z';
    private static final byte BYTES = 'B';
    /** {@link BigDecimal}: 4 bytes of scale, then the unscaled value in two's complement. */
    private static final byte DECIMAL = 'D';
    /** {@link Date} (Connect's Date, Time and Timestamp): epoch milliseconds. */
    private static final byte DATE = 'T';

    private ValueCodec() {
    }

    /**
     * @throws DataException for a struct, array, map or an unknown class: {@code path} names the field
     */
    static byte[] encode(Object value, String path) {
        if (value instanceof String) {
            byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
            return tagged(STRING, utf8.length).put(utf8).array();
        }
        if (value instanceof Long) {
            return tagged(INT64, 8).putLong((Long) value).array();
        }
        if (value instanceof Integer) {
            return tagged(INT32, 4).putInt((Integer) value).array();
        }
        if (value instanceof Short) {
            return tagged(INT16, 2).putShort((Short) value).array();
        }
        if (value instanceof Byte) {
            return tagged(INT8, 1).put((Byte) value).array();
        }
        if (value instanceof Double) {
            return tagged(FLOAT64, 8).putDouble((Double) value).array();
        }
        if (value instanceof Float) {
            return tagged(FLOAT32, 4).putFloat((Float) value).array();
        }
        if (value instanceof Boolean) {
            return tagged(BOOLEAN, 1).put((byte) ((Boolean) value ? 1 : 0)).array();
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            byte[] bytes = bytes(value);
            return tagged(BYTES, bytes.length).put(bytes).array();
        }
        if (value instanceof BigDecimal) {
            BigDecimal decimal = (BigDecimal) value;
            byte[] unscaled = decimal.unscaledValue().toByteArray();
            return tagged(DECIMAL, 4 + unscaled.length).putInt(decimal.scale()).put(unscaled).array();
        }
        if (value instanceof Date) {
            return tagged(DATE, 8).putLong(((Date) value).getTime()).array();
        }
        throw new DataException("Field " + path + " holds a " + kind(value)
                + ", which cannot be protected as one value; name its fields (" + path + ".<field>) or elements ("
                + path + "[*])");
    }

    /** @throws DataException when the bytes are not an encoded value */
    static Object decode(byte[] plain, String path) {
        if (plain.length == 0) {
            throw notEncoded(path);
        }
        ByteBuffer in = ByteBuffer.wrap(plain, 1, plain.length - 1);
        int size = plain.length - 1;
        switch (plain[0]) {
            case STRING:
                return new String(plain, 1, size, StandardCharsets.UTF_8);
            case INT64:
                return size == 8 ? in.getLong() : fail(path);
            case INT32:
                return size == 4 ? in.getInt() : fail(path);
            case INT16:
                return size == 2 ? in.getShort() : fail(path);
            case INT8:
                return size == 1 ? in.get() : fail(path);
            case FLOAT64:
                return size == 8 ? in.getDouble() : fail(path);
            case FLOAT32:
                return size == 4 ? in.getFloat() : fail(path);
            case BOOLEAN:
                return size == 1 ? plain[1] != 0 : fail(path);
            case BYTES: {
                byte[] bytes = new byte[size];
                in.get(bytes);
                return bytes;
            }
            case DECIMAL: {
                if (size < 5) {
                    return fail(path);
                }
                int scale = in.getInt();
                byte[] unscaled = new byte[size - 4];
                in.get(unscaled);
                return new BigDecimal(new BigInteger(unscaled), scale);
            }
            case DATE:
                return size == 8 ? new Date(in.getLong()) : fail(path);
            default:
                throw notEncoded(path);
        }
    }

    static byte[] bytes(Object value) {
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static String kind(Object value) {
        if (value instanceof org.apache.kafka.connect.data.Struct || value instanceof java.util.Map) {
            return "struct or map";
        }
        if (value instanceof java.util.List) {
            return "array";
        }
        return value.getClass().getSimpleName();
    }

    private static ByteBuffer tagged(byte tag, int size) {
        return ByteBuffer.allocate(1 + size).put(tag);
    }

    private static Object fail(String path) {
        throw notEncoded(path);
    }

    private static DataException notEncoded(String path) {
        return new DataException("Field " + path + " decrypts to bytes that are not a protected value");
    }
}
