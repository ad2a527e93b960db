package dev.truthline.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import dev.truthline.connect.validation.ValidateContract;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The in-process example: order change events shaped like Debezium's, with a known share of
 * contract violations, go through {@code ValidateContract} as the source side of the reference
 * pipeline runs it ({@code on.failure=quarantine}); every event must be accounted for and every
 * injected fault caught by the rule it breaks. The embedded Kafka/Connect/PostgreSQL pipeline
 * replaces this once it exists.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs order change events through ValidateContract in-process and proves every event is accounted for.")
final class DemoCommand implements Callable<Integer> {

    static final String TOPIC = "orders.events.v1";
    static final String QUARANTINE = TOPIC + ".quarantine";

    /** The faults the demo injects; each breaks exactly one rule of the orders contract. */
    enum Fault {
        NEGATIVE_AMOUNT("amount_range"),
        UNKNOWN_CURRENCY("currency_iso"),
        UNKNOWN_COUNTRY("country_iso"),
        UNKNOWN_STATUS("status_known"),
        MALFORMED_EMAIL("email_format"),
        MALFORMED_SKU("sku_format"),
        MISSING_CUSTOMER("customer_required"),
        ZERO_QUANTITY("quantity_range");

        final String rule;

        Fault(String rule) {
            this.rule = rule;
        }
    }

    static final Schema ROW = SchemaBuilder.struct().name("demo.public.orders.Value").optional()
            .field("order_id", Schema.INT64_SCHEMA)
            .field("customer_id", Schema.OPTIONAL_INT64_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("country", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).build())
            .field("quantity", Schema.INT32_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sku", Schema.STRING_SCHEMA)
            .field("created_at", Timestamp.SCHEMA)
            .build();

    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("db", Schema.STRING_SCHEMA).field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.INT64_SCHEMA).build();

    static final Schema ENVELOPE = SchemaBuilder.struct().name("demo.public.orders.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA)
            .build();

    @Option(names = "--records", defaultValue = "100000", description = "Change events to generate (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--invalid-share", defaultValue = "0.05",
            description = "Share of events with an injected contract violation (default ${DEFAULT-VALUE}).")
    double invalidShare;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    /** The orders contract as inline rules, the way a connector config carries it. */
    static Map<String, String> ordersContract() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("contract.id", "orders");
        c.put("contract.version", "1");
        c.put("on.failure", "quarantine");
        c.put("rules", "order_required,customer_required,amount_range,currency_iso,country_iso,status_known,"
                + "email_format,sku_format,quantity_range,large_order");
        rule(c, "order_required", "required", "field", "order_id");
        rule(c, "customer_required", "required", "field", "customer_id");
        rule(c, "amount_range", "range", "field", "amount", "min", "0", "max", "1000000");
        rule(c, "currency_iso", "iso_currency", "field", "currency");
        rule(c, "country_iso", "iso_country", "field", "country");
        rule(c, "status_known", "in", "field", "status", "values", "NEW,PAID,SHIPPED,CANCELLED");
        rule(c, "email_format", "regex", "field", "email", "pattern", "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}");
        rule(c, "sku_format", "regex", "field", "sku", "pattern", "[A-Z]{3}-[0-9]{4}");
        rule(c, "quantity_range", "range", "field", "quantity", "min", "1", "max", "1000");
        rule(c, "large_order", "cel", "expr", "value.amount < 10000.0", "severity", "warn",
                "message", "order of 10000 or more: check for fraud");
        return c;
    }

