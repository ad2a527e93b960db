package dev.truthline.connect.benchmarks;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The input every benchmark shares: {@value #SIZE} order records (a 12-field Struct value, an int64
 * key, three headers), of which a fixed, pseudo-randomly placed ~10% break exactly one of the
 * eight rules. Built deterministically (fixed seed), so every fork and every benchmark sees the
 * same records, and the expected verdict of each record is known.
 */
final class OrderData {

    /** Records in the set; a power of two so the cursor can wrap with a mask. */
    static final int SIZE = 1024;
    static final int MASK = SIZE - 1;
    /** How many records are invalid: ~10%. */
    static final int INVALID = 102;

    static final String TOPIC = "orders.events.v1";

    static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name("dev.truthline.orders.Order").version(1)
            // Optional, so that the 'required' rule has something to catch.
            .field("order_id", Schema.OPTIONAL_INT64_SCHEMA)
            .field("customer_id", Schema.INT64_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("country", Schema.STRING_SCHEMA)
            .field("amount", Decimal.schema(2))
            .field("quantity", Schema.INT32_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .field("sku", Schema.STRING_SCHEMA)
            .field("created_at", Timestamp.SCHEMA)
            .field("channel", Schema.STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final List<String> STATUSES = List.of("NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED");
    /** Valid records only use these, so that the CEL rule (EUR, USD, GBP) agrees with iso_currency on them. */
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    private static final String[] COUNTRIES = {"DE", "FR", "GB", "US", "NL", "ES", "IT", "PL", "SE", "CH", "AT", "IE"};
    private static final String[] CHANNELS = {"web", "ios", "android", "store", "phone"};

    /** The one thing wrong with an invalid record, and the rule that must catch it. */
    enum Defect {
        NONE(null),
        ORDER_ID_NULL("order_id_required"),
        AMOUNT_NEGATIVE("amount_range"),
        AMOUNT_TOO_HIGH("amount_range"),
        STATUS_UNKNOWN("status_in"),
        CURRENCY_NOT_ISO("currency_iso"),
        COUNTRY_NOT_ISO("country_iso"),
        SKU_MALFORMED("sku_format"),
        EMAIL_TOO_SHORT("email_length");

        /** The name of the rule of {@link ValidateContractBenchmark#eightRules()} this defect violates. */
        final String rule;

        Defect(String rule) {
            this.rule = rule;
        }

        /**
         * Whether the CEL expression of {@link ValidateContractBenchmark#CEL_EXPR} catches it: it only
         * looks at amount (>= 0), currency (EUR, USD, GBP) and quantity (> 0).
         */
        boolean failsCel() {
            return this == AMOUNT_NEGATIVE || this == CURRENCY_NOT_ISO;
        }
    }

    private static final OrderData INSTANCE = new OrderData(42L);

    final SinkRecord[] records = new SinkRecord[SIZE];
    final Defect[] defects = new Defect[SIZE];

    private OrderData(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < SIZE; i++) {
            defects[i] = Defect.NONE;
        }
        // Scatter the invalid records so no branch predictor learns a period.
        Defect[] kinds = Defect.values();
        int placed = 0;
        while (placed < INVALID) {
            int at = random.nextInt(SIZE);
            if (defects[at] == Defect.NONE) {
                defects[at] = kinds[1 + placed % (kinds.length - 1)];
                placed++;
            }
        }
        for (int i = 0; i < SIZE; i++) {
            records[i] = record(i, defects[i], random);
        }
    }

    /** The shared, immutable set. */
    static OrderData get() {
        return INSTANCE;
    }

    private static SinkRecord record(int i, Defect defect, Random random) {
        long orderId = 10_000_000L + i;
        Struct value = new Struct(VALUE_SCHEMA)
                .put("order_id", defect == Defect.ORDER_ID_NULL ? null : orderId)
                .put("customer_id", 500_000L + random.nextInt(100_000))
                .put("status", defect == Defect.STATUS_UNKNOWN ? "LOST" : STATUSES.get(random.nextInt(STATUSES.size())))
                .put("currency", defect == Defect.CURRENCY_NOT_ISO ? "EURO" : pick(CURRENCIES, random))
                // "UK" is what people type; the ISO 3166-1 code is GB.
                .put("country", defect == Defect.COUNTRY_NOT_ISO ? "UK" : pick(COUNTRIES, random))
                .put("amount", amount(defect, random))
                .put("quantity", 1 + random.nextInt(10))
                .put("email", defect == Defect.EMAIL_TOO_SHORT ? "x@" : email(random))
                .put("sku", defect == Defect.SKU_MALFORMED ? "abc-12" : sku(random))
                .put("created_at", new Date(1_767_225_600_000L + i * 1_000L))
                .put("channel", pick(CHANNELS, random))
                .put("note", random.nextInt(4) == 0 ? "leave at the door" : null);
        value.validate();

        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("trace-id", Long.toHexString(random.nextLong()));
        headers.addString("source-system", "shop");
        headers.addInt("schema-version", 1);
        return new SinkRecord(TOPIC, i % 6, Schema.INT64_SCHEMA, orderId, VALUE_SCHEMA, value, 1_000L + i,
                1_767_225_600_000L + i * 1_000L, TimestampType.CREATE_TIME, headers);
    }

    private static BigDecimal amount(Defect defect, Random random) {
        if (defect == Defect.AMOUNT_NEGATIVE) {
            return new BigDecimal("-12.50");
        }
        if (defect == Defect.AMOUNT_TOO_HIGH) {
            return new BigDecimal("100000.01");
        }
        return BigDecimal.valueOf(100 + random.nextInt(5_000_000), 2);
    }

    private static String email(Random random) {
        StringBuilder local = new StringBuilder();
        int length = 3 + random.nextInt(12);
        for (int k = 0; k < length; k++) {
            local.append((char) ('a' + random.nextInt(26)));
        }
        return local.append("@example.com").toString();
    }

    private static String sku(Random random) {
        return new StringBuilder(8)
                .append((char) ('A' + random.nextInt(26)))
                .append((char) ('A' + random.nextInt(26)))
                .append((char) ('A' + random.nextInt(26)))
                .append('-')
                .append(String.format("%04d", random.nextInt(10_000)))
                .toString();
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }
}
