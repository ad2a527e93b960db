package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;

/**
 * Presents Connect data to CEL. Structs, maps and lists become read-only views that convert a
 * field only when the expression reads it, so an expression over two fields of a wide row pays
 * for two fields. Numbers become CEL's {@code int} (long) and {@code double}; a {@code Decimal}
 * becomes a double; dates and timestamps become CEL timestamps; null becomes CEL's {@code null}.
 */
final class CelValues {

    private CelValues() {
    }

    static Object of(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof Struct) {
            return new StructView((Struct) value);
        }
        if (value instanceof Map) {
            return new MapView((Map<?, ?>) value);
        }
        if (value instanceof List) {
            return new ListView((List<?>) value);
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).doubleValue();
        }
        if (value instanceof BigInteger) {
            return ((BigInteger) value).doubleValue();
        }
        if (value instanceof byte[]) {
            return CelByteString.of((byte[]) value);
        }
        if (value instanceof ByteBuffer) {
            ByteBuffer copy = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return CelByteString.of(bytes);
        }
        if (value instanceof Date) {
            return ((Date) value).toInstant();
        }
        return value.toString();
    }

    /** The headers as a map from name to the last value with that name. */
    static Map<Object, Object> headers(Headers headers) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (headers != null) {
            for (Header header : headers) {
                map.put(header.key(), header.value());
            }
        }
        return new MapView(map);
    }

    private static final class StructView extends AbstractMap<String, Object> {
        private final Struct struct;

        StructView(Struct struct) {
            this.struct = struct;
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String)) {
                return null;
            }
            Field field = struct.schema().field((String) key);
            return field == null ? null : of(struct.get(field));
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && struct.schema().field((String) key) != null;
        }

        @Override
        public int size() {
            return struct.schema().fields().size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> all = new LinkedHashMap<>();
            for (Field field : struct.schema().fields()) {
                all.put(field.name(), of(struct.get(field)));
            }
            return all.entrySet();
        }
    }

    private static final class MapView extends AbstractMap<Object, Object> {
        private final Map<?, ?> map;

        MapView(Map<?, ?> map) {
            this.map = map;
        }

        @Override
        public Object get(Object key) {
            Object value = map.get(key);
            if (value == null && !map.containsKey(key)) {
                return null;
            }
            return of(value);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            Map<Object, Object> all = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                all.put(of(e.getKey()), of(e.getValue()));
            }
            return all.entrySet();
        }
    }

    private static final class ListView extends AbstractList<Object> {
        private final List<?> list;

        ListView(List<?> list) {
            this.list = list;
        }

        @Override
        public Object get(int index) {
            return of(list.get(index));
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
