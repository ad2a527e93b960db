package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** One text per value whichever side read it: a record key, the source database, the warehouse. */
class CanonicalTextTest {

    @Test
    void theSameValueReadAsDifferentTypesIsTheSameText() {
        assertThat(CanonicalText.of(new BigDecimal("10.50"))).isEqualTo(CanonicalText.of(new BigDecimal("10.5")))
                .isEqualTo("10.5");
        assertThat(CanonicalText.of(new BigDecimal("0.00"))).isEqualTo("0");
        assertThat(CanonicalText.of(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CanonicalText.of(5)).isEqualTo(CanonicalText.of(5L)).isEqualTo(CanonicalText.of(new BigDecimal("5.0")));
        OffsetDateTime utc = OffsetDateTime.of(2026, 12, 4, 18, 0, 0, 123_456_000, ZoneOffset.UTC);
        assertThat(CanonicalText.of(utc.withOffsetSameInstant(ZoneOffset.ofHours(2)))).isEqualTo(CanonicalText.of(utc))
                .isEqualTo("2026-12-04T18:00:00.123456Z");
        assertThat(CanonicalText.of((Object) null)).isEqualTo(CanonicalText.NULL).isNotEqualTo(CanonicalText.of("null"));
    }

    @Test
    void aRecordKeyIsItsFieldsInOrder() {
        Schema schema = SchemaBuilder.struct().field("region", Schema.STRING_SCHEMA).field("order_id", Schema.INT64_SCHEMA)
                .build();
        assertThat(CanonicalText.entity(new Struct(schema).put("region", "eu").put("order_id", 7L)))
                .isEqualTo("eu" + CanonicalText.SEPARATOR + "7");
        Map<String, Object> schemaless = new LinkedHashMap<>();
        schemaless.put("order_id", 7);
        assertThat(CanonicalText.entity(schemaless)).isEqualTo("7");
        assertThat(CanonicalText.entity(7L)).isEqualTo("7");
        assertThat(CanonicalText.entity(null)).isNull();
    }
}
