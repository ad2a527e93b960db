package dev.truthline.connect.it;

import static dev.truthline.connect.it.Orders.NODES;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.connect.it.Orders.Order;
import dev.truthline.connect.it.PackagedPluginIT.Poison;

/**
 * Bad inputs for the orders sink, as raw bytes, each with the stage of Connect's pipeline that must
 * refuse it: {@code VALUE_CONVERTER} / {@code KEY_CONVERTER} (the JSON converter cannot read it),
 * {@code TRANSFORMATION} (ValidateContract finds it breaks the contract), or {@code null} for input that
 * is valid and passes.
 */
final class PoisonCorpus {

    static final String VALUE = "VALUE_CONVERTER";
    static final String KEY = "KEY_CONVERTER";
    static final String CONTRACT = "TRANSFORMATION";

    private PoisonCorpus() {
    }

    static List<Poison> records() {
        List<Poison> corpus = new ArrayList<>();
        long id = 900_000;
        byte[] key = Orders.key(id);

        // Not the converter's format at all.
        corpus.add(new Poison("truncated json", key, "{\"schema\":{\"type\":\"struct\",\"fields\":[".getBytes(UTF_8), VALUE));
        corpus.add(new Poison("plain text", key, "garbage, not json".getBytes(UTF_8), VALUE));
        corpus.add(new Poison("empty bytes", key, new byte[0], VALUE));
        corpus.add(new Poison("json array", key, "[1,2,3]".getBytes(UTF_8), VALUE));
        corpus.add(new Poison("json null literal", key, "null".getBytes(UTF_8), VALUE));
        corpus.add(new Poison("schema without payload", key, ("{\"schema\":" + Orders.valueSchema() + "}").getBytes(UTF_8), VALUE));
        corpus.add(new Poison("payload without schema", key, ("{\"payload\":" + payload(id, p -> { }) + "}").getBytes(UTF_8), VALUE));
        corpus.add(new Poison("binary noise", key, new byte[] {0, (byte) 0xff, 0x13, 0x37, (byte) 0x80}, VALUE));
        // Numbers JSON cannot hold.
        corpus.add(new Poison("NaN token", key, replace(valid(id), "\"amount\":" + amountOf(id), "\"amount\":NaN"), VALUE));
        corpus.add(new Poison("Infinity token", key, replace(valid(id), "\"amount\":" + amountOf(id), "\"amount\":Infinity"), VALUE));
        // Broken text encoding.
        corpus.add(new Poison("invalid utf-8 in a string", key, invalidUtf8(id), VALUE));
        // Nesting deeper than the JSON parser allows.
        corpus.add(new Poison("nesting 5000 deep", key, ("[".repeat(5000) + "]".repeat(5000)).getBytes(UTF_8), VALUE));
        // The schema says required, the payload has nothing.
        corpus.add(new Poison("required field missing", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.remove("status"))), VALUE));
        corpus.add(new Poison("null in a required field", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.putNull("sku"))), VALUE));
        // A key the converter cannot read.
        corpus.add(new Poison("malformed key", "{not a key".getBytes(UTF_8), valid(id), KEY));

        // Readable, but against the contract.
        corpus.add(new Poison("null customer", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.putNull("customer_id"))), CONTRACT));
        corpus.add(new Poison("amount as a string", key, withField(id, "amount", "string", NODES.textNode("12.50")), CONTRACT));
        corpus.add(new Poison("qty as a string", key, withField(id, "qty", "string", NODES.textNode("five")), CONTRACT));
        corpus.add(new Poison("amount as a boolean", key, withField(id, "amount", "boolean", NODES.booleanNode(true)), CONTRACT));
        corpus.add(new Poison("amount 1e400 (infinity)", key, replace(valid(id), "\"amount\":" + amountOf(id), "\"amount\":1e400"), CONTRACT));
        corpus.add(new Poison("amount -1e400 (-infinity)", key, replace(valid(id), "\"amount\":" + amountOf(id), "\"amount\":-1e400"), CONTRACT));
        corpus.add(new Poison("negative amount", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.put("amount", -0.01))), CONTRACT));
        corpus.add(new Poison("huge string (900 KB)", key, Orders.envelope(Orders.valueSchema(),
                payload(id, p -> p.put("customer_id", "c" + "a".repeat(900_000)))), CONTRACT));
        corpus.add(new Poison("huge array (100,000 elements)", key, hugeArray(id), CONTRACT));
        corpus.add(new Poison("customer nested 200 structs deep", key, deepStruct(id, 200), CONTRACT));
        corpus.add(new Poison("regex backtracking bait", key, Orders.envelope(Orders.valueSchema(),
                payload(id, p -> p.put("customer_id", "c" + "a".repeat(5_000) + "!"))), CONTRACT));
        // Escapes in the JSON text itself: a lone UTF-16 surrogate and a NUL, both legal JSON.
        String customer = "\"customer_id\":\"" + Order.valid(id).customer() + "\"";
        corpus.add(new Poison("lone surrogate", key, replace(valid(id), customer, "\"customer_id\":\"c\\ud800\""), CONTRACT));
        corpus.add(new Poison("NUL character", key, replace(valid(id), customer, "\"customer_id\":\"c\\u0000x\""), CONTRACT));
        corpus.add(new Poison("lower-case status", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.put("status", "paid"))), CONTRACT));
        corpus.add(new Poison("unknown currency", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.put("currency", "ZZZ"))), CONTRACT));
        corpus.add(new Poison("zero quantity", key, Orders.envelope(Orders.valueSchema(), payload(id, p -> p.put("qty", 0))), CONTRACT));
        corpus.add(new Poison("sku with SQL", key, Orders.envelope(Orders.valueSchema(),
                payload(id, p -> p.put("sku", "ABC-1234'); DROP TABLE orders_poison; --"))), CONTRACT));
        corpus.add(new Poison("value is a bare string", key, Orders.envelope(NODES.objectNode().put("type", "string"),
                NODES.textNode("just a string")), CONTRACT));

        // Valid, and passes: a tombstone (deletes an order that does not exist).
        corpus.add(new Poison("tombstone", Orders.key(id + 1), null, null));
        return corpus;
    }

    private static ObjectNode payload(long id, Consumer<ObjectNode> change) {
        ObjectNode payload = (ObjectNode) parse(Order.valid(id).value()).get("payload");
        change.accept(payload);
        return payload;
    }

    private static byte[] valid(long id) {
        return Order.valid(id).value();
    }

    private static String amountOf(long id) {
        return parse(valid(id)).get("payload").get("amount").toString();
    }

    private static byte[] replace(byte[] json, String from, String to) {
        String text = new String(json, UTF_8);
        if (!text.contains(from)) {
            throw new IllegalStateException(from + " not in " + text);
        }
        return text.replace(from, to).getBytes(UTF_8);
    }

    /** A payload whose field has another type, with a schema that says so. */
    private static byte[] withField(long id, String field, String type, JsonNode value) {
        ObjectNode schema = Orders.valueSchema();
        for (JsonNode f : schema.get("fields")) {
            if (f.get("field").asText().equals(field)) {
                ((ObjectNode) f).put("type", type);
            }
        }
        return Orders.envelope(schema, payload(id, p -> p.set(field, value)));
    }

    private static byte[] hugeArray(long id) {
        ObjectNode schema = Orders.valueSchema();
        for (JsonNode f : schema.get("fields")) {
            if (f.get("field").asText().equals("customer_id")) {
                ((ObjectNode) f).put("type", "array").set("items", NODES.objectNode().put("type", "string"));
            }
        }
        ArrayNode items = NODES.arrayNode();
        for (int i = 0; i < 100_000; i++) {
            items.add("c" + i);
        }
        return Orders.envelope(schema, payload(id, p -> p.set("customer_id", items)));
    }

    private static byte[] deepStruct(long id, int depth) {
        ObjectNode innerSchema = NODES.objectNode().put("type", "string").put("optional", true);
        JsonNode innerValue = NODES.textNode("c1");
        for (int i = 0; i < depth; i++) {
            ObjectNode s = NODES.objectNode().put("type", "struct").put("optional", true);
            s.putArray("fields").add(innerSchema.deepCopy().put("field", "n"));
            innerSchema = s;
            innerValue = NODES.objectNode().set("n", innerValue);
        }
        ObjectNode schema = Orders.valueSchema();
        for (JsonNode f : schema.get("fields")) {
            if (f.get("field").asText().equals("customer_id")) {
                ((ObjectNode) f).removeAll();
                ((ObjectNode) f).setAll(innerSchema);
                ((ObjectNode) f).put("field", "customer_id");
            }
        }
        JsonNode value = innerValue;
        return Orders.envelope(schema, payload(id, p -> p.set("customer_id", value)));
    }

    private static byte[] invalidUtf8(long id) {
        byte[] json = Orders.envelope(Orders.valueSchema(), payload(id, p -> p.put("customer_id", "cXX")));
        String text = new String(json, UTF_8);
        int at = text.indexOf("cXX") + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(json, 0, at);
        out.write(0xff);
        out.write(0xfe);
        out.write(json, at + 2, json.length - at - 2);
        return out.toByteArray();
    }

    private static JsonNode parse(byte[] json) {
        try {
            return TruthlineCluster.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
