package dev.truthline.connect.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The CEL benchmarks' subjects judge the benchmark's records as expected on both paths, so a broken
 * CEL setup (e.g. cel-java failing to load in the benchmark jar) fails the build, not a hand-run.
 */
class CelRuleBenchmarkSetupTest {

    @Test
    void bothCelPathsFailExactlyTheRecordsTheRuleShouldFail() {
        ValidateContractBenchmark.CelPaths paths = new ValidateContractBenchmark.CelPaths();
        paths.setup(); // throws unless both paths judge every record as expected
        OrderData data = OrderData.get();
        int compiled = 0;
        int celJava = 0;
        int expected = 0;
        for (int i = 0; i < OrderData.SIZE; i++) {
            compiled += paths.compiled.violations(data.records[i]);
            celJava += paths.celJava.violations(data.records[i]);
            expected += data.defects[i].failsCel() ? 1 : 0;
        }
        assertThat(expected).isPositive();
        assertThat(compiled).isEqualTo(expected);
        assertThat(celJava).isEqualTo(expected);

        ValidateContractBenchmark.CelRule smt = new ValidateContractBenchmark.CelRule();
        smt.setup(); // the SMT with the CEL rule tags every record as expected
        smt.close();
    }
}
