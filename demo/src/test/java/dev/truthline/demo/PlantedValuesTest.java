package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import dev.truthline.connect.privacy.ProtectFields;

/**
 * The matcher of the PII search: it finds any planted value wherever it sits in bytes or text (start, middle, end,
 * overlapping other candidates), agrees with a plain {@code String.contains} over every value on random inputs,
 * and finds nothing in tokens of those same values.
 */
class PlantedValuesTest {

    @Test
    void findsAPlantedValueAnywhereAndNothingElse() {
        PlantedValues planted = new PlantedValues(List.of("C000042", "buyer.000042.7@planted.example", "C000043"));

        assertThat(planted.size()).isEqualTo(3);
        assertThat(planted.find("C000042")).isEqualTo("C000042");
        assertThat(planted.find("{\"customer_id\":\"C000043\"}")).isEqualTo("C000043");
        assertThat(planted.find("xxCC000042")).isEqualTo("C000042");
        assertThat(planted.find("to buyer.000042.7@planted.example")).isEqualTo("buyer.000042.7@planted.example");
        assertThat(planted.find("C00004")).isNull();
        assertThat(planted.find("C000044 c000042 C00 0042")).isNull();
        assertThat(planted.find((String) null)).isNull();
        assertThat(planted.find(new byte[] {0, 1, 'C'})).isNull();
        byte[] binary = ("\u0000\u0007C000042\u0001").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(planted.find(binary)).isEqualTo("C000042");
        assertThatThrownBy(() -> new PlantedValues(List.of("abc"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agreesWithContainsOnRandomInputs() {
        SplittableRandom random = new SplittableRandom(13);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            values.add(String.format("C%06d", random.nextInt(2_000)));
        }
        PlantedValues planted = new PlantedValues(values);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(PlantedValues.TOKEN_RUN); // shorter than a token: plain contains decides
            for (int j = 0; j < length; j++) {
                text.append("C0123456789\"x".charAt(random.nextInt(13)));
            }
            String s = text.toString();
            boolean expected = values.stream().anyMatch(s::contains);
            String found = planted.find(s);
            assertThat(found != null).as(s).isEqualTo(expected);
            if (found != null) {
                assertThat(s).contains(found);
            }
        }
    }

    /** A random token holds "C" and six digits now and then: inside a Base64 run that long it is no clear value. */
    @Test
    void aValueInsideATokenLengthBase64RunIsNotAHit() {
        PlantedValues planted = new PlantedValues(List.of("C000042"));
        String token = "AQz9Yk2-" + "C000042" + "xU7_b0kLmN3pQrStUvWx";
        assertThat(token).hasSizeGreaterThanOrEqualTo(PlantedValues.TOKEN_RUN);
        assertThat(planted.find(token)).isNull();
        assertThat(planted.find("{\"id\":\"" + token + "\",\"c\":\"C000042\"}")).isEqualTo("C000042");
        assertThat(planted.find(token.substring(0, 20))).isEqualTo("C000042");
    }

    @Test
    void tokensOfThePlantedValuesDoNotMatchThem() throws Exception {
        String keyset = Keysets.toJson(Keysets.create(Method.TOKEN));
        List<String> values = List.of("C000042", "buyer.000042.7@planted.example");
        PlantedValues planted = new PlantedValues(values);
        Map<String, String> config = Map.of("rules", "ids", "rules.ids.fields", "customer_id,email",
                "rules.ids.method", "token", "rules.ids.keyset", keyset);
        try (ProtectFields.Value<org.apache.kafka.connect.source.SourceRecord> protect = new ProtectFields.Value<>()) {
            protect.configure(config);
            var record = new org.apache.kafka.connect.source.SourceRecord(null, null, "t", null, null, null, null,
                    new java.util.HashMap<>(Map.of("customer_id", values.get(0), "email", values.get(1))));
            String protectedValue = protect.apply(record).value().toString();
            assertThat(planted.find(protectedValue)).isNull();
            assertThat(planted.find(record.value().toString())).isNotNull();
        }
    }

    @Test
    void anIcebergRowIsFlattenedWithItsNestedValuesAndBinaries() {
        Schema schema = new Schema(Types.NestedField.optional(1, "after", Types.StructType.of(
                Types.NestedField.optional(2, "email", Types.StringType.get()))),
                Types.NestedField.optional(3, "raw", Types.BinaryType.get()),
                Types.NestedField.optional(4, "tags", Types.ListType.ofOptional(5, Types.StringType.get())));
        GenericRecord row = GenericRecord.create(schema);
        GenericRecord after = GenericRecord.create(schema.findField("after").type().asStructType());
        after.setField("email", "buyer.1.1@planted.example");
        row.setField("after", after);
        row.setField("raw", ByteBuffer.wrap("C000001".getBytes(StandardCharsets.UTF_8)));
        row.setField("tags", List.of("C000002"));

        for (String value : List.of("buyer.1.1@planted.example", "C000001", "C000002")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PiiSearch.flatten(row, bytes);
            assertThat(new PlantedValues(List.of(value)).find(bytes.toByteArray())).isEqualTo(value);
        }
    }
}
