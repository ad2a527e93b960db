package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.truthline.connect.core.ChangeEvent.Kind;
import dev.truthline.connect.harness.DebeziumEnvelopes;

class ChangeEventTest {

    private static final Schema ROW = DebeziumEnvelopes.ROW;
    private static final Schema SOURCE = DebeziumEnvelopes.SOURCE;
    private static final Schema ENVELOPE = DebeziumEnvelopes.ENVELOPE;
    private static final Struct SOURCE_BLOCK = DebeziumEnvelopes.change("c", 1).struct().getStruct("source");

    private static final Struct BEFORE = new Struct(ROW).put("id", 1L).put("status", "old");
    private static final Struct AFTER = new Struct(ROW).put("id", 1L).put("status", "new");

    private static Struct structEvent(String op) {
        return new Struct(ENVELOPE).put("before", BEFORE).put("after", AFTER)
                .put("source", SOURCE_BLOCK).put("op", op);
    }

    private static Map<String, Object> mapEvent(Object op) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("before", Map.of("id", 1L, "status", "old"));
        event.put("after", Map.of("id", 1L, "status", "new"));
        event.put("source", Map.of("connector", "postgresql"));
        event.put("op", op);
        return event;
    }

    @ParameterizedTest
    @CsvSource({"c, ROW_AFTER", "r, ROW_AFTER", "u, ROW_AFTER", "d, ROW_BEFORE", "t, NO_ROW", "m, NO_ROW",
            "x, NO_ROW", "'', NO_ROW", "C, NO_ROW"})
    void structEnvelopeKinds(String op, Kind expected) {
        assertThat(ChangeEvent.kindOf(structEvent(op))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"c, ROW_AFTER", "r, ROW_AFTER", "u, ROW_AFTER", "d, ROW_BEFORE", "t, NO_ROW", "m, NO_ROW",
            "x, NO_ROW"})
    void mapEnvelopeKinds(String op, Kind expected) {
        assertThat(ChangeEvent.kindOf(mapEvent(op))).isEqualTo(expected);
    }

    @Test
    void mapEnvelopeWithNullOrNonStringOpHasNoRow() {
        assertThat(ChangeEvent.kindOf(mapEvent(null))).isEqualTo(Kind.NO_ROW);
        assertThat(ChangeEvent.kindOf(mapEvent(1))).isEqualTo(Kind.NO_ROW);
    }

    @Test
    void structEnvelopeWithNullOpHasNoRow() {
        Schema optionalOp = SchemaBuilder.struct()
                .field("before", ROW).field("after", ROW).field("source", SOURCE)
                .field("op", Schema.OPTIONAL_STRING_SCHEMA).build();
        Struct event = new Struct(optionalOp).put("after", AFTER)
                .put("source", SOURCE_BLOCK);
        assertThat(ChangeEvent.kindOf(event)).isEqualTo(Kind.NO_ROW);
    }

    @Test
    void truncateAndMessageEventsCarryNoImage() {
        Struct truncate = new Struct(ENVELOPE).put("source", SOURCE_BLOCK).put("op", "t");
        assertThat(ChangeEvent.kindOf(truncate)).isEqualTo(Kind.NO_ROW);
        assertThat(ChangeEvent.rowImage(truncate, Kind.NO_ROW)).isNull();
        assertThat(ChangeEvent.rowImage(mapEvent("m"), Kind.NO_ROW)).isNull();
        assertThat(ChangeEvent.rowImage(truncate, Kind.NOT_AN_ENVELOPE)).isNull();
    }

    @Test
    void envelopeWithOnlyOneImageFieldIsStillAnEnvelope() {
        Map<String, Object> onlyBefore = new HashMap<>(mapEvent("d"));
        onlyBefore.remove("after");
        assertThat(ChangeEvent.kindOf(onlyBefore)).isEqualTo(Kind.ROW_BEFORE);
        assertThat(ChangeEvent.rowImage(onlyBefore, Kind.ROW_AFTER)).isNull();

        Map<String, Object> onlyAfter = new HashMap<>(mapEvent("c"));
        onlyAfter.remove("before");
        assertThat(ChangeEvent.kindOf(onlyAfter)).isEqualTo(Kind.ROW_AFTER);

        Schema afterOnly = SchemaBuilder.struct().field("after", ROW).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).build();
        Struct event = new Struct(afterOnly).put("after", AFTER)
                .put("source", SOURCE_BLOCK).put("op", "d");
        assertThat(ChangeEvent.isEnvelopeSchema(afterOnly)).isTrue();
        assertThat(ChangeEvent.kindOf(event)).isEqualTo(Kind.ROW_BEFORE);
        assertThat(ChangeEvent.rowImage(event, Kind.ROW_BEFORE)).isNull();
    }

    @Test
    void mapsThatAreNotEnvelopes() {
        assertThat(ChangeEvent.kindOf(Map.of("id", 1, "op", "c"))).isEqualTo(Kind.NOT_AN_ENVELOPE);
        Map<String, Object> noSource = new HashMap<>(mapEvent("c"));
        noSource.remove("source");
        assertThat(ChangeEvent.kindOf(noSource)).isEqualTo(Kind.NOT_AN_ENVELOPE);
        Map<String, Object> noOp = new HashMap<>(mapEvent("c"));
        noOp.remove("op");
        assertThat(ChangeEvent.kindOf(noOp)).isEqualTo(Kind.NOT_AN_ENVELOPE);
        Map<String, Object> noImages = new HashMap<>(mapEvent("c"));
        noImages.remove("before");
        noImages.remove("after");
        assertThat(ChangeEvent.kindOf(noImages)).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.kindOf(Map.of())).isEqualTo(Kind.NOT_AN_ENVELOPE);
    }

    @Test
    void structsThatAreNotEnvelopes() {
        Schema plain = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("op", Schema.STRING_SCHEMA).build();
        assertThat(ChangeEvent.kindOf(new Struct(plain).put("id", 1L).put("op", "c"))).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.isEnvelopeSchema(plain)).isFalse();

        Schema noSource = SchemaBuilder.struct().field("before", ROW).field("after", ROW)
                .field("op", Schema.STRING_SCHEMA).build();
        assertThat(ChangeEvent.kindOf(new Struct(noSource).put("op", "c"))).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.isEnvelopeSchema(noSource)).isFalse();

        Schema noImages = SchemaBuilder.struct().field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
        assertThat(ChangeEvent.isEnvelopeSchema(noImages)).isFalse();
        assertThat(ChangeEvent.isEnvelopeSchema(ENVELOPE)).isTrue();
        assertThat(ChangeEvent.isEnvelopeSchema(null)).isFalse();
        assertThat(ChangeEvent.isEnvelopeSchema(Schema.STRING_SCHEMA)).isFalse();
    }

    @Test
    void otherValuesAreNotEnvelopes() {
        assertThat(ChangeEvent.kindOf(null)).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.kindOf("c")).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.kindOf(42L)).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.kindOf(List.of(mapEvent("c")))).isEqualTo(Kind.NOT_AN_ENVELOPE);
        assertThat(ChangeEvent.kindOf(new byte[] {1})).isEqualTo(Kind.NOT_AN_ENVELOPE);
    }

    @Test
    void rowImageOfStructEnvelopes() {
        Struct event = structEvent("u");
        assertThat(ChangeEvent.rowImage(event, Kind.ROW_AFTER)).isSameAs(AFTER);
        assertThat(ChangeEvent.rowImage(event, Kind.ROW_BEFORE)).isSameAs(BEFORE);
        Struct delete = new Struct(ENVELOPE).put("before", BEFORE)
                .put("source", SOURCE_BLOCK).put("op", "d");
        assertThat(ChangeEvent.rowImage(delete, ChangeEvent.kindOf(delete))).isSameAs(BEFORE);
        assertThat(ChangeEvent.rowImage(delete, Kind.ROW_AFTER)).isNull();
    }

    @Test
    void rowImageOfMapEnvelopes() {
        Map<String, Object> event = mapEvent("u");
        assertThat(ChangeEvent.rowImage(event, Kind.ROW_AFTER)).isEqualTo(Map.of("id", 1L, "status", "new"));
        assertThat(ChangeEvent.rowImage(event, Kind.ROW_BEFORE)).isEqualTo(Map.of("id", 1L, "status", "old"));
        Map<String, Object> create = mapEvent("c");
        create.put("before", null);
        assertThat(ChangeEvent.rowImage(create, Kind.ROW_BEFORE)).isNull();
    }

    @Test
    void rowSchema() {
        assertThat(ChangeEvent.rowSchema(ENVELOPE, Kind.ROW_AFTER)).isSameAs(ROW);
        assertThat(ChangeEvent.rowSchema(ENVELOPE, Kind.ROW_BEFORE)).isSameAs(ROW);
        assertThat(ChangeEvent.rowSchema(null, Kind.ROW_AFTER)).isNull();
        assertThat(ChangeEvent.rowSchema(Schema.STRING_SCHEMA, Kind.ROW_AFTER)).isNull();

        Schema distinct = SchemaBuilder.struct()
                .field("before", SchemaBuilder.struct().name("B").optional().field("x", Schema.INT32_SCHEMA).build())
                .field("after", SchemaBuilder.struct().name("A").optional().field("y", Schema.INT32_SCHEMA).build())
                .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
        assertThat(ChangeEvent.rowSchema(distinct, Kind.ROW_BEFORE).name()).isEqualTo("B");
        assertThat(ChangeEvent.rowSchema(distinct, Kind.ROW_AFTER).name()).isEqualTo("A");

        Schema afterOnly = SchemaBuilder.struct().field("after", ROW).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).build();
        assertThat(ChangeEvent.rowSchema(afterOnly, Kind.ROW_BEFORE)).isNull();
    }
}
