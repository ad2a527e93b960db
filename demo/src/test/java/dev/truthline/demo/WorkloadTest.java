package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.demo.Workload.Change;
import dev.truthline.demo.Workload.Fault;
import dev.truthline.demo.Workload.Kind;
import dev.truthline.demo.Workload.Order;
import dev.truthline.demo.Workload.Stage;

class WorkloadTest {

    @Test
    void theSameSeedGivesTheSamePlan() {
        assertThat(Workload.plan(5_000, 0.05, 7)).isEqualTo(Workload.plan(5_000, 0.05, 7));
        assertThat(Workload.plan(5_000, 0.05, 7)).isNotEqualTo(Workload.plan(5_000, 0.05, 8));
    }

    @Test
    void theMixIsMostlyInsertsThenUpdatesThenDeletes() {
        Workload.Summary s = Workload.summarize(Workload.plan(100_000, 0.05, 42));
        assertThat(s.total()).isEqualTo(100_000);
        assertThat(s.inserts()).isBetween(58_000, 63_000);
        assertThat(s.updates()).isBetween(29_000, 33_000);
        assertThat(s.deletes()).isBetween(8_500, 10_500);
    }

    @Test
    void aKnownShareBreaksTheContractAtBothStages() {
        Workload.Summary s = Workload.summarize(Workload.plan(100_000, 0.05, 42));
        int faulty = s.faults().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(faulty).isBetween(4_700, 5_300);
        assertThat(s.faults()).containsOnlyKeys(Fault.values());
        // Four of the seven faults are caught by the source's shape contract (a malformed customer id too: after the
        // source it is a token), three by silver's rules.
        assertThat(s.faulty(Stage.SOURCE)).isBetween(2_650, 3_050);
        assertThat(s.faulty(Stage.SILVER) + s.faulty(Stage.SOURCE)).isEqualTo(faulty);
    }

    @Test
    void noInvalidShareMeansNoFault() {
        assertThat(Workload.plan(2_000, 0, 1)).allSatisfy(c -> assertThat(c.fault()).isNull());
    }

    /** Replays the plan on a table: each change applies, and an order is never touched after an invalid image. */
    @Test
    void updatesAndDeletesOnlyTouchOrdersThatExistAndWereAlwaysValid() {
        List<Change> plan = Workload.plan(20_000, 0.2, 3);
        Map<Long, Order> table = new HashMap<>();
        Map<Long, Boolean> tainted = new HashMap<>();
        for (Change c : plan) {
            long id = c.row().orderId();
            switch (c.kind()) {
                case INSERT -> assertThat(table.put(id, c.row())).as("insert of a new order %d", id).isNull();
                case UPDATE -> assertThat(table.put(id, c.row())).as("update of an existing order %d", id).isNotNull();
                case DELETE -> {
                    assertThat(c.fault()).as("a delete's event carries the valid row it removes").isNull();
                    assertThat(table.remove(id)).as("delete of an existing order %d", id).isEqualTo(c.row());
                }
            }
            if (c.kind() != Kind.INSERT) {
                assertThat(tainted.getOrDefault(id, false)).as("order %d was touched after an invalid image", id).isFalse();
            }
            if (c.fault() != null) {
                tainted.put(id, true);
            }
        }
    }

    @Test
    void eachFaultBreaksWhatItSays() {
        Order valid = Workload.newOrder(1, new java.util.SplittableRandom(1));
        assertThat(Workload.broken(valid, null)).isSameAs(valid);
        // The reference contract (connector-configs/orders/): required values and customer_format C[0-9]{6} at the
        // source (the customer id is a token after it), then silver's amount_range 0..1,000,000, currency_iso and
        // status_known.
        assertThat(Workload.broken(valid, Fault.MISSING_CUSTOMER).customerId()).isNull();
        assertThat(Workload.broken(valid, Fault.MISSING_AMOUNT).amount()).isNull();
        assertThat(Workload.broken(valid, Fault.MISSING_STATUS).status()).isNull();
        assertThat(Workload.broken(valid, Fault.MALFORMED_CUSTOMER).customerId()).doesNotMatch("C[0-9]{6}");
        assertThat(Workload.broken(valid, Fault.NEGATIVE_AMOUNT).amount().signum()).isNegative();
        assertThat(Workload.broken(valid, Fault.UNKNOWN_CURRENCY).currency()).isEqualTo("EUX");
        assertThat(Workload.broken(valid, Fault.UNKNOWN_STATUS).status()).isNotIn(Workload.STATUSES).isNotEqualTo("CANCELLED");
        assertThat(valid.customerId()).matches("C[0-9]{6}");
        assertThat(Fault.MALFORMED_CUSTOMER.stage).isEqualTo(Workload.Stage.SOURCE);
        assertThat(valid.email()).endsWith("@" + Workload.EMAIL_DOMAIN);
        assertThat(Workload.broken(valid, Fault.NEGATIVE_AMOUNT).email()).isEqualTo(valid.email());
        assertThat(valid.currency()).isIn(Workload.CURRENCIES);
        assertThat(valid.amount()).isBetween(java.math.BigDecimal.ZERO, new java.math.BigDecimal("1000000"));
        assertThat(valid.amount().signum()).isPositive();
    }

    @Test
    void everyCustomerIdAndEmailWrittenIsPlanted() {
        List<Workload.Change> plan = Workload.plan(500, 0.2, 7);
        java.util.Map<String, String> planted = Workload.planted(plan);
        for (Workload.Change c : plan) {
            if (c.row().customerId() != null) {
                assertThat(planted).containsEntry(c.row().customerId(), "customer_id");
            }
            assertThat(planted).containsEntry(c.row().email(), "email");
        }
        assertThat(planted.keySet()).anyMatch(v -> v.startsWith("cust-C"));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Workload.plan(10, 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Workload.plan(-1, 0.1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
