package dev.truthline.connect.benchmarks.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The configurations measured side by side: what sits between the consumer and the discarding sink. Each is the
 * sink connector's converter and transforms settings; the rules are the reference silver contract's, read from
 * {@code connector-configs/orders/orders-silver.json} itself, and the Groovy {@code Filter} checks the same four things
 * (the customer id is a token there: the source protects it).
 */
enum Chain {
    /** ByteArrayConverter and no transforms: the consumer and the Connect framework alone (the floor). */
    BYTES("bytes", "no converter (bytes), no transforms"),
    /** The JSON converter and no transforms: the no-transform baseline every share is computed against. */
    CONVERTER("converter", "JSON converter, no transforms"),
    /** The converter and ValidateContract with the reference silver rules. */
    CONTRACT("contract", "ValidateContract (4 reference rules)"),
    /** The converter and Deduplicate alone, as the reference silver connector runs it: its own share of the chain. */
    DEDUPE("dedupe", "Deduplicate (debezium, the reference window)"),
    /** The converter and the reference silver chain: ValidateContract, Deduplicate (debezium), ExtractNewRecordState. */
    CHAIN("chain", "ValidateContract + Deduplicate + ExtractNewRecordState"),
    /** The converter and the same four checks in Debezium's scripting Filter (Groovy). */
    GROOVY("groovy", "Debezium Filter (Groovy), same 4 checks");

