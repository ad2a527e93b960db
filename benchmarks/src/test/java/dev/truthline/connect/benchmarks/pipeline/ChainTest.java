package dev.truthline.connect.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.validation.ValidateContract;

class ChainTest {

    /** The benchmark's contract is the reference silver connector's own: read from its file, not restated. */
    @Test
    void theContractIsTheReferenceSilverContract() {
        Map<String, String> contract = Chain.silverContract();
        assertThat(contract).containsEntry("transforms.contract.type",
                        "dev.truthline.connect.validation.ValidateContract$Value")
                .containsKey("transforms.contract.rules");
        assertThat(Chain.CONTRACT.settings(WireFormat.values()[0])).containsAllEntriesOf(contract)
                .containsEntry("transforms", "contract");
    }

    /** Every change the benchmark writes passes that contract: the benchmark measures the path valid data takes. */
    @Test
    void theGeneratedChangesPassTheContract() {
        Map<String, String> props = new HashMap<>();
        Chain.silverContract().forEach((k, v) -> {
            if (!k.equals("transforms.contract.type")) {
                props.put(k.substring("transforms.contract.".length()), v);
            }
        });
        props.put("on.failure", "fail");
        try (ValidateContract.Value<SinkRecord> smt = new ValidateContract.Value<>()) {
            smt.configure(props);
            Struct update = OrderChanges.sampleUpdate();
            SinkRecord record = new SinkRecord("orders.changes", 0, null, null, OrderChanges.ENVELOPE, update, 0);
            assertThat(smt.apply(record)).as("on.failure=fail throws on a broken rule").isNotNull();
        }
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(OrderChanges.customerToken(random)).matches("A[Q-Za-f][A-Za-z0-9_-]{28,}");
        }
    }
}
