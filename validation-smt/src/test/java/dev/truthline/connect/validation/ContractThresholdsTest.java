package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.OdcsContractTest.properties;
import static dev.truthline.connect.validation.OdcsContractTest.row;
import static dev.truthline.connect.validation.Records.header;
import static dev.truthline.connect.validation.Records.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code contract.thresholds}: quality rules that allow some records to fail (ODCS docs/data-quality.md,
 * "Library": {@code mustBeLessThan: 1, unit: percent} on nullValues; {@code unit} rows or percent) are refused
 * by default, and with {@code alert} checked on every record as warnings under their own names, counted and
 * tagged, never failing one — even with {@code on.failure=fail}.
 */
class ContractThresholdsTest {

    private static final String CONTRACT = properties("""
            - name: id
              logicalType: integer
              required: true
            - name: status
              logicalType: string
              quality:
                - id: status_valid
                  metric: invalidValues
                  arguments:
                    validValues: [open, shipped]
                  mustBeLessThan: 5
                  unit: percent
            - name: email
              quality:
                - metric: missingValues
                  arguments:
                    missingValues: [null, '']
                  mustBeLessOrEqualTo: 100
                  unit: rows
            """);

    @Test
    void byDefaultAThresholdIsAnUnsupportedRule() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ValidateContract.Value<SinkRecord>().configure(props("contract.text", CONTRACT)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("invalidValues on status (schema[0].properties[1].quality[0]): allows some "
                + "records to fail (mustBeLessThan: 5 percent)");
    }

    @Test
    void withAlertThresholdRulesAreCountedAsWarningsAndNeverFail() {
        ValidateContract<SinkRecord> smt = Records.valueSmt(props("contract.text", CONTRACT,
                "contract.thresholds", "ALERT", "on.failure", "fail"));
        try {
            SinkRecord bad = smt.apply(Records.schemaless(row("id", 1L, "status", "lost", "email", "")));
            assertThat(header(bad, "dq.status")).isEqualTo("valid");
            assertThat(header(bad, "dq.warnings")).isEqualTo("status:status_valid,email:missingValues#2");
            SinkRecord missing = smt.apply(Records.schemaless(row("id", 2L, "status", "open")));
            assertThat(header(missing, "dq.status")).isEqualTo("valid");
            assertThat(header(missing, "dq.warnings")).isEqualTo("email:missingValues");
            SinkRecord good = smt.apply(Records.schemaless(row("id", 3L, "status", "shipped", "email", "a@b.c")));
            assertThat(header(good, "dq.warnings")).isNull();

            assertThat(smt.metrics().violations("status:status_valid")).isEqualTo(1);
            assertThat(smt.metrics().violations("email:missingValues")).isEqualTo(1);
            assertThat(smt.metrics().violations("email:missingValues#2")).isEqualTo(1);
            assertThat(smt.metrics().warned.sum()).isEqualTo(2);
            assertThat(smt.metrics().valid.sum()).isEqualTo(3);
            assertThat(smt.metrics().invalid.sum()).isZero();
            assertThat(smt.metrics().failed.sum()).isZero();

            // The contract's other rules still fail a record.
            Throwable failed = catchThrowableOfType(org.apache.kafka.connect.errors.DataException.class,
                    () -> smt.apply(Records.schemaless(row("status", "lost"))));
            assertThat(failed).hasMessageContaining("id:required");
        } finally {
            smt.close();
        }
    }

    @Test
    void anUnknownValueNamesTheKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ValidateContract.Value<SinkRecord>().configure(props("contract.text", CONTRACT,
                        "contract.thresholds", "page")));
        assertThat(e.getMessage()).startsWith("Invalid value page for configuration contract.thresholds");
        assertThat(ValidateContract.CONFIG_DEF.names()).contains(ValidateContractConfig.CONTRACT_THRESHOLDS);
    }
}