    /** The condition of the Groovy Filter: the four reference rules, true for a valid change (Filter keeps it). */
    static final String GROOVY_CONDITION = String.join("\n",
            "@groovy.transform.Field static final Set STATUSES = ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as Set",
            "@groovy.transform.Field static final Set CURRENCIES = java.util.Currency.availableCurrencies*.currencyCode as Set",
            "@groovy.transform.Field static final java.util.regex.Pattern CUSTOMER = ~/A[Q-Za-f][A-Za-z0-9_-]{28,}/",
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

    /** What sits between the consumer and {@code sink}. */
    String description(Sink sink) {
        if (sink == Sink.DISCARD) {
            return description;
        }
        return switch (this) {
            case CONVERTER -> "JSON converter, ExtractNewRecordState + KafkaMetadataTransform (the silver row, no Truthline)";
            case CONTRACT -> "ValidateContract (4 reference rules) + ExtractNewRecordState + dq HeaderToValue + KafkaMetadataTransform";
            case CHAIN -> "the reference silver chain: ValidateContract + Deduplicate + ExtractNewRecordState + dq HeaderToValue + KafkaMetadataTransform";
            default -> description;
        };
    }

    static Chain of(String id) {
        return Option.of(Chain.class, Chain::id, "configuration", id);
    }

    /** Converters and transforms of the discarding sink connector reading {@code format}. */
    Map<String, String> settings(WireFormat format) {
        return settings(format, Sink.DISCARD);
    }

    /**
     * Converters and transforms of the {@code sink} connector reading {@code format}. Into Iceberg every configuration
     * also runs what the reference silver connector needs to write a row, as {@code orders-silver.json} defines it:
     * {@code ExtractNewRecordState} (the flattened row) and {@code KafkaMetadataTransform} ({@code _kafka_metadata}),
     * and after a contract the {@code dq} {@code HeaderToValue} (the contract's headers as columns). So {@code converter}
     * writes the same flattened row as the others, and what the others add is Truthline's alone (the contract, the
     * dedupe and the columns of the contract's headers).
     */
    Map<String, String> settings(WireFormat format, Sink sink) {
        if (sink == Sink.ICEBERG) {
            return icebergSettings(format);
        }
        Map<String, String> c = new LinkedHashMap<>();
        if (this == BYTES) {
            c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            return c;
        }
        jsonConverters(c, format);
        switch (this) {
            case CONTRACT -> {
                c.put("transforms", "contract");
                contract(c);
            }
            case DEDUPE -> {
                c.put("transforms", "dedupe");
                dedupe(c);
            }
            case CHAIN -> {
                c.put("transforms", "contract,dedupe,unwrap");
                contract(c);
                dedupe(c);
                c.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
                c.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
                if (format.structs()) {
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

    private static void jsonConverters(Map<String, String> c, WireFormat format) {
        for (String side : List.of("key", "value")) {
            c.put(side + ".converter", "org.apache.kafka.connect.json.JsonConverter");
            c.put(side + ".converter.schemas.enable", String.valueOf(format.structs()));
            c.put(side + ".converter.decimal.format", "NUMERIC");
            if (format.schemaContent()) {
                c.put(side + ".converter.schema.content", OrderChanges.schemaContent(side.equals("key")));
            }
        }
    }

    /** The reference silver connector's {@code window.max.entries}; {@code --window-entries} measures others. */
    static final int REFERENCE_WINDOW = 1_000_000;
    static final String WINDOW_KEY = "transforms.dedupe.window.max.entries";

    /** {@code config} with Deduplicate's window set to {@code entries} ids, where it runs Deduplicate. */
    static Map<String, String> withWindow(Map<String, String> config, int entries) {
        config.computeIfPresent(WINDOW_KEY, (k, v) -> Integer.toString(entries));
        return config;
    }

    /** Deduplicate as the reference silver connector runs it, without its window rebuild (every pass is fresh). */
    private static void dedupe(Map<String, String> c) {
        c.put("transforms.dedupe.type", "dev.truthline.connect.dedupe.Deduplicate");
        c.put("transforms.dedupe.strategy", "debezium");
        c.put("transforms.dedupe.on.duplicate", "drop");
        c.put("transforms.dedupe.missing.id", "fail");
        c.put(WINDOW_KEY, Integer.toString(REFERENCE_WINDOW));
        c.put("transforms.dedupe.window.ttl.ms", "3600000");
    }

    private Map<String, String> icebergSettings(WireFormat format) {
        Map<String, String> c = new LinkedHashMap<>();
        jsonConverters(c, format);
        // The contract's dq.* headers reach the dq transform as text, as in orders-silver.json.
        c.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
        List<String> aliases = switch (this) {
            case CONVERTER -> List.of("unwrap", "kafka");
            case CONTRACT -> List.of("contract", "unwrap", "dq", "kafka");
            case CHAIN -> List.of("contract", "dedupe", "unwrap", "dq", "kafka");
            default -> throw new IllegalArgumentException(id + " does not run into Iceberg");
        };
        c.put("transforms", String.join(",", aliases));
        for (String alias : aliases) {
            if (alias.equals("dedupe")) {
                dedupe(c);
            } else {
                c.putAll(silver("transforms." + alias + "."));
            }
        }
        return c;
    }

    /** Where the build puts the reference silver connector ({@code connector-configs/orders/orders-silver.json}). */
    static final String SILVER_RESOURCE = "/reference/orders-silver.json";

    /** The reference silver contract: every {@code transforms.contract.*} key of {@code orders-silver.json}. */
    static Map<String, String> silverContract() {
        return silver("transforms.contract.");
    }

    /** Every key of {@code orders-silver.json} that starts with {@code prefix}. */
    static Map<String, String> silver(String prefix) {
        Map<String, String> c = new LinkedHashMap<>();
        reference(SILVER_RESOURCE).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                c.put(k, v);
            }
        });
        return c;
    }

    /** The {@code config} of a reference connector file the build copies onto the class path ({@code /reference/…}). */
    static Map<String, String> reference(String resource) {
        try (InputStream in = Chain.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (the build copies it)");
            }
            JsonNode config = new ObjectMapper().readTree(in).path("config");
            Map<String, String> c = new LinkedHashMap<>();
            config.fields().forEachRemaining(e -> c.put(e.getKey(), e.getValue().asText()));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void contract(Map<String, String> c) {
        c.putAll(silverContract());
    }
}
