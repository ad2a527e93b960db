package dev.truthline.connect.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
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

    /**
     * Into Iceberg every configuration writes the reference silver row (its unwrap and _kafka_metadata, as in
     * orders-silver.json); the contract's configurations add the dq columns; only the chain deduplicates.
     */
    @Test
    void intoIcebergEveryConfigurationWritesTheSilverRow() {
        Map<String, String> unwrap = Chain.silver("transforms.unwrap.");
        Map<String, String> kafka = Chain.silver("transforms.kafka.");
        Map<String, String> dq = Chain.silver("transforms.dq.");
        assertThat(unwrap).containsEntry("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        assertThat(kafka).containsKey("transforms.kafka.field_name");
        assertThat(dq).containsEntry("transforms.dq.type", "io.debezium.transforms.HeaderToValue");
        for (WireFormat format : Sink.ICEBERG.formats()) {
            assertThat(Chain.CONVERTER.settings(format, Sink.ICEBERG)).containsEntry("transforms", "unwrap,kafka")
                    .containsAllEntriesOf(unwrap).containsAllEntriesOf(kafka);
            assertThat(Chain.CONTRACT.settings(format, Sink.ICEBERG))
                    .containsEntry("transforms", "contract,unwrap,dq,kafka").containsAllEntriesOf(Chain.silverContract())
                    .containsAllEntriesOf(dq);
            assertThat(Chain.CHAIN.settings(format, Sink.ICEBERG))
                    .containsEntry("transforms", "contract,dedupe,unwrap,dq,kafka")
                    .containsEntry("transforms.dedupe.strategy", "debezium")
                    .containsEntry("header.converter", "org.apache.kafka.connect.storage.StringConverter");
        }
    }

    /** Schemaless JSON cannot become an Iceberg row: refused with what to use instead, before anything starts. */
    @Test
    void theIcebergSinkRefusesSchemalessJsonAndDefaultsToWhatItCanWrite() {
        assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[] {"--sink", "iceberg", "--formats", "json"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--formats json").hasMessageContaining("json-schemas,json-schema-content");
        assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[] {"--sink", "iceberg", "--configs", "groovy"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--configs groovy");
        PipelineBenchmark.Options iceberg = PipelineBenchmark.Options.parse(new String[] {"--sink", "iceberg"});
        assertThat(iceberg.formats()).containsExactly(WireFormat.JSON_SCHEMAS, WireFormat.JSON_SCHEMA_CONTENT);
        assertThat(iceberg.chains()).containsExactly(Chain.CONVERTER, Chain.CONTRACT, Chain.CHAIN);
        assertThat(iceberg.commitIntervalMs).isEqualTo(10_000);
        PipelineBenchmark.Options discard = PipelineBenchmark.Options.parse(new String[] {"--commit-interval-ms", "500"});
        assertThat(discard.sinks).containsExactly(Sink.DISCARD);
        assertThat(discard.formats()).containsExactly(WireFormat.values());
        assertThat(discard.chains()).isEqualTo(List.of(Chain.values()));
        // Both sinks side by side: what both can run.
        PipelineBenchmark.Options both = PipelineBenchmark.Options.parse(new String[] {"--sink", "discard,iceberg"});
        assertThat(both.sinks).containsExactly(Sink.DISCARD, Sink.ICEBERG);
        assertThat(both.formats()).isEqualTo(iceberg.formats());
        assertThat(both.chains()).isEqualTo(iceberg.chains());
        PipelineBenchmark.Options fewer = PipelineBenchmark.Options.parse(new String[] {"--sink", "discard,iceberg",
            "--configs", "converter,chain", "--iceberg-configs", "chain"});
        assertThat(fewer.chains(Sink.DISCARD)).containsExactly(Chain.CONVERTER, Chain.CHAIN);
        assertThat(fewer.chains(Sink.ICEBERG)).containsExactly(Chain.CHAIN);
        assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[] {"--sink", "iceberg", "--iceberg-configs",
            "bytes"})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--configs bytes");
    }

    /**
     * Deduplicate alone is the chain's Deduplicate (so the two configurations split the chain's cost), and
     * {@code --window-entries} changes its window wherever it runs and nothing else.
     */
    @Test
    void deduplicateAloneIsTheChainsDeduplicateAndTheWindowIsAnOption() {
        for (WireFormat format : WireFormat.values()) {
            Map<String, String> alone = Chain.DEDUPE.settings(format);
            Map<String, String> chain = Chain.CHAIN.settings(format);
            assertThat(alone).containsEntry("transforms", "dedupe").containsEntry(Chain.WINDOW_KEY, "1000000");
            alone.forEach((k, v) -> assertThat(chain).containsEntry(k, k.equals("transforms") ? chain.get(k) : v));
            assertThat(Chain.withWindow(Chain.DEDUPE.settings(format), 50_000))
                    .isEqualTo(withEntry(alone, Chain.WINDOW_KEY, "50000"));
            assertThat(Chain.withWindow(Chain.CONTRACT.settings(format), 50_000)).isEqualTo(Chain.CONTRACT.settings(format));
        }
        assertThat(Chain.silver("transforms.dedupe.")).containsEntry(Chain.WINDOW_KEY,
                Integer.toString(Chain.REFERENCE_WINDOW));
        assertThat(PipelineBenchmark.Options.parse(new String[0]).windowEntries).isEqualTo(Chain.REFERENCE_WINDOW);
        assertThat(PipelineBenchmark.Options.parse(new String[] {"--window-entries", "100000"}).windowEntries)
                .isEqualTo(100_000);
        assertThat(PipelineBenchmark.Options.parse(new String[] {"--records", "6000000", "--skip-records", "2000000"})
                .skipRecords).isEqualTo(2_000_000);
        assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[] {"--records", "1000", "--skip-records",
            "1000"})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--skip-records");
        assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[] {"--window-entries", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--window-entries");
        assertThatThrownBy(() -> Chain.of("dedup")).hasMessage("unknown configuration 'dedup' (bytes, converter, "
                + "contract, dedupe, chain, groovy)");
        assertThatThrownBy(() -> Sink.of("s3")).hasMessage("unknown sink 's3' (discard, iceberg)");
        assertThatThrownBy(() -> WireFormat.of("avro")).hasMessage("unknown format 'avro' (json-schemas, json, "
                + "json-schema-content)");
        assertThat(WireFormat.of("json")).isEqualTo(WireFormat.JSON);
        assertThat(Sink.ICEBERG.chains()).doesNotContain(Chain.DEDUPE);
    }

    private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
