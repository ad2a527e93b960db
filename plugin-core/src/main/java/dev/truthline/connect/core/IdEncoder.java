package dev.truthline.connect.core;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;


/**
 * Writes Connect values as canonical bytes and hashes them to 128 bits (MurmurHash3 x64). Equal ids
 * give equal bytes whatever their representation: any integer type is a long (so a JSON number and
 * an INT32 field agree), a decimal is its plain text without trailing zeros, a struct is its field
 * names and values in schema order, a map is its entries in key order.
 *
 * <p>Not thread-safe; create one per use or per thread.
 */
public final class IdEncoder {

    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte STRING = 3;
    private static final byte BOOLEAN = 4;
    private static final byte BYTES = 5;
    private static final byte DECIMAL = 6;
    private static final byte STRUCT = 7;
    private static final byte MAP = 8;
    private static final byte LIST = 9;
    private static final byte DATE = 10;
    private static final byte OTHER = 11;
    private static final byte ABSENT = 12;

    private byte[] buffer = new byte[128];
    private int length;

    public IdEncoder reset() {
        length = 0;
        return this;
    }

    /** Appends a value (ABSENT and null are distinct). */
    public IdEncoder add(Object value) {
        if (value == FieldPath.ABSENT) {
            writeByte(ABSENT);
        } else if (value == null) {
            writeByte(NULL);
        } else if (value instanceof String) {
            writeByte(STRING);
            writeString((String) value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeByte(LONG);
            writeLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            writeByte(DOUBLE);
            writeLong(Double.doubleToLongBits(((Number) value).doubleValue()));
        } else if (value instanceof Boolean) {
            writeByte(BOOLEAN);
            writeByte((Boolean) value ? (byte) 1 : (byte) 0);
        } else if (value instanceof BigDecimal) {
            writeByte(DECIMAL);
            BigDecimal d = (BigDecimal) value;
            writeBytes((d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString()).getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[]) {
            writeByte(BYTES);
            writeBytes((byte[]) value);
        } else if (value instanceof ByteBuffer) {
            ByteBuffer copy = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            writeByte(BYTES);
            writeBytes(bytes);
        } else if (value instanceof Struct) {
            Struct struct = (Struct) value;
            List<Field> fields = struct.schema().fields();
            writeByte(STRUCT);
            writeInt(fields.size());
            for (Field field : fields) {
                writeBytes(field.name().getBytes(StandardCharsets.UTF_8));
                add(struct.get(field));
            }
        } else if (value instanceof Map) {
            addMap((Map<?, ?>) value);
        } else if (value instanceof List) {
            List<?> list = (List<?>) value;
            writeByte(LIST);
            writeInt(list.size());
            for (Object element : list) {
                add(element);
            }
        } else if (value instanceof Date) {
            writeByte(DATE);
            writeLong(((Date) value).getTime());
        } else {
            writeByte(OTHER);
            writeBytes(value.toString().getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    private void addMap(Map<?, ?> map) {
        writeByte(MAP);
        writeInt(map.size());
        if (map.size() == 1) {
            // A key of one column (the usual Debezium key): nothing to order, so nothing to copy.
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            add(only.getKey());
            add(only.getValue());
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
        for (Map.Entry<?, ?> e : entries) {
            add(e.getKey());
            add(e.getValue());
        }
    }

    /** The 128-bit hash of what was added, as {hi, lo}. */
    public long[] hash128() {
        return MurmurHash3.hash128x64(buffer, 0, length, 0x7275_7468);
    }

    private void writeByte(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void writeInt(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (v >>> shift);
        }
    }

    /**
     * A string's UTF-8 bytes, length-prefixed. ASCII text (names, LSNs, ops) is written as it is read, without
     * the array {@code getBytes} would make: for ASCII the bytes are the same.
     */
    private void writeString(String s) {
        int n = s.length();
        ensure(4 + n);
        int at = length + 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                writeBytes(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            buffer[at + i] = (byte) c;
        }
        writeInt(n);
        length += n;
    }

    /** Length-prefixed, so adjacent values cannot run into each other. */
    private void writeBytes(byte[] bytes) {
        writeInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
