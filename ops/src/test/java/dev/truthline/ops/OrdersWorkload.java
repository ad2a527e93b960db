package dev.truthline.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connector the operations tests observe: a sink reading JSON orders through {@code ValidateContract}
 * (two rules, {@code on.failure=fail}: invalid orders go to the dead-letter queue) and {@code Deduplicate}
 * (by {@code value.id}), into a sink that discards them — so the Truthline and Connect metrics an operator
 * alerts on all move: records, violations per rule, DLQ produce requests, duplicates, window size, lag.
 */
final class OrdersWorkload {

    static final String CONNECTOR = "orders-observed";
    static final String TOPIC = "orders-observed";
    static final String DLQ = "orders-observed.dlq";
    static final String VALIDATE = "contract";
    static final String DEDUPE = "dedupe";
    static final String RULE_AMOUNT = "amount_positive";
    static final String RULE_CURRENCY = "currency_known";

    private int next;

    static Map<String, String> connectorConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "dev.truthline.connect.harness.DiscardingSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", TOPIC);
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", DLQ);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("transforms", VALIDATE + "," + DEDUPE);
        c.put("transforms." + VALIDATE + ".type", "dev.truthline.connect.validation.ValidateContract$Value");
        c.put("transforms." + VALIDATE + ".contract.id", "orders");
        c.put("transforms." + VALIDATE + ".contract.version", "1.0.0");
        c.put("transforms." + VALIDATE + ".on.failure", "fail");
        c.put("transforms." + VALIDATE + ".rules", RULE_AMOUNT + "," + RULE_CURRENCY);
        c.put("transforms." + VALIDATE + ".rules." + RULE_AMOUNT + ".type", "range");
        c.put("transforms." + VALIDATE + ".rules." + RULE_AMOUNT + ".field", "amount");
        c.put("transforms." + VALIDATE + ".rules." + RULE_AMOUNT + ".min", "0");
        c.put("transforms." + VALIDATE + ".rules." + RULE_CURRENCY + ".type", "in");
        c.put("transforms." + VALIDATE + ".rules." + RULE_CURRENCY + ".field", "currency");
        c.put("transforms." + VALIDATE + ".rules." + RULE_CURRENCY + ".values", "EUR,USD");
        c.put("transforms." + DEDUPE + ".type", "dev.truthline.connect.dedupe.Deduplicate");
        c.put("transforms." + DEDUPE + ".strategy", "event_id");
        c.put("transforms." + DEDUPE + ".id.fields", "value.id");
        c.put("transforms." + DEDUPE + ".window.max.entries", "1000");
        return c;
    }

    /** {@code count} new valid orders, keyed by id. */
    Map<String, String> valid(int count) {
        Map<String, String> orders = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int id = next++;
            orders.put("o" + id, "{\"id\":\"o" + id + "\",\"amount\":" + (10 + id % 90) + ",\"currency\":\"EUR\"}");
        }
        return orders;
    }

    /** {@code count} new orders with a negative amount: they violate {@link #RULE_AMOUNT} only. */
    Map<String, String> invalid(int count) {
        Map<String, String> orders = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int id = next++;
            orders.put("o" + id, "{\"id\":\"o" + id + "\",\"amount\":-" + (1 + id % 9) + ",\"currency\":\"EUR\"}");
        }
        return orders;
    }
}
