package dev.truthline.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

import dev.truthline.connect.dedupe.Deduplicate;
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
    static final int PARTITIONS = 3;

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

    @Option(names = "--duplicate-share", defaultValue = "0.03",
            description = "Share of events Debezium re-emits later, as after a restart (default ${DEFAULT-VALUE}).")
    double duplicateShare;

    @Option(names = "--rewind", defaultValue = "1000",
            description = "Records of partition 0 redelivered at their own offsets at the end (default ${DEFAULT-VALUE}).")
    int rewind;

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
        SplittableRandom random = new SplittableRandom(seed);

        // 1. Capture: change events, some breaking the contract, and some re-emitted later as Debezium
        //    does after a restart (same event, same LSN, later in the stream).
        List<Captured> captured = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            Fault fault = random.nextDouble() < invalidShare ? Fault.values()[random.nextInt(Fault.values().length)] : null;
            boolean large = fault == null && random.nextDouble() < 0.02;
            captured.add(new Captured(changeEvent(i, random, fault, large), fault, large, false));
        }
        int reEmitted = (int) Math.round(records * duplicateShare);
        for (int i = 0; i < reEmitted; i++) {
            Captured original = captured.get(random.nextInt(records));
            captured.add(new Captured(original.event, original.fault, original.large, true));
        }

        // 2. Source side: ValidateContract, on.failure=quarantine.
        ValidateContract<SourceRecord> contract = new ValidateContract.Value<>();
        contract.configure(ordersContract());
        SourceRecord[] validated = new SourceRecord[captured.size()];
        int half = validated.length / 2;
        long started = 0;
        for (int i = 0; i < validated.length; i++) {
            if (i == half) {
                started = System.nanoTime(); // time the second half, after JIT warm-up
            }
            validated[i] = contract.apply(captured.get(i).event);
        }
        double validationSeconds = (System.nanoTime() - started) / 1e9;
        contract.close();

        // 3. Kafka: valid events land in orders.events.v1 (3 partitions by key), invalid in the quarantine.
        List<SinkRecord> topic = new ArrayList<>();
        long[] nextOffset = new long[PARTITIONS];
        int quarantined = 0;
        int warned = 0;
        int expectedWarnings = 0;
        int misjudged = 0;
        Map<String, Integer> quarantinedByRule = new TreeMap<>();
        SourceRecord sample = null;
        for (int i = 0; i < validated.length; i++) {
            SourceRecord result = validated[i];
            Captured c = captured.get(i);
            if (c.large && !c.reEmitted) {
                expectedWarnings++;
            }
            if (QUARANTINE.equals(result.topic())) {
                quarantined++;
                String rules = (String) result.headers().lastWithName("dq.rules").value();
                quarantinedByRule.merge(rules, 1, Integer::sum);
                misjudged += c.fault == null || !c.fault.rule.equals(rules) ? 1 : 0;
                sample = sample == null ? result : sample;
                continue;
            }
            misjudged += c.fault != null ? 1 : 0;
            if (!c.reEmitted && result.headers().lastWithName("dq.warnings") != null) {
                warned++;
            }
            int partition = (int) Math.floorMod((Long) result.key(), (long) PARTITIONS);
            topic.add(new SinkRecord(result.topic(), partition, result.keySchema(), result.key(), result.valueSchema(),
                    result.value(), nextOffset[partition]++, null, TimestampType.NO_TIMESTAMP_TYPE, result.headers()));
        }

        // 4. Sink side: Deduplicate (strategy=debezium) in front of the silver table; then a rewind
        //    redelivers the last records of partition 0 at their own offsets, as a failed write would.
        Deduplicate<SinkRecord> dedupe = new Deduplicate<>();
        dedupe.configure(Map.of("strategy", "debezium"));
        Set<String> landed = new HashSet<>();
        int landedDeliveries = 0;
        int dropped = 0;
        for (SinkRecord record : topic) {
            if (dedupe.apply(record) == null) {
                dropped++;
            } else {
                landed.add(record.kafkaPartition() + "/" + record.kafkaOffset());
                landedDeliveries++;
            }
        }
        long rewindFrom = Math.max(0, (nextOffset[0] - rewind) / 2);
        List<SinkRecord> rewound = topic.stream()
                .filter(r -> r.kafkaPartition() == 0 && r.kafkaOffset() >= rewindFrom && r.kafkaOffset() < rewindFrom + rewind)
                .toList();
        // Every redelivered record must get the verdict it got the first time: passed again if it had
        // landed (nothing lost), dropped again if it was a duplicate.
        int redeliveredPassed = 0;
        int verdictChanged = 0;
        for (SinkRecord record : rewound) {
            boolean landedBefore = landed.contains(record.kafkaPartition() + "/" + record.kafkaOffset());
            boolean passes = dedupe.apply(record) != null;
            redeliveredPassed += passes ? 1 : 0;
            verdictChanged += passes != landedBefore ? 1 : 0;
        }
        dedupe.close();

        int total = captured.size();
        int validReEmitted = (int) captured.stream().filter(c -> c.reEmitted && c.fault == null).count();
        int injected = (int) captured.stream().filter(c -> c.fault != null).count();
        boolean balanced = landed.size() + quarantined + dropped == total && landed.size() == landedDeliveries;
        boolean judged = misjudged == 0 && quarantined == injected && warned == expectedWarnings;
        boolean deduplicated = dropped == validReEmitted;
        boolean noLoss = verdictChanged == 0;

        out.printf("Truthline demo (in-process): %,d order change events, %,d of them re-emitted copies%n", total, reEmitted);
        out.printf("source: ValidateContract (on.failure=quarantine) -> %s -> sink: Deduplicate (strategy=debezium)%n%n",
                TOPIC);
        out.printf("  %-44s %,10d%n", "events captured", total);
        out.printf("  %-44s %,10d%n", "landed in silver (distinct events)", landed.size());
        out.printf("  %-44s %,10d%n", "quarantined -> " + QUARANTINE, quarantined);
        out.printf("  %-44s %,10d%n", "dropped as duplicate (re-emitted copies)", dropped);
        out.printf("  %-44s %,10d  (valid, tagged dq.warnings=large_order)%n", "warned", warned);
        out.printf("%nViolations by rule (quarantined records):%n");
        quarantinedByRule.forEach((rule, count) -> out.printf("  %-44s %,10d%n", rule, count));
        out.printf("%nAccounting: captured = landed + quarantined + dropped as duplicate: %,d = %,d + %,d + %,d  %s%n",
                total, landed.size(), quarantined, dropped, balanced ? "OK" : "MISMATCH");
        out.printf("Contract: injected faults caught by the rule they break: %,d of %,d, misjudged: %d  %s%n",
                quarantined - misjudged, injected, misjudged, judged ? "OK" : "MISMATCH");
        out.printf("Dedupe: re-emitted copies of valid events dropped: %,d of %,d  %s%n", dropped, validReEmitted,
                deduplicated ? "OK" : "MISMATCH");
        out.printf("Rewind: %,d records of partition 0 redelivered at their own offsets: %,d landed records passed "
                + "again (none lost), %,d duplicates dropped again  %s%n",
                rewound.size(), redeliveredPassed, rewound.size() - redeliveredPassed, noLoss ? "OK" : "MISMATCH");
        if (sample != null) {
            out.printf("%nHeaders of the first quarantined record:%n");
            for (Header h : sample.headers()) {
                out.printf("  %s = %s%n", h.key(), h.value());
            }
        }
        out.printf("%nValidateContract (10 rules, one of them CEL): %,.0f records/s on one thread after JIT warm-up "
                + "(indicative; JMH figures: benchmarks/)%n", (validated.length - half) / validationSeconds);
        out.flush();
        return balanced && judged && deduplicated && noLoss ? 0 : 1;
    }

    /** One captured change event and what the demo injected into it. */
    private record Captured(SourceRecord event, Fault fault, boolean large, boolean reEmitted) {
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