    private static void rule(Map<String, String> c, String name, String type, String... params) {
        c.put("rules." + name + ".type", type);
        for (int i = 0; i < params.length; i += 2) {
            c.put("rules." + name + "." + params[i], params[i + 1]);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ValidateContract<SourceRecord> smt = new ValidateContract.Value<>();
        smt.configure(ordersContract());

        SplittableRandom random = new SplittableRandom(seed);
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        Map<String, Integer> quarantinedByRule = new TreeMap<>();
        int valid = 0;
        int quarantined = 0;
        int warned = 0;
        int expectedWarnings = 0;
        int misjudged = 0;
        SourceRecord sample = null;
        // Generate first, so the timing below is the contract's alone.
        SourceRecord[] events = new SourceRecord[records];
        Fault[] faults = new Fault[records];
        boolean[] large = new boolean[records];
        for (int i = 0; i < records; i++) {
            faults[i] = random.nextDouble() < invalidShare ? Fault.values()[random.nextInt(Fault.values().length)] : null;
            large[i] = faults[i] == null && random.nextDouble() < 0.02;
            events[i] = changeEvent(i, random, faults[i], large[i]);
        }
        SourceRecord[] results = new SourceRecord[records];
        long started = System.nanoTime();
        for (int i = 0; i < records; i++) {
            results[i] = smt.apply(events[i]);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        for (int i = 0; i < records; i++) {
            Fault fault = faults[i];
            if (large[i]) {
                expectedWarnings++;
            }
            SourceRecord result = results[i];
            if (QUARANTINE.equals(result.topic())) {
                quarantined++;
                String rules = (String) result.headers().lastWithName("dq.rules").value();
                quarantinedByRule.merge(rules, 1, Integer::sum);
                if (fault == null || !fault.rule.equals(rules)) {
                    misjudged++;
                }
                if (sample == null) {
                    sample = result;
                }
            } else {
                valid++;
                if (fault != null) {
                    misjudged++;
                }
                if (result.headers().lastWithName("dq.warnings") != null) {
                    warned++;
                }
            }
            if (fault != null) {
                injected.merge(fault, 1, Integer::sum);
            }
        }
        smt.close();

        int injectedTotal = injected.values().stream().mapToInt(Integer::intValue).sum();
        boolean balanced = valid + quarantined == records;
        boolean faultsCaught = misjudged == 0 && quarantined == injectedTotal && warned == expectedWarnings;

        out.printf("Truthline demo (in-process): %,d order change events through ValidateContract%n", records);
        out.printf("(source side of the reference pipeline: Debezium-shaped envelopes, on.failure=quarantine)%n%n");
        out.printf("  %-40s %,10d%n", "captured", records);
        out.printf("  %-40s %,10d%n", "valid -> " + TOPIC, valid);
        out.printf("  %-40s %,10d%n", "invalid -> " + QUARANTINE, quarantined);
        out.printf("  %-40s %,10d  (valid, tagged dq.warnings=large_order)%n", "warned", warned);
        out.printf("%nViolations by rule (quarantined records):%n");
        quarantinedByRule.forEach((rule, count) -> out.printf("  %-40s %,10d%n", rule, count));
        out.printf("%nAccounting: captured = valid + quarantined: %,d = %,d + %,d  %s%n", records, valid, quarantined,
                balanced ? "OK" : "MISMATCH");
        out.printf("Injected faults caught by the rule they break: %,d of %,d, misjudged records: %d  %s%n",
                quarantined - misjudged, injectedTotal, misjudged, faultsCaught ? "OK" : "MISMATCH");
        if (sample != null) {
            out.printf("%nHeaders of the first quarantined record:%n");
            for (Header h : sample.headers()) {
                out.printf("  %s = %s%n", h.key(), h.value());
            }
        }
        out.printf("%nThroughput: %,.0f records/s on one thread, JIT warm-up included (indicative; JMH figures: benchmarks/)%n",
                records / seconds);
        out.flush();
        return balanced && faultsCaught ? 0 : 1;
    }

    private static SourceRecord changeEvent(int i, SplittableRandom random, Fault fault, boolean large) {
        Struct row = new Struct(ROW)
                .put("order_id", (long) i)
                .put("customer_id", fault == Fault.MISSING_CUSTOMER ? null : 1000L + random.nextInt(5000))
                .put("status", fault == Fault.UNKNOWN_STATUS ? "LOST" : pick(random, "NEW", "PAID", "SHIPPED", "CANCELLED"))
                .put("currency", fault == Fault.UNKNOWN_CURRENCY ? "EUX" : pick(random, "EUR", "USD", "GBP", "CHF"))
                .put("country", fault == Fault.UNKNOWN_COUNTRY ? "ZZ" : pick(random, "DE", "FR", "US", "GB", "CH"))
                .put("amount", fault == Fault.NEGATIVE_AMOUNT ? new BigDecimal("-12.50")
                        : BigDecimal.valueOf(large ? 10_000_00L + random.nextInt(100_000) : 100 + random.nextInt(999_900), 2))
                .put("quantity", fault == Fault.ZERO_QUANTITY ? 0 : 1 + random.nextInt(20))
                .put("email", fault == Fault.MALFORMED_EMAIL ? "no-at-sign.example.com" : "buyer" + i + "@example.com")
                .put("sku", fault == Fault.MALFORMED_SKU ? "abc-12" : "SKU-" + (1000 + random.nextInt(9000)))
                .put("created_at", new java.util.Date(1_700_000_000_000L + i * 1000L));
        double op = random.nextDouble();
        String kind = op < 0.70 ? "c" : op < 0.95 ? "u" : "d";
        Struct envelope = new Struct(ENVELOPE)
                .put("op", kind)
                .put("source", new Struct(SOURCE).put("db", "demo").put("schema", "public").put("table", "orders")
                        .put("lsn", 1_000_000L + i))
                .put("before", kind.equals("c") ? null : row)
                .put("after", kind.equals("d") ? null : row);
        Map<String, Object> offset = new HashMap<>();
        offset.put("lsn", 1_000_000L + i);
        return new SourceRecord(Map.of("server", "demo"), offset, TOPIC, null,
                Schema.INT64_SCHEMA, (long) i, ENVELOPE, envelope);
    }

    private static String pick(SplittableRandom random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
