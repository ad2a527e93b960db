package dev.truthline.connect.benchmarks.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations measured side by side: what sits between the consumer and the discarding sink. Each is the
 * sink connector's converter and transforms settings; the rules are the reference silver contract's
 * ({@code connector-configs/orders/orders-silver.json}), and the Groovy {@code Filter} checks the same four things.
 */
enum Chain {
    /** ByteArrayConverter and no transforms: the consumer and the Connect framework alone (the floor). */
    BYTES("bytes", "no converter (bytes), no transforms"),
    /** The JSON converter and no transforms: the no-transform baseline every share is computed against. */
    CONVERTER("converter", "JSON converter, no transforms"),
    /** The converter and ValidateContract with the reference silver rules. */
    CONTRACT("contract", "ValidateContract (4 reference rules)"),
    /** The converter and the reference silver chain: ValidateContract, Deduplicate (debezium), ExtractNewRecordState. */
    CHAIN("chain", "ValidateContract + Deduplicate + ExtractNewRecordState"),
    /** The converter and the same four checks in Debezium's scripting Filter (Groovy). */
    GROOVY("groovy", "Debezium Filter (Groovy), same 4 checks");

    /** The condition of the Groovy Filter: the four reference rules, true for a valid change (Filter keeps it). */
    static final String GROOVY_CONDITION = String.join("\n",
            "@groovy.transform.Field static final Set STATUSES = ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as Set",
            "@groovy.transform.Field static final Set CURRENCIES = java.util.Currency.availableCurrencies*.currencyCode as Set",
            "@groovy.transform.Field static final java.util.regex.Pattern CUSTOMER = ~/C[0-9]{6}/",
            "def row = value.op == 'd' ? value.before : value.after",
            "def amount = row.amount",
            "(row.customer_id == null || CUSTOMER.matcher(row.customer_id).matches())",
            "  && (amount == null || (amount >= 0 && amount <= 1000000))",
            "  && (row.currency == null || row.currency in CURRENCIES)",
            "  && (row.status == null || row.status in STATUSES)");

    private final String id;
    private final String description;

    Chain(String id, String description) {
        this.id = id;
        this.description = description;
    }

    String id() {
        return id;
    }

    String description() {
        return description;
    }

    static Chain of(String id) {
        for (Chain c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown configuration '" + id + "' (bytes, converter, contract, chain, groovy)");
    }

    /** Converters and transforms of the sink connector reading {@code format}. */
    Map<String, String> settings(WireFormat format) {
        Map<String, String> c = new LinkedHashMap<>();
        if (this == BYTES) {
            c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            return c;
        }
        for (String side : List.of("key", "value")) {
            c.put(side + ".converter", "org.apache.kafka.connect.json.JsonConverter");
            c.put(side + ".converter.schemas.enable", String.valueOf(format.schemas()));
            c.put(side + ".converter.decimal.format", "NUMERIC");
        }
        switch (this) {
            case CONTRACT -> {
                c.put("transforms", "contract");
                contract(c);
            }
            case CHAIN -> {
                c.put("transforms", "contract,dedupe,unwrap");
                contract(c);
                c.put("transforms.dedupe.type", "dev.truthline.connect.dedupe.Deduplicate");
                c.put("transforms.dedupe.strategy", "debezium");
                c.put("transforms.dedupe.on.duplicate", "drop");
                c.put("transforms.dedupe.missing.id", "fail");
                c.put("transforms.dedupe.window.max.entries", "1000000");
                c.put("transforms.dedupe.window.ttl.ms", "3600000");
                c.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
                c.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
                if (format.schemas()) {
                    // Schemaless values pass ExtractNewRecordState untouched: it only unwraps Structs.
                    c.put("transforms.unwrap.add.fields", "op,ts_ms,source.ts_ms,source.lsn,source.sequence,source.txId");
                }
            }
            case GROOVY -> {
                c.put("transforms", "filter");
                c.put("transforms.filter.type", "io.debezium.transforms.Filter");
                c.put("transforms.filter.language", "jsr223.groovy");
                c.put("transforms.filter.condition", GROOVY_CONDITION);
            }
            default -> {
            }
        }
        return c;
    }

    /** The reference silver contract, as {@code orders-silver.json} has it. */
    private static void contract(Map<String, String> c) {
        String p = "transforms.contract.";
        c.put(p + "type", "dev.truthline.connect.validation.ValidateContract$Value");
        c.put(p + "envelope", "debezium");
        c.put(p + "on.failure", "fail");
        c.put(p + "mode", "enforce");
        c.put(p + "contract.id", "orders");
        c.put(p + "contract.version", "1");
        c.put(p + "rules", "customer_format,amount_range,currency_iso,status_known");
        c.put(p + "rules.customer_format.type", "regex");
        c.put(p + "rules.customer_format.field", "customer_id");
        c.put(p + "rules.customer_format.pattern", "C[0-9]{6}");
        c.put(p + "rules.amount_range.type", "range");
        c.put(p + "rules.amount_range.field", "amount");
        c.put(p + "rules.amount_range.min", "0.00");
        c.put(p + "rules.amount_range.max", "1000000.00");
        c.put(p + "rules.currency_iso.type", "iso_currency");
        c.put(p + "rules.currency_iso.field", "currency");
        c.put(p + "rules.status_known.type", "in");
        c.put(p + "rules.status_known.field", "status");
        c.put(p + "rules.status_known.values", "NEW,PAID,SHIPPED,DELIVERED,CANCELLED");
    }
}
