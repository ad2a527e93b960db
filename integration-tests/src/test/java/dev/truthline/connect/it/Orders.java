package dev.truthline.connect.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.json.JsonConverter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The orders data of the sink tests: order events as the JSON converter (with schemas) writes them,
 * the contract they are held to, the warehouse table they land in and the connector that puts them
 * there — the Debezium JDBC sink in upsert mode behind {@code ValidateContract} and {@code Deduplicate},
 * with Connect's dead-letter queue.
 *
 * <p>Every event has a unique {@code event_id} and its own {@code order_id} (the table's primary key);
 * a re-sent copy carries the same {@code event_id} and order but a higher {@code copy_no}, so the
 * table's write log ({@code <table>_writes}, filled by a trigger on every INSERT and UPDATE) shows
 * exactly which copies reached the table.
 */
final class Orders {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The contract, as inline rules: one rule per way an event below can be invalid. */
    static final Map<String, String> CONTRACT = contract();

    /** The rule each kind of invalid event breaks, in the order {@link Order#invalid} cycles through them. */
    static final List<String> BROKEN_RULES = List.of("customer_required", "amount_range", "currency_iso",
            "status_in", "sku_format", "qty_min", "paid_has_amount", "customer_format");

    private Orders() {
    }

    /** One order event. */
    record Order(long orderId, String eventId, String customer, double amount, String currency, String status,
            String sku, int qty, int copyNo) {

        static Order valid(long orderId) {
            return new Order(orderId, "evt-" + orderId, "c" + (orderId % 97), 10 + orderId % 1000,
                    orderId % 2 == 0 ? "EUR" : "USD", orderId % 3 == 0 ? "PAID" : "NEW",
                    "SKU-" + String.format("%04d", orderId % 10_000), 1 + (int) (orderId % 5), 0);
        }

        /** An event that breaks exactly {@code BROKEN_RULES.get(kind)}. */
        static Order invalid(long orderId, int kind) {
            Order o = valid(orderId);
            return switch (kind % BROKEN_RULES.size()) {
                case 0 -> new Order(orderId, o.eventId, null, o.amount, o.currency, o.status, o.sku, o.qty, 0);
                case 1 -> new Order(orderId, o.eventId, o.customer, 2_000_000, o.currency, "NEW", o.sku, o.qty, 0);
                case 2 -> new Order(orderId, o.eventId, o.customer, o.amount, "ZZZ", o.status, o.sku, o.qty, 0);
                case 3 -> new Order(orderId, o.eventId, o.customer, o.amount, o.currency, "LOST", o.sku, o.qty, 0);
                case 4 -> new Order(orderId, o.eventId, o.customer, o.amount, o.currency, o.status, "sku-1", o.qty, 0);
                case 5 -> new Order(orderId, o.eventId, o.customer, o.amount, o.currency, o.status, o.sku, 0, 0);
                case 6 -> new Order(orderId, o.eventId, o.customer, 0, o.currency, "PAID", o.sku, o.qty, 0);
                default -> new Order(orderId, o.eventId, "C-UPPER", o.amount, o.currency, o.status, o.sku, o.qty, 0);
            };
        }

        Order copy(int copyNo) {
            return new Order(orderId, eventId, customer, amount, currency, status, sku, qty, copyNo);
        }

        byte[] key() {
            return Orders.key(orderId);
        }

        byte[] value() {
            ObjectNode payload = NODES.objectNode();
            payload.put("order_id", orderId);
            payload.put("event_id", eventId);
            if (customer == null) {
                payload.putNull("customer_id");
            } else {
                payload.put("customer_id", customer);
            }
            payload.put("amount", amount);
            payload.put("currency", currency);
            payload.put("status", status);
            payload.put("sku", sku);
            payload.put("qty", qty);
            payload.put("copy_no", copyNo);
            return envelope(valueSchema(), payload);
        }
    }

    static byte[] key(long orderId) {
        ObjectNode schema = NODES.objectNode().put("type", "struct").put("optional", false).put("name", "orders.Key");
        schema.putArray("fields").add(field("order_id", "int64", false));
        ObjectNode payload = NODES.objectNode().put("order_id", orderId);
        return envelope(schema, payload);
    }

    /** The value schema valid events are written with. */
    static ObjectNode valueSchema() {
        ObjectNode schema = NODES.objectNode().put("type", "struct").put("optional", false).put("name", "orders.Value");
        ArrayNode fields = schema.putArray("fields");
        fields.add(field("order_id", "int64", false));
        fields.add(field("event_id", "string", false));
        fields.add(field("customer_id", "string", true));
        fields.add(field("amount", "double", false));
        fields.add(field("currency", "string", false));
        fields.add(field("status", "string", false));
        fields.add(field("sku", "string", false));
        fields.add(field("qty", "int32", false));
        fields.add(field("copy_no", "int32", false));
        return schema;
    }

    static ObjectNode field(String name, String type, boolean optional) {
        return NODES.objectNode().put("field", name).put("type", type).put("optional", optional);
    }

    /** The JSON converter's wire format with schemas enabled. */
    static byte[] envelope(JsonNode schema, JsonNode payload) {
        ObjectNode envelope = NODES.objectNode();
        envelope.set("schema", schema);
        envelope.set("payload", payload);
        return envelope.toString().getBytes(UTF_8);
    }

    private static Map<String, String> contract() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("contract.id", "orders");
        c.put("contract.version", "1");
        rule(c, "customer_required", "required", "customer_id", Map.of());
        rule(c, "customer_type", "type", "customer_id", Map.of("expected", "string"));
        // Nested repetition: a backtracking engine explodes on "c" + "a" * 5000 + "!"; RE2 does not.
        rule(c, "customer_format", "regex", "customer_id", Map.of("pattern", "(c[a-z0-9]*)+"));
        rule(c, "customer_length", "length", "customer_id", Map.of("max", "64"));
        rule(c, "amount_type", "type", "amount", Map.of("expected", "double"));
        rule(c, "amount_range", "range", "amount", Map.of("min", "0", "max", "1000000"));
        rule(c, "currency_iso", "iso_currency", "currency", Map.of());
        rule(c, "status_in", "in", "status", Map.of("values", "NEW,PAID,SHIPPED,CANCELLED"));
        rule(c, "sku_format", "regex", "sku", Map.of("pattern", "[A-Z]{3}-[0-9]{4}"));
        rule(c, "qty_type", "type", "qty", Map.of("expected", "int"));
        rule(c, "qty_min", "range", "qty", Map.of("min", "1"));
        rule(c, "paid_has_amount", "cel", null, Map.of("expr", "value.status != 'PAID' || value.amount > 0.0"));
        c.put("rules", String.join(",", ruleNames(c)));
        return c;
    }

    private static List<String> ruleNames(Map<String, String> c) {
        List<String> names = new ArrayList<>();
        for (String key : c.keySet()) {
            if (key.startsWith("rules.") && key.endsWith(".type")) {
                names.add(key.substring("rules.".length(), key.length() - ".type".length()));
            }
        }
        return names;
    }

    private static void rule(Map<String, String> c, String name, String type, String field, Map<String, String> params) {
        c.put("rules." + name + ".type", type);
        if (field != null) {
            c.put("rules." + name + ".field", field);
        }
        params.forEach((k, v) -> c.put("rules." + name + "." + k, v));
    }

    /** The warehouse table and its write log. */
    static void createTable(TruthlineCluster cluster, String table) throws SQLException {
        cluster.sql("CREATE TABLE " + table + " (order_id bigint PRIMARY KEY, event_id text NOT NULL, customer_id text, "
                        + "amount double precision, currency text, status text, sku text, qty integer, copy_no integer)",
                "CREATE TABLE " + table + "_writes (event_id text NOT NULL, copy_no integer NOT NULL, "
                        + "written_at timestamptz NOT NULL DEFAULT clock_timestamp())",
                "CREATE FUNCTION " + table + "_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO " + table + "_writes (event_id, copy_no) VALUES (NEW.event_id, NEW.copy_no); "
                        + "RETURN NEW; END $$",
                "CREATE TRIGGER " + table + "_log AFTER INSERT OR UPDATE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION " + table + "_log()");
    }

    /** The JDBC sink with the contract (fail → DLQ) and de-duplication by event id. */
    static Map<String, String> sinkConfig(TruthlineCluster cluster, String topic, String table, String dlq, int tasks) {
        Map<String, String> config = jdbcUpsert(cluster, topic, table, tasks);
        config.put("delete.enabled", "true");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("consumer.override.max.poll.records", "500");
        config.put("transforms", "contract,dedupe");
        config.put("transforms.contract.type", TruthlineCluster.VALIDATE_VALUE);
        config.put("transforms.contract.on.failure", "fail");
        CONTRACT.forEach((k, v) -> config.put("transforms.contract." + k, v));
        config.put("transforms.dedupe.type", TruthlineCluster.DEDUPLICATE);
        config.put("transforms.dedupe.strategy", "event_id");
        config.put("transforms.dedupe.id.fields", "value.event_id");
        return config;
    }

    /** The Debezium JDBC sink upserting {@code topic} into an existing {@code table} by record key; JSON converters. */
    static Map<String, String> jdbcUpsert(TruthlineCluster cluster, String topic, String table, int tasks) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", TruthlineCluster.JDBC_SINK);
        config.put("tasks.max", String.valueOf(tasks));
        config.put("topics", topic);
        config.put("connection.url", cluster.jdbcUrl());
        config.put("connection.username", "postgres");
        config.put("connection.password", "postgres");
        config.put("insert.mode", "upsert");
        config.put("primary.key.mode", "record_key");
        config.put("schema.evolution", "none");
        config.put("collection.name.format", table);
        config.put("key.converter", JsonConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        return config;
    }

    /** {@code event_id} → {@code copy_no} of every row in the table. */
    static Map<String, Integer> rows(TruthlineCluster cluster, String table) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id, copy_no FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2));
            }
        }
        return rows;
    }

    /** Every (event id, copy number) the table was ever written with. */
    static Set<String> writes(TruthlineCluster cluster, String table) throws SQLException {
        Set<String> writes = new HashSet<>();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id, copy_no FROM " + table + "_writes")) {
            while (rs.next()) {
                writes.add(rs.getString(1) + "#" + rs.getInt(2));
            }
        }
        return writes;
    }

    /** The table's row count for a failure message; -1 when it cannot be read. */
    static long rowCount(TruthlineCluster cluster, String table) {
        try {
            return count(cluster, "SELECT count(*) FROM " + table);
        } catch (SQLException e) {
            return -1;
        }
    }

    static long count(TruthlineCluster cluster, String sql) throws SQLException {
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
