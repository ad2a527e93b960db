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
        // Two of the eight faults are caught by the source's shape contract, six by silver's rules.
        assertThat(s.faulty(Stage.SOURCE)).isBetween(1_100, 1_400);
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
        assertThat(Workload.broken(valid, Fault.MISSING_CUSTOMER).customerId()).isNull();
        assertThat(Workload.broken(valid, Fault.MISSING_EMAIL).email()).isNull();
        assertThat(Workload.broken(valid, Fault.NEGATIVE_AMOUNT).amount().signum()).isNegative();
        assertThat(Workload.broken(valid, Fault.UNKNOWN_CURRENCY).currency()).isEqualTo("EUX");
        assertThat(Workload.broken(valid, Fault.UNKNOWN_COUNTRY).country()).isEqualTo("ZZ");
        assertThat(Workload.broken(valid, Fault.UNKNOWN_STATUS).status()).isNotIn(Workload.STATUSES);
        assertThat(Workload.broken(valid, Fault.MALFORMED_SKU).sku()).doesNotMatch("[A-Z]{3}-[0-9]{4}");
        assertThat(Workload.broken(valid, Fault.ZERO_QUANTITY).quantity()).isZero();
        assertThat(valid.sku()).matches("[A-Z]{3}-[0-9]{4}");
        assertThat(valid.amount().signum()).isPositive();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Workload.plan(10, 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Workload.plan(-1, 0.1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
