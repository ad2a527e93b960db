package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

    /** What a visitor saw: the value and the rendered field name. */
    private record Visit(Object value, String field) {
    }

    private static List<Visit> visits(FieldPath path, Object root) {
        List<Visit> seen = new ArrayList<>();
        path.forEach(root, (value, indices) -> seen.add(new Visit(value, path.render(indices))));
        return seen;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address").optional()
            .field("country", Schema.OPTIONAL_STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema ITEM = SchemaBuilder.struct().name("Item").optional()
            .field("sku", Schema.OPTIONAL_STRING_SCHEMA)
            .field("qty", Schema.OPTIONAL_INT32_SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .build();
    private static final Schema ORDER = SchemaBuilder.struct().name("Order")
            .field("id", Schema.STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("address", ADDRESS)
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("grid", SchemaBuilder.array(SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
                    .optional().build())
            .field("price", Decimal.builder(2).optional().build())
            .build();

    private static Struct item(String sku, Integer qty, List<String> tags) {
        return new Struct(ITEM).put("sku", sku).put("qty", qty).put("tags", tags);
    }

    @Nested
    class Parsing {

        @ParameterizedTest
        @ValueSource(strings = {"a", "a.b", "customer.address.country", "items[*]", "items[*].qty", "grid[*][*]",
                "items[*].tags[*]", "a_b-c.d1", "orders[*].lines[*].qty"})
        void acceptsWellFormedPaths(String text) {
            FieldPath path = FieldPath.parse(text);
            assertThat(path.toString()).isEqualTo(text);
        }

        @Test
        void splitsNamesAndCountsWildcards() {
            FieldPath path = FieldPath.parse("items[*].tags[*]");
            assertThat(path.names()).containsExactly("items", "tags");
            assertThat(path.hasWildcard()).isTrue();

            FieldPath plain = FieldPath.parse("customer.address.country");
            assertThat(plain.names()).containsExactly("customer", "address", "country");
            assertThat(plain.hasWildcard()).isFalse();

            assertThat(FieldPath.parse("grid[*][*]").names()).containsExactly("grid");
        }

        @Test
        void trimsSurroundingWhitespace() {
            FieldPath path = FieldPath.parse("  a.b  ");
            assertThat(path.toString()).isEqualTo("a.b");
            assertThat(path.names()).containsExactly("a", "b");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {" ", "\t"})
        void rejectsEmptyPaths(String text) {
            assertThatThrownBy(() -> FieldPath.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a field path must not be empty");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "a..b       | field path 'a..b' has an empty name at segment 2",
                ".a         | field path '.a' has an empty name at segment 1",
                "a.         | field path 'a.' has an empty name at segment 2",
                "[*]        | field path '[*]' has an empty name at segment 1",
                "a.[*].b    | field path 'a.[*].b' has an empty name at segment 2",
        })
        void rejectsEmptySegments(String text, String message) {
            assertThatThrownBy(() -> FieldPath.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "a[0]        | field path 'a[0]' has a bracket that is not '[*]' in segment 'a[0]'",
                "a[*]b       | field path 'a[*]b' has a bracket that is not '[*]' in segment 'a[*]b'",
                "a[]         | field path 'a[]' has a bracket that is not '[*]' in segment 'a[]'",
                "x.a[        | field path 'x.a[' has a bracket that is not '[*]' in segment 'a['",
                "a]          | field path 'a]' has a bracket that is not '[*]' in segment 'a]'",
                "a[*].b[1].c | field path 'a[*].b[1].c' has a bracket that is not '[*]' in segment 'b[1]'",
                "a[ * ]      | field path 'a[ * ]' has a bracket that is not '[*]' in segment 'a[ * ]'",
        })
        void rejectsStrayBrackets(String text, String message) {
            assertThatThrownBy(() -> FieldPath.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        void equalityFollowsTheText() {
            assertThat(FieldPath.parse("a.b")).isEqualTo(FieldPath.parse(" a.b "))
                    .hasSameHashCodeAs(FieldPath.parse("a.b"))
                    .isNotEqualTo(FieldPath.parse("a.c"));
        }
    }

    @Nested
    class GetOnStruct {

        private final Struct order = new Struct(ORDER)
                .put("id", "o-1")
                .put("note", null)
                .put("address", new Struct(ADDRESS).put("country", "DE"))
                .put("attributes", Map.of("channel", "web"));

        @Test
        void present() {
            assertThat(FieldPath.parse("id").get(order)).isEqualTo("o-1");
        }

        @Test
        void nested() {
            assertThat(FieldPath.parse("address.country").get(order)).isEqualTo("DE");
        }

        @Test
        void presentButNullIsNull() {
            assertThat(FieldPath.parse("note").get(order)).isNull();
            assertThat(FieldPath.parse("address.zip").get(order)).isNull();
        }

        @Test
        void absentFieldIsAbsent() {
            assertThat(FieldPath.parse("nope").get(order)).isSameAs(FieldPath.ABSENT);
            assertThat(FieldPath.parse("address.street").get(order)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void nullParentIsAbsent() {
            Struct noAddress = new Struct(ORDER).put("id", "o-2");
            assertThat(FieldPath.parse("address.country").get(noAddress)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void descendingIntoAScalarIsAbsent() {
            assertThat(FieldPath.parse("id.length").get(order)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void connectMapValuesAreWalkedLikeMaps() {
            assertThat(FieldPath.parse("attributes.channel").get(order)).isEqualTo("web");
            assertThat(FieldPath.parse("attributes.other").get(order)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void nullRootIsAbsent() {
            assertThat(FieldPath.parse("id").get(null)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void getRefusesWildcards() {
            assertThatThrownBy(() -> FieldPath.parse("items[*].qty").get(order))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("path items[*].qty has wildcards: use forEach");
        }
    }

    @Nested
    class GetOnMap {

        private final Map<String, Object> order = map(
                "id", "o-1",
                "note", null,
                "customer", map("email", "a@example.com", "phone", null, "address", map("country", "FR")),
                "nothing", null);

        @Test
        void present() {
            assertThat(FieldPath.parse("id").get(order)).isEqualTo("o-1");
        }

        @Test
        void nested() {
            assertThat(FieldPath.parse("customer.email").get(order)).isEqualTo("a@example.com");
            assertThat(FieldPath.parse("customer.address.country").get(order)).isEqualTo("FR");
        }

        @Test
        void presentButNullIsNull() {
            assertThat(FieldPath.parse("note").get(order)).isNull();
            assertThat(FieldPath.parse("customer.phone").get(order)).isNull();
        }

        @Test
        void absentKeyIsAbsent() {
            assertThat(FieldPath.parse("missing").get(order)).isSameAs(FieldPath.ABSENT);
            assertThat(FieldPath.parse("customer.fax").get(order)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void nullParentIsAbsent() {
            assertThat(FieldPath.parse("nothing.inside").get(order)).isSameAs(FieldPath.ABSENT);
            assertThat(FieldPath.parse("note.x.y").get(order)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void mapWithNullValuesPermitted() {
            Map<String, Object> hash = new HashMap<>();
            hash.put("k", null);
            assertThat(FieldPath.parse("k").get(hash)).isNull();
            assertThat(FieldPath.parse("j").get(hash)).isSameAs(FieldPath.ABSENT);
        }

        @Test
        void structInsideMapAndMapInsideStruct() {
            Map<String, Object> root = map("address", new Struct(ADDRESS).put("country", "IT"));
            assertThat(FieldPath.parse("address.country").get(root)).isEqualTo("IT");
        }
    }

    @Nested
    class ForEach {

        @Test
        void pathWithoutWildcardIsVisitedOnceWithNoIndices() {
            List<int[]> indices = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            FieldPath.parse("id").forEach(map("id", 7), (value, idx) -> {
                values.add(value);
                indices.add(idx.clone());
            });
            assertThat(values).containsExactly(7);
            assertThat(indices).hasSize(1);
            assertThat(indices.get(0)).isEmpty();
        }

        @Test
        void pathWithoutWildcardVisitsAbsentOnce() {
            FieldPath path = FieldPath.parse("nope");
            assertThat(visits(path, map("id", 7))).containsExactly(new Visit(FieldPath.ABSENT, "nope"));
        }

        @Test
        void everyElementOfAStructArray() {
            Struct order = new Struct(ORDER).put("id", "o")
                    .put("items", List.of(item("a", 1, null), item("b", null, null), item("c", 3, null)));
            FieldPath path = FieldPath.parse("items[*].qty");
            assertThat(visits(path, order)).containsExactly(
                    new Visit(1, "items[0].qty"),
                    new Visit(null, "items[1].qty"),
                    new Visit(3, "items[2].qty"));
        }

        @Test
        void everyElementOfAMapArray() {
            Map<String, Object> order = map("items", List.of(map("qty", 5), map("sku", "x"), map("qty", null)));
            FieldPath path = FieldPath.parse("items[*].qty");
            assertThat(visits(path, order)).containsExactly(
                    new Visit(5, "items[0].qty"),
                    new Visit(FieldPath.ABSENT, "items[1].qty"),
                    new Visit(null, "items[2].qty"));
        }

        @Test
        void theElementsThemselves() {
            Map<String, Object> root = map("tags", Arrays.asList("a", null, "c"));
            assertThat(visits(FieldPath.parse("tags[*]"), root)).containsExactly(
                    new Visit("a", "tags[0]"), new Visit(null, "tags[1]"), new Visit("c", "tags[2]"));
        }

        @Test
        void nullElementHasNoChildren() {
            Map<String, Object> root = map("items", Arrays.asList(map("qty", 1), null));
            assertThat(visits(FieldPath.parse("items[*].qty"), root)).containsExactly(
                    new Visit(1, "items[0].qty"), new Visit(FieldPath.ABSENT, "items[1].qty"));
        }

        @Test
        void emptyArrayIsNotVisited() {
            assertThat(visits(FieldPath.parse("items[*].qty"), map("items", List.of()))).isEmpty();
        }

        @Test
        void nestedArraysOfArrays() {
            Struct order = new Struct(ORDER).put("id", "o")
                    .put("grid", List.of(List.of(1, 2), List.of(), Arrays.asList(3, null, 5)));
            FieldPath path = FieldPath.parse("grid[*][*]");
            assertThat(visits(path, order)).containsExactly(
                    new Visit(1, "grid[0][0]"),
                    new Visit(2, "grid[0][1]"),
                    new Visit(3, "grid[2][0]"),
                    new Visit(null, "grid[2][1]"),
                    new Visit(5, "grid[2][2]"));
        }

        @Test
        void innerArrayMissingOrNotAListInNestedArrays() {
            Map<String, Object> root = map("grid", Arrays.asList(List.of(1), null, "x"));
            assertThat(visits(FieldPath.parse("grid[*][*]"), root)).containsExactly(
                    new Visit(1, "grid[0][0]"),
                    new Visit(FieldPath.ABSENT, "grid[1][*]"),
                    new Visit(FieldPath.ABSENT, "grid[2][*]"));
        }

        @Test
        void arraysInsideArrayElements() {
            Struct order = new Struct(ORDER).put("id", "o").put("items", List.of(
                    item("a", 1, List.of("red", "big")),
                    item("b", 1, null),
                    item("c", 1, List.of()),
                    item("d", 1, List.of("x"))));
            FieldPath path = FieldPath.parse("items[*].tags[*]");
            assertThat(visits(path, order)).containsExactly(
                    new Visit("red", "items[0].tags[0]"),
                    new Visit("big", "items[0].tags[1]"),
                    new Visit(FieldPath.ABSENT, "items[1].tags[*]"),
                    new Visit("x", "items[3].tags[0]"));
        }

        @Test
        void arraysInsideArrayElementsSchemaless() {
            Map<String, Object> root = map("orders", List.of(
                    map("lines", List.of(map("qty", 1), map("qty", 2))),
                    map("lines", List.of(map("qty", 3)))));
            assertThat(visits(FieldPath.parse("orders[*].lines[*].qty"), root)).containsExactly(
                    new Visit(1, "orders[0].lines[0].qty"),
                    new Visit(2, "orders[0].lines[1].qty"),
                    new Visit(3, "orders[1].lines[0].qty"));
        }

        @Test
        void missingArrayIsVisitedOnceAsAbsent() {
            assertThat(visits(FieldPath.parse("items[*].qty"), map("id", 1)))
                    .containsExactly(new Visit(FieldPath.ABSENT, "items[*].qty"));
            Struct order = new Struct(ORDER).put("id", "o");
            assertThat(visits(FieldPath.parse("items[*].qty"), order))
                    .containsExactly(new Visit(FieldPath.ABSENT, "items[*].qty"));
        }

        @Test
        void nullArrayIsVisitedOnceAsAbsent() {
            assertThat(visits(FieldPath.parse("items[*].qty"), map("items", null)))
                    .containsExactly(new Visit(FieldPath.ABSENT, "items[*].qty"));
        }

        @Test
        void nonListIsVisitedOnceAsAbsent() {
            assertThat(visits(FieldPath.parse("items[*].qty"), map("items", "not a list")))
                    .containsExactly(new Visit(FieldPath.ABSENT, "items[*].qty"));
            assertThat(visits(FieldPath.parse("items[*].qty"), map("items", map("qty", 1))))
                    .containsExactly(new Visit(FieldPath.ABSENT, "items[*].qty"));
            assertThat(visits(FieldPath.parse("grid[*][*]"), map("grid", 5)))
                    .containsExactly(new Visit(FieldPath.ABSENT, "grid[*][*]"));
        }

        @Test
        void missingParentOfTheArrayIsVisitedOnceAsAbsent() {
            assertThat(visits(FieldPath.parse("order.items[*].qty"), map("order", null)))
                    .containsExactly(new Visit(FieldPath.ABSENT, "order.items[*].qty"));
        }

        @Test
        void indicesAreInPathOrder() {
            Map<String, Object> root = map("a", List.of(map("b", List.of(10, 11)), map("b", List.of(12))));
            List<String> seen = new ArrayList<>();
            FieldPath.parse("a[*].b[*]").forEach(root, (value, idx) -> seen.add(value + "@" + Arrays.toString(idx)));
            assertThat(seen).containsExactly("10@[0, 0]", "11@[0, 1]", "12@[1, 0]");
        }
    }

    @Nested
    class Render {

        @Test
        void withoutWildcardsIsThePath() {
            assertThat(FieldPath.parse("a.b").render(new int[0])).isEqualTo("a.b");
        }

        @Test
        void replacesEachWildcardWithItsIndex() {
            assertThat(FieldPath.parse("items[*].qty").render(new int[] {2})).isEqualTo("items[2].qty");
            assertThat(FieldPath.parse("grid[*][*]").render(new int[] {1, 3})).isEqualTo("grid[1][3]");
            assertThat(FieldPath.parse("items[*].tags[*]").render(new int[] {0, 12})).isEqualTo("items[0].tags[12]");
            assertThat(FieldPath.parse("a.b[*].c").render(new int[] {7})).isEqualTo("a.b[7].c");
        }

        @Test
        void keepsWildcardsFromAMissingArrayOn() {
            assertThat(FieldPath.parse("items[*].qty").render(new int[] {-1})).isEqualTo("items[*].qty");
            assertThat(FieldPath.parse("items[*].tags[*]").render(new int[] {4, -1})).isEqualTo("items[4].tags[*]");
            assertThat(FieldPath.parse("items[*].tags[*]").render(new int[] {-1, 0})).isEqualTo("items[*].tags[*]");
            assertThat(FieldPath.parse("grid[*][*]").render(new int[] {-1, 5})).isEqualTo("grid[*][*]");
            assertThat(FieldPath.parse("grid[*][*]").render(new int[] {2, -1})).isEqualTo("grid[2][*]");
        }
    }

    @Nested
    class LeafSchema {

        @Test
        void topLevelAndNested() {
            assertThat(FieldPath.parse("id").leafSchema(ORDER)).isSameAs(Schema.STRING_SCHEMA);
            assertThat(FieldPath.parse("address").leafSchema(ORDER)).isSameAs(ADDRESS);
            assertThat(FieldPath.parse("address.country").leafSchema(ORDER)).isSameAs(Schema.OPTIONAL_STRING_SCHEMA);
        }

        @Test
        void logicalTypesKeepTheirName() {
            assertThat(FieldPath.parse("price").leafSchema(ORDER).name()).isEqualTo(Decimal.LOGICAL_NAME);
        }

        @Test
        void throughArrays() {
            assertThat(FieldPath.parse("items[*]").leafSchema(ORDER)).isSameAs(ITEM);
            assertThat(FieldPath.parse("items[*].qty").leafSchema(ORDER)).isSameAs(Schema.OPTIONAL_INT32_SCHEMA);
            assertThat(FieldPath.parse("items[*].tags[*]").leafSchema(ORDER)).isSameAs(Schema.OPTIONAL_STRING_SCHEMA);
            assertThat(FieldPath.parse("grid[*][*]").leafSchema(ORDER)).isSameAs(Schema.OPTIONAL_INT32_SCHEMA);
            assertThat(FieldPath.parse("grid[*]").leafSchema(ORDER).type()).isEqualTo(Schema.Type.ARRAY);
            assertThat(FieldPath.parse("items").leafSchema(ORDER).type()).isEqualTo(Schema.Type.ARRAY);
        }

        @Test
        void throughConnectMaps() {
            assertThat(FieldPath.parse("attributes.anything").leafSchema(ORDER)).isSameAs(Schema.OPTIONAL_STRING_SCHEMA);
        }

        @Test
        void nullWhenThePathLeavesTheSchema() {
            assertThat(FieldPath.parse("nope").leafSchema(ORDER)).isNull();
            assertThat(FieldPath.parse("address.street").leafSchema(ORDER)).isNull();
            assertThat(FieldPath.parse("id.inner").leafSchema(ORDER)).isNull();
            assertThat(FieldPath.parse("id[*]").leafSchema(ORDER)).isNull();
            assertThat(FieldPath.parse("items.qty").leafSchema(ORDER)).isNull();
            assertThat(FieldPath.parse("grid[*][*][*]").leafSchema(ORDER)).isNull();
        }

        @Test
        void nullWithoutARootSchema() {
            assertThat(FieldPath.parse("id").leafSchema(null)).isNull();
        }
    }
}
