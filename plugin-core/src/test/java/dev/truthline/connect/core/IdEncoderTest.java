package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;


/** {@link IdEncoder}: which values are one id and which are not. */
class IdEncoderTest {

    private static long[] hash(Object... parts) {
        IdEncoder encoder = new IdEncoder();
        for (Object part : parts) {
            encoder.add(part);
        }
        return encoder.hash128();
    }

    private static void same(Object[] a, Object[] b) {
        assertThat(hash(a)).as("%s vs %s", Arrays.deepToString(a), Arrays.deepToString(b)).containsExactly(hash(b));
    }

    private static void differ(Object[] a, Object[] b) {
        assertThat(Arrays.equals(hash(a), hash(b))).as("%s vs %s", Arrays.deepToString(a), Arrays.deepToString(b))
                .isFalse();
    }

    private static Object[] of(Object... parts) {
        return parts;
    }

    @Test
    void hashIsDeterministicAnd128Bits() {
        long[] h = hash("abc", 5L);
        assertThat(h).hasSize(2).containsExactly(hash("abc", 5L));
        differ(of("abc", 5L), of("abc", 6L));
    }

    /**
     * Ids are remembered across versions (a window rebuilt from the log by a newer task, an audit of records
     * Deduplicate judged): the bytes of a map must not change with how they are written. Pinned hashes of a
     * one-entry map (the usual Debezium key, written without ordering) and of a two-entry one (ordered by key).
     */
    @Test
    void mapHashesArePinned() {
        assertThat(hash(Map.of("id", 5L))).containsExactly(0x49529ae98953710aL, 0xa3c6a068685cad95L);
        Map<String, Object> twoKeys = new LinkedHashMap<>();
        twoKeys.put("b", "x");
        twoKeys.put("a", 2L);
        assertThat(hash(twoKeys)).containsExactly(0xabe11ddd33e8e0fdL, 0xc02673ae34c00ecfL);
        differ(of(Map.of("id", 5L)), of(Map.of("id", 6L)));
        // Strings: ASCII written as read, the rest through UTF-8 encoding; both pinned.
        assertThat(hash("public", "orders", "[\"24023128\",\"24023256\"]", "u", ""))
                .containsExactly(0x354aa2f4881b5211L, 0xe7792e772e7a4e01L);
        assertThat(hash("café", "日本", "x\u0080y")).containsExactly(0x6882d89dc3ff8051L, 0xb9fd076e95941fb4L);
        differ(of(Map.of("id", 5L)), of(Map.of("key", 5L)));
    }

    @Test
    void integersOfAnyWidthAreEqual() {
        same(of(5), of(5L));
        same(of((short) 5), of(5L));
        same(of((byte) 5), of(5));
        same(of(-1), of(-1L));
        differ(of(5), of(6L));
    }

    @Test
    void decimalsCompareByValue() {
        same(of(new BigDecimal("1.50")), of(new BigDecimal("1.5")));
        same(of(new BigDecimal("0.00")), of(BigDecimal.ZERO));
        same(of(new BigDecimal("100")), of(new BigDecimal("1E+2")));
        same(of(new BigDecimal("-2.10")), of(new BigDecimal("-2.1")));
        differ(of(new BigDecimal("1.5")), of(new BigDecimal("1.51")));
        differ(of(new BigDecimal("15")), of(new BigDecimal("1.5")));
    }

    @Test
    void typesAreTellApart() {
        differ(of("5"), of(5L));
        differ(of(5L), of(5.0d));
        differ(of(new BigDecimal("5")), of(5L));
        differ(of(new Date(5)), of(5L));
        differ(of(true), of(1L));
        differ(of(new byte[] {5}), of("\u0005"));
        same(of(5.0f), of(5.0d));
        same(of(new Date(1234)), of(new Date(1234)));
    }

    @Test
    void nullAbsentAndEmptyDiffer() {
        differ(of((Object) null), of(FieldPath.ABSENT));
        differ(of((Object) null), of(""));
        differ(of(""), of(new byte[0]));
        differ(of((Object) null), of());
        same(of((Object) null), of((Object) null));
    }

    @Test
    void adjacentStringsDoNotRunTogether() {
        differ(of("ab", "c"), of("a", "bc"));
        differ(of("abc", ""), of("ab", "c"));
        differ(of("", "abc"), of("abc", ""));
        differ(of(new byte[] {1, 2}, new byte[] {3}), of(new byte[] {1}, new byte[] {2, 3}));
        same(of("ab", "c"), of("ab", "c"));
    }

    @Test
    void partOrderMatters() {
        differ(of("x", "y"), of("y", "x"));
        differ(of(List.of(1L, 2L)), of(List.of(2L, 1L)));
    }

    @Test
    void nestedListsKeepTheirShape() {
        differ(of(List.of(List.of(1L), 2L)), of(List.of(1L, List.of(2L))));
        differ(of(List.of(1L, 2L)), of(1L, 2L));
        same(of(List.of(1, 2)), of(List.of(1L, 2L)));
    }

    @Test
    void bytesAndByteBuffersAreEqualAndBufferIsNotConsumed() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
        buffer.get(); // position 1: the remaining bytes are the value
        same(of(buffer), of(new byte[] {1, 2, 3}));
        assertThat(buffer.position()).isEqualTo(1);
        assertThat(buffer.remaining()).isEqualTo(3);
    }

    @Test
    void mapsIgnoreEntryOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("x", 1L);
        a.put("y", "z");
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("y", "z");
        b.put("x", 1);
        same(of(a), of(b));
        b.put("w", null);
        differ(of(a), of(b));
    }

    @Test
    void structAndMapWithSameContentDiffer() {
        Schema schema = SchemaBuilder.struct().field("x", Schema.INT64_SCHEMA).build();
        Struct struct = new Struct(schema).put("x", 1L);
        differ(of(struct), of(Map.of("x", 1L)));
    }

    @Test
    void structsCompareByFieldNamesAndValues() {
        Schema s1 = SchemaBuilder.struct().name("A").field("x", Schema.INT64_SCHEMA).field("y", Schema.STRING_SCHEMA)
                .build();
        Schema s2 = SchemaBuilder.struct().name("B").field("x", Schema.INT32_SCHEMA).field("y", Schema.STRING_SCHEMA)
                .build();
        Schema renamed = SchemaBuilder.struct().field("xx", Schema.INT64_SCHEMA).field("y", Schema.STRING_SCHEMA)
                .build();
        same(of(new Struct(s1).put("x", 1L).put("y", "a")), of(new Struct(s2).put("x", 1).put("y", "a")));
        differ(of(new Struct(s1).put("x", 1L).put("y", "a")), of(new Struct(renamed).put("xx", 1L).put("y", "a")));
        differ(of(new Struct(s1).put("x", 1L).put("y", "a")), of(new Struct(s1).put("x", 1L).put("y", "b")));
    }

    @Test
    void longValuesGrowTheBuffer() {
        String big = "x".repeat(10_000);
        same(of(big, big), of(big, big));
        differ(of(big + "a"), of(big + "b"));
    }

    @Test
    void resetStartsOver() {
        IdEncoder encoder = new IdEncoder();
        encoder.add("junk").add(42L);
        long[] afterReset = encoder.reset().add("id").hash128();
        assertThat(afterReset).containsExactly(hash("id"));
    }

    @Test
    void otherTypesUseTheirText() {
        same(of(new StringBuilder("abc")), of(new StringBuilder("abc")));
        differ(of(new StringBuilder("abc")), of("abc"));
    }
}
