package dev.truthline.connect.privacy;

import static dev.truthline.connect.privacy.Fixtures.keyset;
import static dev.truthline.connect.privacy.Fixtures.protect;
import static dev.truthline.connect.privacy.Fixtures.record;
import static dev.truthline.connect.privacy.Fixtures.reveal;
import static dev.truthline.connect.privacy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ProtectFieldsTest {

    static final Schema ADDRESS = SchemaBuilder.struct().name("address")
            .field("street", Schema.STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema ITEM = SchemaBuilder.struct().name("item")
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.INT32_SCHEMA)
            .build();
    static final Schema AMOUNT = Decimal.builder(2).optional().build();
    static final Schema ORDER = SchemaBuilder.struct().name("order").version(3).doc("an order")
            .field("order_id", Schema.INT64_SCHEMA)
            .field("customer_id", Schema.INT64_SCHEMA)
            .field("email", SchemaBuilder.string().optional().defaultValue("nobody@example.com").build())
            .field("card", Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", AMOUNT)
            .field("placed_at", Timestamp.builder().optional().build())
            .field("photo", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("vip", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("address", SchemaBuilder.struct().name("address").optional()
                    .field("street", Schema.STRING_SCHEMA).field("zip", Schema.OPTIONAL_STRING_SCHEMA).build())
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .build();

    static Struct order() {
        Struct address = new Struct(ORDER.field("address").schema()).put("street", "1 Main St").put("zip", "90210");
        List<Struct> items = List.of(new Struct(ITEM).put("sku", "SKU-1").put("qty", 2),
                new Struct(ITEM).put("sku", "SKU-2").put("qty", 1));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("phone", "+1 555 0100");
        attributes.put("channel", "web");
        return new Struct(ORDER).put("order_id", 7L).put("customer_id", 123456789L).put("email", "alice@example.com")
                .put("card", "4111-1111-1111-1234").put("amount", new BigDecimal("12.34"))
                .put("placed_at", new Date(1_700_000_000_000L)).put("photo", new byte[] {1, 2, 3}).put("vip", true)
                .put("address", address).put("items", items).put("attributes", attributes);
    }

    static Map<String, String> allMethods(String token, String encrypt, String fpe, String hash) {
        Map<String, String> props = new HashMap<>();
        props.put("rules", "ids,secret,card,digest,zip,gone");
        props.putAll(Fixtures.ruleKeys("ids", "customer_id,email,items[*].sku,placed_at", "token", "keyset", token));
        props.putAll(Fixtures.ruleKeys("secret", "amount,photo,address.street,vip", "encrypt", "keyset", encrypt));
        props.putAll(Fixtures.ruleKeys("card", "card", "fpe", "keyset", fpe));
        props.putAll(Fixtures.ruleKeys("digest", "attributes.phone", "hash", "keyset", hash));
        props.putAll(Fixtures.ruleKeys("zip", "address.zip", "mask", "keep.last", "2"));
        props.putAll(Fixtures.ruleKeys("gone", "items[*].qty", "redact"));
        return props;
    }

    @Test
    void everyMethodOnEveryTypeAndPathFormRoundTrips() {
        Map<String, String> props = allMethods(keyset(Method.TOKEN), keyset(Method.ENCRYPT), keyset(Method.FPE),
                keyset(Method.HASH));
        Struct original = order();
        SourceRecord protectedRecord = protect(props).apply(record(ORDER, original));
        Struct p = (Struct) protectedRecord.value();

        // token: int64 and timestamp become strings; a string stays a string.
        assertThat(p.get("customer_id")).isInstanceOf(String.class);
        assertThat(p.get("placed_at")).isInstanceOf(String.class);
        assertThat(p.getString("email")).doesNotContain("alice").doesNotContain("example");
        assertThat(p.getArray("items")).extracting(i -> ((Struct) i).getString("sku"))
                .allSatisfy(sku -> assertThat((String) sku).doesNotStartWith("SKU"));
        // encrypt: bytes stay bytes, a decimal and a boolean become strings.
        assertThat(p.get("photo")).isInstanceOf(byte[].class);
        assertThat((byte[]) p.get("photo")).hasSizeGreaterThan(16);
        assertThat(p.get("amount")).isInstanceOf(String.class);
        assertThat(p.getStruct("address").getString("street")).doesNotContain("Main");
        // fpe: same length, digits stay digits, separators in place.
        String card = p.getString("card");
        assertThat(card).hasSize(19).matches("\\d{4}-\\d{4}-\\d{4}-\\d{4}").isNotEqualTo("4111-1111-1111-1234");
        // hash: a map key.
        assertThat(p.getMap("attributes").get("phone")).isNotEqualTo("+1 555 0100");
        assertThat(p.getMap("attributes").get("channel")).isEqualTo("web");
        // mask and redact.
        assertThat(p.getStruct("address").getString("zip")).isEqualTo("***10");
        assertThat(p.getArray("items")).extracting(i -> ((Struct) i).get("qty")).containsExactly(0, 0);
        // untouched
        assertThat(p.getInt64("order_id")).isEqualTo(7L);

        SourceRecord revealed = reveal(props).apply(protectedRecord);
        Struct r = (Struct) revealed.value();
        assertThat(r.get("customer_id")).isEqualTo(123456789L);
        assertThat(r.get("email")).isEqualTo("alice@example.com");
        assertThat(r.get("placed_at")).isEqualTo(new Date(1_700_000_000_000L));
        assertThat(r.get("amount")).isEqualTo(new BigDecimal("12.34"));
        assertThat((byte[]) r.get("photo")).containsExactly(1, 2, 3);
        assertThat(r.get("vip")).isEqualTo(true);
        assertThat(r.getStruct("address").getString("street")).isEqualTo("1 Main St");
        assertThat(r.getString("card")).isEqualTo("4111-1111-1111-1234");
        assertThat(r.getArray("items")).extracting(i -> ((Struct) i).getString("sku")).containsExactly("SKU-1", "SKU-2");
        // Not reversible: stays as protected.
        assertThat(r.getMap("attributes").get("phone")).isEqualTo(p.getMap("attributes").get("phone"));
        assertThat(r.getStruct("address").getString("zip")).isEqualTo("***10");

        // The revealed schema is the original one for the reversible fields.
        assertThat(revealed.valueSchema().field("customer_id").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(revealed.valueSchema().field("amount").schema()).isEqualTo(AMOUNT);
        assertThat(revealed.valueSchema().field("placed_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        // The input was not changed.
        assertThat(original).isEqualTo(order());
    }

    @Test
    void protectedSchemaRecordsTheOriginalAndKeepsWhatItDoesNotOwn() {
        ProtectFields<SourceRecord> transform = protect(rule("ids", "customer_id,email,amount", "token",
                "keyset", keyset(Method.TOKEN)));
        Schema out = transform.apply(record(ORDER, order())).valueSchema();

        assertThat(out.name()).isEqualTo("order");
        assertThat(out.version()).isEqualTo(3);
        assertThat(out.doc()).isEqualTo("an order");
        Schema customer = out.field("customer_id").schema();
        assertThat(customer.type()).isEqualTo(Schema.Type.STRING);
        assertThat(customer.isOptional()).isFalse();
        assertThat(customer.parameters()).containsEntry(Protection.METHOD_PARAM, "token")
                .containsEntry(Protection.TYPE_PARAM, "int64");
        Schema email = out.field("email").schema();
        assertThat(email.isOptional()).isTrue();
        // A default could be a clear value.
        assertThat(email.defaultValue()).isNull();
        assertThat(out.field("amount").schema().parameters()).containsEntry(Protection.NAME_PARAM, Decimal.LOGICAL_NAME)
                .containsEntry(Decimal.SCALE_FIELD, "2");
        assertThat(out.field("order_id").schema()).isSameAs(Schema.INT64_SCHEMA);
    }

    @Test
    void outputSchemaIsCachedPerInputSchema() {
        ProtectFields<SourceRecord> transform = protect(rule("ids", "customer_id", "token", "keyset", keyset(Method.TOKEN)));
        Schema first = transform.apply(record(ORDER, order())).valueSchema();
        Schema second = transform.apply(record(ORDER, order())).valueSchema();
        assertThat(second).isSameAs(first);

        // Another schema, then the first again: still the same object from the bounded cache.
        Schema other = SchemaBuilder.struct().field("customer_id", Schema.INT64_SCHEMA).build();
        Schema otherOut = transform.apply(record(other, new Struct(other).put("customer_id", 1L))).valueSchema();
        assertThat(otherOut).isNotSameAs(first);
        assertThat(transform.outputSchema(ORDER)).isSameAs(first);
        // An equal schema built separately hits the cache too.
        Schema equalCopy = SchemaBuilder.struct().field("customer_id", Schema.INT64_SCHEMA).build();
        assertThat(transform.outputSchema(equalCopy)).isSameAs(otherOut);
    }

    @Test
    void tokensAreDeterministicAcrossInstancesAndTopics() {
        Map<String, String> props = rule("ids", "customer_id,email", "token", "keyset", keyset(Method.TOKEN));
        Struct a = (Struct) protect(props).apply(record(ORDER, order())).value();
        Struct b = (Struct) protect(props).apply(record(ORDER, order())).value();
        assertThat(b.get("customer_id")).isEqualTo(a.get("customer_id"));
        assertThat(b.get("email")).isEqualTo(a.get("email"));

        // The same value in a schemaless record of another topic: the same token, so tokens join.
        Map<String, Object> other = new HashMap<>(Map.of("customer", 123456789L));
        Map<?, ?> protectedOther = (Map<?, ?>) protect(rule("c", "customer", "token", "keyset", props.get(
                "rules.ids.keyset"))).apply(record(null, other).newRecord("customers", 0, null, null, null,
                        other, 0L)).value();
        assertThat(protectedOther.get("customer")).isEqualTo(a.get("customer_id"));

        // Another keyset: another token.
        Struct c = (Struct) protect(rule("ids", "customer_id", "token", "keyset", keyset(Method.TOKEN)))
                .apply(record(ORDER, order())).value();
        assertThat(c.get("customer_id")).isNotEqualTo(a.get("customer_id"));
    }

    @Test
    void encryptIsRandomizedAndHashIsNot() {
        Map<String, String> enc = rule("e", "email", "encrypt", "keyset", keyset(Method.ENCRYPT));
        ProtectFields<SourceRecord> encrypt = protect(enc);
        Object first = ((Struct) encrypt.apply(record(ORDER, order())).value()).get("email");
        Object second = ((Struct) encrypt.apply(record(ORDER, order())).value()).get("email");
        assertThat(first).isNotEqualTo(second);
        RevealFields<SourceRecord> reveal = reveal(enc);
        for (Object sealed : List.of(first, second)) {
            Struct s = (Struct) encrypt.apply(record(ORDER, order())).value();
            s.put("email", sealed);
            assertThat(((Struct) reveal.apply(record(s.schema(), s)).value()).get("email")).isEqualTo("alice@example.com");
        }

        Map<String, String> hash = rule("h", "email", "hash", "keyset", keyset(Method.HASH));
        Object h1 = ((Struct) protect(hash).apply(record(ORDER, order())).value()).get("email");
        Object h2 = ((Struct) protect(hash).apply(record(ORDER, order())).value()).get("email");
        assertThat(h1).isEqualTo(h2);
        // Tink's prefix (5 bytes) and a 32-byte HMAC-SHA256 tag.
        assertThat(Base64.getUrlDecoder().decode((String) h1)).hasSize(37);
    }

    @Test
    void fpeKeepsLengthAlphabetAndSeparators() {
        String fpeKeys = keyset(Method.FPE);
        String[][] cases = {
            {"digits", "4111111111111111", "\\d{16}"},
            {"digits", "+1 (555) 010-0199", "\\+\\d \\(\\d{3}\\) \\d{3}-\\d{4}"},
            {"alphanumeric", "alice.smith@example.com", "[0-9A-Za-z]{5}\\.[0-9A-Za-z]{5}@[0-9A-Za-z]{7}\\.[0-9A-Za-z]{3}"},
            {"lowercase", "bob-jones", "[a-z]{3}-[a-z]{5}"},
            {"hex", "deadbeef00", "[0-9a-f]{10}"},
        };
        for (String[] c : cases) {
            Map<String, String> props = rule("f", "v", "fpe", "keyset", fpeKeys, "alphabet", c[0]);
            Map<String, Object> value = new HashMap<>(Map.of("v", c[1]));
            Object out = ((Map<?, ?>) protect(props).apply(record(null, value)).value()).get("v");
            assertThat((String) out).as(c[0] + " " + c[1]).hasSameSizeAs(c[1]).matches(c[2]).isNotEqualTo(c[1]);
            Object back = ((Map<?, ?>) reveal(props).apply(record(null, Map.of("v", out))).value()).get("v");
            assertThat(back).isEqualTo(c[1]);
            // Deterministic.
            assertThat(((Map<?, ?>) protect(props).apply(record(null, value)).value()).get("v")).isEqualTo(out);
        }
    }

    @Test
    void fpeRefusesValuesTooShortForItsDomainAndNonStrings() {
        Map<String, String> props = rule("f", "v", "fpe", "keyset", keyset(Method.FPE));
        ProtectFields<SourceRecord> transform = protect(props);
        assertThatThrownBy(() -> transform.apply(record(null, Map.of("v", "12-34"))))
                .isInstanceOf(DataException.class)
                .hasMessage("Field v has 4 characters of alphabet digits; rule f (fpe) needs at least 6 "
                        + "(NIST SP 800-38G's minimum domain)");
        assertThatThrownBy(() -> transform.apply(record(null, Map.of("v", 4111111111111111L))))
                .hasMessage("Field v holds a Long; rule f (fpe) protects strings only");
        Schema numeric = SchemaBuilder.struct().field("v", Schema.INT64_SCHEMA).build();
        assertThatThrownBy(() -> transform.apply(record(numeric, new Struct(numeric).put("v", 4111111111111111L))))
                .isInstanceOf(DataException.class)
                .hasMessage("Field v is a int64; rule f (fpe) protects strings only");
    }

    @Test
    void maskAndRedact() {
        Map<String, Object> value = new HashMap<>();
        value.put("card", "4111111111111234");
        value.put("pin", 1234L);
        value.put("note", "secret");
        Map<?, ?> masked = (Map<?, ?>) protect(rule("m", "card,pin", "mask")).apply(record(null, value)).value();
        assertThat(masked.get("card")).isEqualTo("************1234");
        assertThat(masked.get("pin")).isEqualTo("1234");
        Map<?, ?> short0 = (Map<?, ?>) protect(rule("m", "card", "mask", "keep.last", "0")).apply(record(null, value)).value();
        assertThat(short0.get("card")).isEqualTo("****************");

        Map<?, ?> redacted = (Map<?, ?>) protect(rule("r", "note", "redact")).apply(record(null, value)).value();
        assertThat(redacted.containsKey("note")).isTrue();
        assertThat(redacted.get("note")).isNull();

        // Required fields get the empty value of their type; optional ones null.
        Struct s = (Struct) protect(rule("r", "order_id,email,address.street,photo", "redact"))
                .apply(record(ORDER, order())).value();
        assertThat(s.get("order_id")).isEqualTo(0L);
        assertThat(s.get("email")).isNull();
        assertThat(s.getStruct("address").get("street")).isEqualTo("");
        assertThat(s.get("photo")).isNull();
    }

    @Test
    void schemalessNestedMapsArraysAndMapWildcards() {
        String keys = keyset(Method.TOKEN);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("customer", new LinkedHashMap<>(Map.of("email", "a@b.c", "name", "Ann")));
        value.put("items", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("sku", "S1")),
                new LinkedHashMap<>(Map.of("sku", "S2")))));
        value.put("tags", new LinkedHashMap<>(Map.of("x", "one", "y", "two")));
        value.put("matrix", List.of(List.of("a1", "a2"), List.of("b1")));
        Map<String, String> props = rule("t", "customer.email,items[*].sku,tags[*],matrix[*][*]", "token", "keyset", keys);

        Map<?, ?> p = (Map<?, ?>) protect(props).apply(record(null, value)).value();
        assertThat(((Map<?, ?>) p.get("customer")).get("name")).isEqualTo("Ann");
        assertThat(((Map<?, ?>) p.get("customer")).get("email")).isNotEqualTo("a@b.c");
        // Every protected leaf is a token (Tink's prefix 0x01 first), never the clear value; tokens are random-looking
        // text, so compare values, not substrings.
        List<Object> leaves = new ArrayList<>(((Map<?, ?>) p.get("tags")).values());
        ((List<?>) p.get("items")).forEach(i -> leaves.add(((Map<?, ?>) i).get("sku")));
        ((List<?>) p.get("matrix")).forEach(row -> leaves.addAll((List<?>) row));
        assertThat(leaves).hasSize(7).doesNotContain("one", "two", "S1", "S2", "a1", "a2", "b1")
                .allSatisfy(t -> assertThat(Keysets.keyId(java.util.Base64.getUrlDecoder().decode((String) t))).isNotNull());

        Map<?, ?> r = (Map<?, ?>) reveal(props).apply(record(null, p)).value();
        assertThat(r).isEqualTo(value);
        // The input maps were not changed.
        assertThat(((Map<?, ?>) value.get("customer")).get("email")).isEqualTo("a@b.c");
    }

    @Test
    void nullsAbsentFieldsAndTombstonesPassUntouched() {
        ProtectFields<SourceRecord> transform = protect(rule("t", "email,address.street,items[*].sku,missing,gone.deep",
                "token", "keyset", keyset(Method.TOKEN)));
        Struct s = order().put("email", null).put("address", null).put("items", null);
        Struct out = (Struct) transform.apply(record(ORDER, s)).value();
        assertThat(out.get("email")).isNull();
        assertThat(out.get("address")).isNull();
        assertThat(out.get("items")).isNull();

        Map<String, Object> schemaless = new HashMap<>();
        schemaless.put("email", null);
        Map<?, ?> outMap = (Map<?, ?>) transform.apply(record(null, schemaless)).value();
        assertThat(outMap).isEqualTo(schemaless);

        SourceRecord tombstone = record(null, null);
        assertThat(transform.apply(tombstone)).isSameAs(tombstone);
        assertThat(transform.skipped.sum()).isEqualTo(1);
    }

    @Test
    void keysAreProtectedWithKeyTransformEvenOnTombstones() {
        Schema keySchema = SchemaBuilder.struct().field("customer_id", Schema.INT64_SCHEMA).build();
        ProtectFields.Key<SinkRecord> transform = new ProtectFields.Key<>();
        transform.configure(rule("k", "customer_id", "token", "keyset", keyset(Method.TOKEN)));
        SinkRecord tombstone = new SinkRecord("t", 0, keySchema, new Struct(keySchema).put("customer_id", 5L), null, null, 1L);
        SinkRecord out = transform.apply(tombstone);
        assertThat(((Struct) out.key()).get("customer_id")).isInstanceOf(String.class);
        assertThat(out.value()).isNull();
        assertThat(out.keySchema().field("customer_id").schema().type()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void headersTimestampAndTopicAreKeptAndCarryNoClearValue() {
        SourceRecord in = record(ORDER, order());
        in.headers().addString("dq.status", "valid");
        SourceRecord out = protect(rule("t", "email", "token", "keyset", keyset(Method.TOKEN))).apply(in);
        assertThat(out.topic()).isEqualTo("orders");
        assertThat(out.timestamp()).isEqualTo(in.timestamp());
        assertThat(out.sourceOffset()).isEqualTo(in.sourceOffset());
        assertThat(out.headers()).extracting(Header::key).containsExactly("dq.status");
        for (Header h : out.headers()) {
            assertThat(String.valueOf(h.value())).doesNotContain("alice");
        }
    }

    @Test
    void structuresAtALeafAndWrongContainersFailNamingTheField() {
        ProtectFields<SourceRecord> whole = protect(rule("t", "address", "token", "keyset", keyset(Method.TOKEN)));
        assertThatThrownBy(() -> whole.apply(record(ORDER, order())))
                .isInstanceOf(DataException.class)
                .hasMessage("Field address is a struct, which cannot be protected as one value; name its fields "
                        + "(address.<field>) or elements (address[*])");
        ProtectFields<SourceRecord> notArray = protect(rule("t", "email[*]", "token", "keyset", keyset(Method.TOKEN)));
        assertThatThrownBy(() -> notArray.apply(record(ORDER, order())))
                .hasMessage("Field email[*] is a string, not an array or map, so [*] selects nothing");
        ProtectFields<SourceRecord> schemaless = protect(rule("t", "a", "token", "keyset", keyset(Method.TOKEN)));
        assertThatThrownBy(() -> schemaless.apply(record(null, Map.of("a", Map.of("b", "x")))))
                .hasMessageContaining("Field a holds a struct or map");
        assertThatThrownBy(() -> schemaless.apply(record(null, "just a string")))
                .hasMessage("Value expects a struct with a schema or a schemaless map, not a String");
    }

    @Test
    void metricsCountRecordsAndFieldsPerRule() {
        ProtectFields<SourceRecord> transform = protect(allMethods(keyset(Method.TOKEN), keyset(Method.ENCRYPT),
                keyset(Method.FPE), keyset(Method.HASH)));
        transform.apply(record(ORDER, order()));
        transform.apply(record(ORDER, order().put("email", null)));
        assertThat(transform.records.sum()).isEqualTo(2);
        // customer_id, email (once: null the second time), 2 skus, placed_at
        assertThat(transform.fieldsOf("ids")).isEqualTo(9);
        assertThat(transform.fieldsOf("gone")).isEqualTo(4);
        assertThat(transform.fieldsOf("card")).isEqualTo(2);
    }

    @Test
    void revealFailsNamingTheFieldWhenTheValueIsNotProtectedOrTheKeyIsUnknown() {
        Map<String, String> props = rule("t", "email", "token", "keyset", keyset(Method.TOKEN));
        RevealFields<SourceRecord> transform = reveal(props);
        assertThatThrownBy(() -> transform.apply(record(null, Map.of("email", "alice@example.com"))))
                .isInstanceOf(DataException.class)
                .hasMessage("Field email is not a token value of rule t");
        assertThatThrownBy(() -> transform.apply(record(null, Map.of("email", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))))
                .hasMessage("Field email cannot be revealed by rule t (token): it is not a value this keyset protected");
        Object token = ((Map<?, ?>) protect(rule("t", "email", "token", "keyset", keyset(Method.TOKEN)))
                .apply(record(null, Map.of("email", "x@y.z"))).value()).get("email");
        assertThatThrownBy(() -> transform.apply(record(null, Map.of("email", token))))
                .hasMessageContaining("no key of the keyset opens it (it names key id ");
        assertThat(new String(Base64.getUrlDecoder().decode((String) token), StandardCharsets.ISO_8859_1))
                .doesNotContain("x@y.z");
    }
}
