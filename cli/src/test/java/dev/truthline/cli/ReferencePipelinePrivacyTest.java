package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.harness.DebeziumEnvelopes;
import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import dev.truthline.connect.privacy.ProtectFields;
import dev.truthline.connect.privacy.RevealFields;
import dev.truthline.connect.validation.ValidateContract;

/**
 * The reference pipeline's privacy, from its own files: {@code orders-source.json}'s chain (shape contract, then
 * {@code ProtectFields}) protects {@code customer_id} and {@code email} in both row images, in the change topic and
 * the quarantine alike; the tokens pass silver's and the warehouse's {@code orders@2} ({@code customer_token}) while
 * a clear customer id fails it; the same value gives the same token in a second task (so joins still work), and the
 * record key (order_id) is untouched; and {@code examples/orders-revealed.json}'s {@code RevealFields}, first in its
 * chain, gives back exactly what the source table held.
 */
class ReferencePipelinePrivacyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEYSET_REFERENCE = "${env:TRUTHLINE_ORDERS_TOKEN_KEYSET}";

    private static final Schema ROW = DebeziumEnvelopes.ORDERS_ROW;
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("table", Schema.STRING_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("orders.public.orders.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
    private static final Schema KEY = DebeziumEnvelopes.ORDERS_KEY;

    private static Path orders;
    private static String keyset;

    @BeforeAll
    static void files() throws Exception {
        orders = ProjectConfigsTest.repositoryRoot(Path.of("").toAbsolutePath()).resolve("connector-configs");
        keyset = Keysets.toJson(Keysets.create(Method.TOKEN));
    }

    @Test
    void theSourceProtectsBothImagesAndSilverAndTheWarehouseAcceptOnlyTokens() throws Exception {
        JsonNode source = config("orders/orders-source.json");
        assertThat(list(source, "transforms")).as("ProtectFields right after the shape contract")
                .containsSubsequence("contract", "protect").endsWith("protect");
        assertThat(source.path("transforms.protect.rules.ids.keyset").asText()).isEqualTo(KEYSET_REFERENCE);

        SourceRecord update = change(order(42, "C000042", "buyer000042@orders.example"),
                order(42, "C000042", "buyer000042@orders.example"));
        SourceRecord routed = sourceContract(source, update);
        assertThat(routed.topic()).isEqualTo("orders.events.v1");
        assertThat(predicateMatches(source, "protect", routed.topic())).isTrue();

        SourceRecord protectedRecord;
        SourceRecord secondTask;
        try (ProtectFields.Value<SourceRecord> protect = protect(source);
                ProtectFields.Value<SourceRecord> other = protect(source)) {
            protectedRecord = protect.apply(routed);
            secondTask = other.apply(routed);
        }
        Struct after = ((Struct) protectedRecord.value()).getStruct("after");
        Struct before = ((Struct) protectedRecord.value()).getStruct("before");
        for (Struct image : List.of(before, after)) {
            assertThat(image.getString("customer_id")).isNotEqualTo("C000042").doesNotContain("000042");
            assertThat(image.getString("email")).doesNotContain("buyer000042").doesNotContain("@");
            assertThat(image.getString("status")).isEqualTo("PAID");
        }
        // Deterministic: the same value, the same token, in both images and in another task.
        assertThat(before.getString("customer_id")).isEqualTo(after.getString("customer_id"));
        assertThat(((Struct) secondTask.value()).getStruct("after").getString("customer_id"))
                .isEqualTo(after.getString("customer_id"));
        // The key, which partitioning, Deduplicate and the warehouse upsert use, is order_id and stays as it was.
        assertThat(protectedRecord.key()).isEqualTo(update.key());
        assertThat(headerValues(protectedRecord)).noneMatch(v -> v.contains("C000042") || v.contains("buyer000042"));

        for (String sink : List.of("orders/orders-silver.json", "orders/orders-warehouse.json")) {
            JsonNode config = config(sink);
            assertThat(config.path("transforms.contract.contract.version").asText()).as(sink).isEqualTo("2");
            assertThat(sinkVerdict(config, (Struct) protectedRecord.value())).as(sink).isEqualTo("valid");
            // A record the source did not protect is a leak: the sink contract dead-letters it.
            assertThat(sinkVerdict(config, (Struct) routed.value())).as(sink).isEqualTo("invalid: customer_token");
        }
    }

    @Test
    void aMalformedCustomerIsQuarantinedAtTheSourceAndTheQuarantineCopyIsProtected() throws Exception {
        JsonNode source = config("orders/orders-source.json");
        SourceRecord insert = change(null, order(7, "cust-C000007", "buyer000007@orders.example"));

        SourceRecord routed = sourceContract(source, insert);
        assertThat(routed.topic()).isEqualTo("orders.events.v1.quarantine");
        assertThat(routed.headers().lastWithName("dq.rules").value()).isEqualTo("customer_format");
        assertThat(predicateMatches(source, "protect", routed.topic())).isTrue();
        try (ProtectFields.Value<SourceRecord> protect = protect(source)) {
            Struct after = ((Struct) protect.apply(routed).value()).getStruct("after");
            assertThat(after.getString("customer_id")).doesNotContain("C000007");
            assertThat(after.getString("email")).doesNotContain("buyer000007");
        }
        assertThat(headerValues(routed)).noneMatch(v -> v.contains("C000007"));
    }

    @Test
    void theAuthorisedSinkExampleRevealsFirstAndGetsTheClearValuesBack() throws Exception {
        JsonNode source = config("orders/orders-source.json");
        JsonNode revealed = config("examples/orders-revealed.json");
        assertThat(list(revealed, "transforms").get(0)).isEqualTo("reveal");
        assertThat(revealed.path("transforms.reveal.type").asText()).isEqualTo(RevealFields.Value.class.getName());
        assertThat(revealed.path("transforms.reveal.rules.ids.keyset").asText()).isEqualTo(KEYSET_REFERENCE);

        Struct clearBefore = order(9, "C000009", "buyer000009@orders.example");
        Struct clearAfter = order(9, "C000010", "moved000009@orders.example");
        SourceRecord routed = sourceContract(source, change(clearBefore, clearAfter));
        SourceRecord protectedRecord;
        try (ProtectFields.Value<SourceRecord> protect = protect(source)) {
            protectedRecord = protect.apply(routed);
        }
        Struct value = (Struct) protectedRecord.value();
        SinkRecord consumed = new SinkRecord("orders.events.v1", 0, protectedRecord.keySchema(), protectedRecord.key(),
                value.schema(), value, 100);
        try (RevealFields.Value<SinkRecord> reveal = new RevealFields.Value<>()) {
            reveal.configure(transformConfig(revealed, "reveal"));
            Struct back = (Struct) reveal.apply(consumed).value();
            for (String image : List.of("before", "after")) {
                Struct clear = image.equals("before") ? clearBefore : clearAfter;
                assertThat(back.getStruct(image).getString("customer_id")).isEqualTo(clear.getString("customer_id"));
                assertThat(back.getStruct(image).getString("email")).isEqualTo(clear.getString("email"));
                assertThat((BigDecimal) back.getStruct(image).get("amount")).isEqualByComparingTo((BigDecimal) clear.get("amount"));
            }
        }
    }

    // --- helpers ---

    private static Struct order(long id, String customer, String email) {
        return new Struct(ROW).put("order_id", id).put("customer_id", customer).put("email", email)
                .put("amount", new BigDecimal("12.50")).put("currency", "EUR").put("status", "PAID")
                .put("updated_at", "2026-12-04T18:00:00Z");
    }

    private static SourceRecord change(Struct before, Struct after) {
        Struct envelope = new Struct(ENVELOPE).put("before", before).put("after", after)
                .put("source", new Struct(SOURCE).put("table", "orders").put("lsn", 1L)).put("op", before == null ? "c" : "u");
        Struct key = new Struct(KEY).put("order_id", after.getInt64("order_id"));
        // As the source's RegexRouter leaves it: the change topic.
        return new SourceRecord(Map.of("server", "orders"), Map.of("lsn", 1L), "orders.events.v1", null, KEY, key,
                ENVELOPE, envelope);
    }

    private static SourceRecord sourceContract(JsonNode source, SourceRecord record) {
        try (ValidateContract.Value<SourceRecord> contract = new ValidateContract.Value<>()) {
            contract.configure(transformConfig(source, "contract"));
            return contract.apply(record);
        }
    }

    private static ProtectFields.Value<SourceRecord> protect(JsonNode source) {
        ProtectFields.Value<SourceRecord> protect = new ProtectFields.Value<>();
        protect.configure(transformConfig(source, "protect"));
        return protect;
    }

    /** {@code valid} or {@code invalid: <rules>}: a sink's {@code contract} transform on a consumed change. */
    private static String sinkVerdict(JsonNode sink, Struct value) {
        try (ValidateContract.Value<SinkRecord> contract = new ValidateContract.Value<>()) {
            Map<String, Object> config = transformConfig(sink, "contract");
            config.put("on.failure", "tag"); // the verdict as headers instead of an exception for the DLQ
            contract.configure(config);
            SinkRecord out = contract.apply(new SinkRecord("orders.events.v1", 0, KEY, null, value.schema(), value, 0));
            String status = String.valueOf(out.headers().lastWithName("dq.status").value());
            return status.equals("valid") ? status : status + ": " + out.headers().lastWithName("dq.rules").value();
        }
    }

    /** Whether the predicate of a transform (a TopicNameMatches) lets it run on {@code topic}. */
    private static boolean predicateMatches(JsonNode config, String alias, String topic) {
        String predicate = config.path("transforms." + alias + ".predicate").asText();
        assertThat(config.path("predicates." + predicate + ".type").asText())
                .isEqualTo("org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        return Pattern.compile(config.path("predicates." + predicate + ".pattern").asText()).matcher(topic).matches();
    }

    /** A transform's own keys, as Connect hands them to it, with this test's keyset for the env reference. */
    private static Map<String, Object> transformConfig(JsonNode config, String alias) {
        String prefix = "transforms." + alias + ".";
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            if (key.startsWith(prefix) && !List.of("type", "predicate", "negate").contains(key.substring(prefix.length()))) {
                out.put(key.substring(prefix.length()), f.getValue().asText().replace(KEYSET_REFERENCE, keyset));
            }
        }
        return out;
    }

    private static List<String> list(JsonNode config, String key) {
        return List.of(config.path(key).asText().split("\\s*,\\s*"));
    }

    private static List<String> headerValues(SourceRecord record) {
        List<String> values = new java.util.ArrayList<>();
        for (Header h : record.headers()) {
            values.add(String.valueOf(h.value()));
        }
        return values;
    }

    private static JsonNode config(String file) throws IOException {
        return JSON.readTree(orders.resolve(file).toFile()).path("config");
    }
}
