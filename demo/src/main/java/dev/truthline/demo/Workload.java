package dev.truthline.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The order changes the demo writes to PostgreSQL: inserts, updates and deletes of orders, a known
 * share of them breaking the orders contract. Deterministic for a seed. This is only what the demo
 * <em>means</em> to do; the truth report never uses it — every number there is read from the stores.
 *
 * <p>Updates and deletes only touch orders whose every image so far was valid; an order that receives
 * an invalid image is not touched again. So each change event breaks the contract exactly when the
 * change was planned with a fault.
 */
final class Workload {

    /** What one change does to the orders table. */
    enum Kind { INSERT, UPDATE, DELETE }

    /** Where a broken rule is caught: the source's shape contract (quarantine) or silver's business rules (DLQ). */
    enum Stage { SOURCE, SILVER }

    /**
     * The ways a row can break the orders contract of connector-configs/orders/: a missing value or a malformed
     * customer id is caught by the source's shape contract (quarantine: the customer id is a token from there on,
     * so only the source can check its format), a wrong amount, currency or status by silver's and the
     * warehouse's business rules (DLQ).
     */
    enum Fault {
        MISSING_CUSTOMER(Stage.SOURCE),
        MISSING_AMOUNT(Stage.SOURCE),
        MISSING_STATUS(Stage.SOURCE),
        MALFORMED_CUSTOMER(Stage.SOURCE),
        NEGATIVE_AMOUNT(Stage.SILVER),
        UNKNOWN_CURRENCY(Stage.SILVER),
        UNKNOWN_STATUS(Stage.SILVER);

        final Stage stage;

        Fault(Stage stage) {
            this.stage = stage;
        }
    }

    static final List<String> STATUSES = List.of("NEW", "PAID", "SHIPPED", "DELIVERED");
    static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP", "CHF");

    /**
     * One row image of the orders table ({@code updated_at} is the database's clock). {@code customerId} and
     * {@code email} are the personal data the source protects: the demo searches every store for them.
     */
    record Order(long orderId, String customerId, String email, BigDecimal amount, String currency, String status) {
    }

    /** The domain of the planted e-mail addresses: no other value of the demo contains it. */
    static final String EMAIL_DOMAIN = "planted.example";

    /** One planned change; {@code row} is the image written (for a delete, the row as it was). */
    record Change(Kind kind, Order row, Fault fault) {
    }

    /** How many changes of each kind and fault the plan holds. */
    record Summary(int inserts, int updates, int deletes, Map<Fault, Integer> faults) {
        int total() {
            return inserts + updates + deletes;
        }

        /** Inserts, updates and deletes by name, in that order (the report's {@code written_by_kind}). */
        Map<String, Integer> byKind() {
            Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
            kinds.put("inserts", inserts);
            kinds.put("updates", updates);
            kinds.put("deletes", deletes);
            return kinds;
        }

        int faulty(Stage stage) {
            return faults.entrySet().stream().filter(e -> e.getKey().stage == stage).mapToInt(Map.Entry::getValue).sum();
        }
    }

    private Workload() {
    }

