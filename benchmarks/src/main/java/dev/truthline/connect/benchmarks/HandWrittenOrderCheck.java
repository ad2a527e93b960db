package dev.truthline.connect.benchmarks;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The floor: the eight checks of the benchmark's contract written by hand for the one known
 * schema (fields resolved once, no configuration, no rule dispatch, no violation reports), plus
 * the least an SMT must do to hand on a tagged record: copy the headers, add {@code dq.status} and
 * {@code dq.contract}, build a new record. No SMT can be cheaper than this.
 *
 * <p>The checks mean what ValidateContract's rules mean: every rule but {@code required} passes
 * on null; codes are checked against the same JDK tables; the SKU pattern is a precompiled
 * {@link java.util.regex.Pattern} (what a hand-written predicate would use; a char loop would be
 * faster still, but would no longer be "the same check").
 */
final class HandWrittenOrderCheck {

    private static final BigDecimal AMOUNT_MIN = BigDecimal.ZERO;
    private static final BigDecimal AMOUNT_MAX = new BigDecimal("100000");
    private static final Set<String> STATUSES = Set.copyOf(OrderData.STATUSES);
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern SKU = Pattern.compile("[A-Z]{3}-[0-9]{4}");

    private final Field orderId;
    private final Field amount;
    private final Field status;
    private final Field currency;
    private final Field country;
    private final Field sku;
    private final Field email;
    private final Field quantity;
    private final String contract;

    HandWrittenOrderCheck(Schema schema, String contract) {
        this.orderId = schema.field("order_id");
        this.amount = schema.field("amount");
        this.status = schema.field("status");
        this.currency = schema.field("currency");
        this.country = schema.field("country");
        this.sku = schema.field("sku");
        this.email = schema.field("email");
        this.quantity = schema.field("quantity");
        this.contract = contract;
    }

    /** The eight checks. */
    boolean valid(Struct value) {
        if (value.get(orderId) == null) {
            return false;
        }
        BigDecimal a = (BigDecimal) value.get(amount);
        if (a != null && (a.compareTo(AMOUNT_MIN) < 0 || a.compareTo(AMOUNT_MAX) > 0)) {
            return false;
        }
        Object s = value.get(status);
        if (s != null && !STATUSES.contains(s)) {
            return false;
        }
        Object c = value.get(currency);
        if (c != null && !CURRENCIES.contains(c)) {
            return false;
        }
        Object k = value.get(country);
        if (k != null && !COUNTRIES.contains(k)) {
            return false;
        }
        String code = (String) value.get(sku);
        if (code != null && !SKU.matcher(code).matches()) {
            return false;
        }
        String mail = (String) value.get(email);
        if (mail != null) {
            int length = mail.codePointCount(0, mail.length());
            if (length < 3 || length > 254) {
                return false;
            }
        }
        Object q = value.get(quantity);
        return q == null || q instanceof Integer;
    }

    /** Checks a record and returns the tagged copy, as an SMT with on.failure=tag must. */
    SinkRecord apply(SinkRecord record) {
        boolean ok = valid((Struct) record.value());
        Headers headers = record.headers().duplicate();
        headers.addString("dq.status", ok ? "valid" : "invalid");
        headers.addString("dq.contract", contract);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }
}
