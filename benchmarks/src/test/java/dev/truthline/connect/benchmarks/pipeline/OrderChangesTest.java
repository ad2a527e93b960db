package dev.truthline.connect.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class OrderChangesTest {

    @Test
    void theFastSerializerWritesWhatTheJsonConverterWrites() {
        for (WireFormat format : WireFormat.values()) {
            byte[] expected = OrderChanges.converter(format, false).fromConnectData("t", OrderChanges.ENVELOPE,
                    OrderChanges.sampleUpdate());
            byte[] actual = new OrderChanges.Serializer(format, false, OrderChanges.ENVELOPE).bytes("t",
                    OrderChanges.sampleUpdate());
            assertThat(new String(actual)).as(format.id()).isEqualTo(new String(expected));
        }
    }

    /**
     * KIP-1054: with {@code schemas.enable=true} and {@code schema.content} the JSON converter takes the whole message
     * as the payload of that schema. Read through the sink settings the benchmark gives the connector, the payload-only
     * bytes become the very Struct the schema-in-every-message bytes become.
     */
    @Test
    void theSchemaGivenOnceReadsThePayloadAsTheSchemaInEveryMessageDoes() {
        byte[] payloadOnly = new OrderChanges.Serializer(WireFormat.JSON_SCHEMA_CONTENT, false, OrderChanges.ENVELOPE)
                .bytes("t", OrderChanges.sampleUpdate());
        assertThat(payloadOnly).isEqualTo(new OrderChanges.Serializer(WireFormat.JSON, false, OrderChanges.ENVELOPE)
                .bytes("t", OrderChanges.sampleUpdate()));
        SchemaAndValue given = sinkConverter(WireFormat.JSON_SCHEMA_CONTENT).toConnectData("t", payloadOnly);
        SchemaAndValue embedded = sinkConverter(WireFormat.JSON_SCHEMAS).toConnectData("t",
                new OrderChanges.Serializer(WireFormat.JSON_SCHEMAS, false, OrderChanges.ENVELOPE).bytes("t",
                        OrderChanges.sampleUpdate()));
        assertThat(given.schema()).isEqualTo(embedded.schema()).isEqualTo(OrderChanges.ENVELOPE);
        assertThat(given.value()).isEqualTo(embedded.value()).isEqualTo(OrderChanges.sampleUpdate());
    }

    /**
     * The safety cost of giving the schema once: a column added upstream (here {@code discount} in {@code after}) is
     * read past without a word — the sink sees the configured schema, and the new column is lost until every sink's
     * {@code schema.content} is updated. The schema-in-every-message format carries it to the sink.
     */
    @Test
    void aColumnAddedUpstreamIsSilentlyLeftOutWhenTheSchemaIsGivenOnce() {
        String payload = new String(new OrderChanges.Serializer(WireFormat.JSON, false, OrderChanges.ENVELOPE)
                .bytes("t", OrderChanges.sampleUpdate()), java.nio.charset.StandardCharsets.UTF_8);
        String widened = payload.replaceFirst("\"after\":\\{", "\"after\":{\"discount\":5,");
        assertThat(widened).contains("\"discount\":5");
        SchemaAndValue read = sinkConverter(WireFormat.JSON_SCHEMA_CONTENT).toConnectData("t",
                widened.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.apache.kafka.connect.data.Struct after = ((org.apache.kafka.connect.data.Struct) read.value()).getStruct("after");
        assertThat(after.schema().field("discount")).isNull();
        assertThat(read.value()).isEqualTo(OrderChanges.sampleUpdate());
    }

    /** The value converter as the benchmark configures the sink connector for {@code format}. */
    private static JsonConverter sinkConverter(WireFormat format) {
        Map<String, String> config = new HashMap<>();
        Chain.CONVERTER.settings(format).forEach((k, v) -> {
            if (k.startsWith("value.converter.")) {
                config.put(k.substring("value.converter.".length()), v);
            }
        });
        JsonConverter converter = new JsonConverter();
        converter.configure(config, false);
        return converter;
    }
}