    /**
     * {@code changes} changes: about 60% inserts, 30% updates, 10% deletes (inserts while no valid order
     * exists), each with probability {@code invalidShare} breaking one rule, the rule chosen uniformly.
     */
    static List<Change> plan(int changes, double invalidShare, long seed) {
        if (changes < 0 || invalidShare < 0 || invalidShare > 1) {
            throw new IllegalArgumentException("changes >= 0 and 0 <= invalid share <= 1");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Change> plan = new ArrayList<>(changes);
        // Valid orders that may still be updated or deleted, with their current image (swap-remove list).
        List<Order> live = new ArrayList<>();
        long nextId = 1;
        for (int i = 0; i < changes; i++) {
            Fault fault = random.nextDouble() < invalidShare ? Fault.values()[random.nextInt(Fault.values().length)] : null;
            double pick = random.nextDouble();
            Kind kind = live.isEmpty() || pick < 0.60 ? Kind.INSERT : pick < 0.90 ? Kind.UPDATE : Kind.DELETE;
            if (kind == Kind.INSERT) {
                Order row = broken(newOrder(nextId++, random), fault);
                plan.add(new Change(kind, row, fault));
                if (fault == null) {
                    live.add(row);
                }
                continue;
            }
            int index = random.nextInt(live.size());
            Order current = live.get(index);
            if (kind == Kind.DELETE) {
                // A delete's event carries the row as it was: valid. The fault goes to an update instead.
                if (fault == null) {
                    plan.add(new Change(kind, current, null));
                    removeAt(live, index);
                    continue;
                }
                kind = Kind.UPDATE;
            }
            Order updated = broken(nextState(current, random), fault);
            plan.add(new Change(kind, updated, fault));
            if (fault == null) {
                live.set(index, updated);
            } else {
                removeAt(live, index);
            }
        }
        return plan;
    }

    static Summary summarize(List<Change> plan) {
        int inserts = 0;
        int updates = 0;
        int deletes = 0;
        Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
        for (Change c : plan) {
            switch (c.kind()) {
                case INSERT -> inserts++;
                case UPDATE -> updates++;
                case DELETE -> deletes++;
            }
            if (c.fault() != null) {
                faults.merge(c.fault(), 1, Integer::sum);
            }
        }
        return new Summary(inserts, updates, deletes, faults);
    }

    private static void removeAt(List<Order> live, int index) {
        Order last = live.remove(live.size() - 1);
        if (index < live.size()) {
            live.set(index, last);
        }
    }

    static Order newOrder(long id, SplittableRandom random) {
        String customer = String.format("C%06d", random.nextInt(1_000_000));
        return new Order(id, customer, "buyer." + customer.substring(1) + "." + id + "@" + EMAIL_DOMAIN,
                BigDecimal.valueOf(100 + random.nextInt(999_900), 2), pick(random, CURRENCIES), "NEW");
    }

    private static Order nextState(Order o, SplittableRandom random) {
        String status = STATUSES.get(Math.min(STATUSES.indexOf(o.status()) + 1 + random.nextInt(2), STATUSES.size() - 1));
        return new Order(o.orderId(), o.customerId(), o.email(), o.amount(), o.currency(), status);
    }

    /** The row with {@code fault} applied (unchanged when null). */
    static Order broken(Order o, Fault fault) {
        if (fault == null) {
            return o;
        }
        return switch (fault) {
            case MISSING_CUSTOMER -> new Order(o.orderId(), null, o.email(), o.amount(), o.currency(), o.status());
            case MISSING_AMOUNT -> new Order(o.orderId(), o.customerId(), o.email(), null, o.currency(), o.status());
            case MISSING_STATUS -> new Order(o.orderId(), o.customerId(), o.email(), o.amount(), o.currency(), null);
            case MALFORMED_CUSTOMER -> new Order(o.orderId(), "cust-" + o.customerId(), o.email(), o.amount(), o.currency(),
                    o.status());
            case NEGATIVE_AMOUNT -> new Order(o.orderId(), o.customerId(), o.email(), new BigDecimal("-12.50"), o.currency(),
                    o.status());
            case UNKNOWN_CURRENCY -> new Order(o.orderId(), o.customerId(), o.email(), o.amount(), "EUX", o.status());
            case UNKNOWN_STATUS -> new Order(o.orderId(), o.customerId(), o.email(), o.amount(), o.currency(), "LOST");
        };
    }

    /**
     * Every clear personal value the plan writes, with its kind ({@code customer_id} or {@code email}): what the
     * PII search looks for downstream.
     */
    static Map<String, String> planted(List<Change> plan) {
        Map<String, String> planted = new java.util.LinkedHashMap<>();
        for (Change c : plan) {
            if (c.row().customerId() != null) {
                planted.put(c.row().customerId(), "customer_id");
            }
            if (c.row().email() != null) {
                planted.put(c.row().email(), "email");
            }
        }
        return planted;
    }

    private static String pick(SplittableRandom random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
