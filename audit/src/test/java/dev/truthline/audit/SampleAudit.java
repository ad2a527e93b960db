package dev.truthline.audit;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An audit result built by hand, the shape of the demo's with a few lies, for the HTML page's tests. */
final class SampleAudit {

    static final String TOPIC = "orders.events.v1";
    /** A key that is markup, an entity, a quote and a control character: data, never markup. */
    static final String HOSTILE_KEY = "{\"order_id\":\"<script>alert('x')</script> & \u0001\"}";
    static final String HOSTILE_RULE = "status_known<b>&amp;";

    private SampleAudit() {
    }

    static HtmlReport.Heading heading() {
        return new HtmlReport.Heading(TOPIC + " + " + TOPIC + ".quarantine → silver.orders, quarantine.orders",
                "silver.orders", "quarantine.orders", TOPIC + ": 6,080 offsets in 1 partition (p0 [0, 6080))",
                Instant.parse("2026-12-04T18:30:00Z"));
    }

    static AuditResult lying() {
        Map<Fate, Long> fates = new EnumMap<>(Fate.class);
        fates.put(Fate.LANDED, 4_731L);
        fates.put(Fate.QUARANTINED, 149L);
        fates.put(Fate.DEAD_LETTERED, 181L);
        fates.put(Fate.DUPLICATE, 1_016L);
        fates.put(Fate.UNEXPLAINED, 3L);
        Map<String, Long> rules = new LinkedHashMap<>();
        rules.put("customer_required", 90L);
        rules.put("amount_required", 40L);
        rules.put(HOSTILE_RULE, 19L);
        Map<String, Long> reasons = new LinkedHashMap<>();
        reasons.put("orders-silver: Record violates contract orders@1: failed rules currency_iso", 120L);
        reasons.put("orders-silver: Record violates contract orders@1: failed rules status_known", 61L);
        List<AuditResult.Unexplained> unexplained = List.of(
                new AuditResult.Unexplained(TOPIC, 0, 17, "change", "{\"order_id\":17}"),
                new AuditResult.Unexplained(TOPIC, 0, 4_242, "change", HOSTILE_KEY),
                new AuditResult.Unexplained(TOPIC + ".quarantine", 2, 9, "quarantine", null));
        List<AuditResult.Row> extra = List.of(new AuditResult.Row("silver.orders", TOPIC, 0, 5_000,
                "/warehouse/silver/orders/data/00001-0-a.parquet#12"));
        return new AuditResult(fates, rules, reasons, unexplained, 1, extra, 0, List.of());
    }

    /** The explained audit with two events whose fate came through a replay (three counted, two listed). */
    static AuditResult replayed() {
        AuditResult r = explained();
        List<AuditResult.Replayed> replays = List.of(
                new AuditResult.Replayed(TOPIC + ".quarantine", 0, 7, "quarantine", Fate.LANDED,
                        "quarantined (status_known) → replayed replay-20261205T041200Z as " + TOPIC
                                + "/2/815 → landed silver.orders f.parquet#3"),
                new AuditResult.Replayed(TOPIC, 1, 40, "change", Fate.DEAD_LETTERED,
                        "dead_lettered by orders-silver: failed <rules> → replayed replay-20261205T041200Z as " + TOPIC
                                + "/1/90 → dead_lettered by orders-silver: failed <rules>"));
        return new AuditResult(r.fates(), r.quarantinedPerRule(), r.deadLetteredPerReason(), r.unexplained(),
                r.extraRows(), r.extra(), r.rowsLandedTwice(), r.landedTwice(), 3, replays);
    }

    static AuditResult explained() {
        Map<Fate, Long> fates = new EnumMap<>(Fate.class);
        for (Fate f : Fate.values()) {
            fates.put(f, 0L);
        }
        fates.put(Fate.LANDED, 5L);
        fates.put(Fate.QUARANTINED, 1L);
        fates.put(Fate.DEAD_LETTERED, 1L);
        return new AuditResult(fates, Map.of("customer_required", 1L),
                Map.of("orders-silver: Record violates contract orders@1: failed rules currency_iso", 1L), List.of(), 0,
                List.of(), 0, List.of());
    }

    static LandingLatency.Histogram latency() {
        long[] counts = new long[LandingLatency.BOUNDS_MS.length + 1];
        counts[2] = 310;   // < 500 ms
        counts[3] = 1_905; // < 1 s
        counts[4] = 1_822; // < 2 s
        counts[5] = 650;   // < 5 s
        counts[6] = 40;    // < 10 s
        return new LandingLatency.Histogram(LandingLatency.buckets(counts), 4_727, 4, 980L, 3_400L, 8_120L);
    }

    /** The reconciliation of the demo's kill run, by hand: stale and absent keys explained, two rows deleted by hand. */
    static ReconcilePlan reconcilePlan() {
        return new ReconcilePlan(new ReconcilePlan.Table("jdbc:postgresql://shop/shop", "u", "${env:PG_PASSWORD}",
                "public.orders"), new ReconcilePlan.Table("jdbc:postgresql://dwh/dwh", "u", "${env:DWH_PASSWORD}",
                "orders_current"), "orders-warehouse", "orders.warehouse.dlq", "__source_lsn",
                new java.util.TreeSet<>(java.util.Set.of("customer_id")));
    }

    static Reconciliation.Result reconciled() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("equal", 9_125L);
        counts.put("stale", 404L);
        counts.put("absent", 641L);
        counts.put("extra", 0L);
        counts.put("unexplained", 2L);
        Map<String, List<Reconciliation.Key>> keys = new LinkedHashMap<>();
        keys.put("stale", List.of(
                new Reconciliation.Key("17", "stale", 24_016_280L, TOPIC + "/0/4410", 24_118_872L,
                        "orders-warehouse: Record violates contract orders@2: failed rules currency_iso"),
                new Reconciliation.Key(HOSTILE_KEY, "stale", 24_020_000L, TOPIC + ".quarantine/1/88", 24_120_000L,
                        "quarantined: " + HOSTILE_RULE)));
        keys.put("absent", List.of(new Reconciliation.Key("42", "absent", null, TOPIC + ".quarantine/0/12",
                24_001_112L, "quarantined: customer_required")));
        keys.put("extra", List.of());
        keys.put("unexplained", List.of(new Reconciliation.Key("1", "unexplained", 23_999_000L, null, null, null),
                new Reconciliation.Key("6", "unexplained", null, null, null, null)));
        return new Reconciliation.Result(counts, keys, 10_170L, 9_529L);
    }
}
