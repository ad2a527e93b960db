package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.OdcsContractTest.properties;
import static dev.truthline.connect.validation.OdcsContractTest.row;
import static dev.truthline.connect.validation.Records.props;
import static dev.truthline.connect.validation.Records.violation;
import static dev.truthline.connect.validation.Records.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where ODCS means what JSON Schema means (the standard's logicalTypeOptions follow JSON Schema's keywords, and its
 * published schemas are JSON Schemas), rows on each boundary through the SMT, schemaless as a JSON converter gives
 * them.
 */
class OdcsStandardTest {

    private final List<ValidateContract<SinkRecord>> smts = new ArrayList<>();

    @AfterEach
    void close() {
        smts.forEach(ValidateContract::close);
    }

    private ValidateContract<SinkRecord> smt(String contract, String... more) {
        Map<String, String> config = props("on.failure", "tag", "contract.text", contract);
        config.putAll(props(more));
        ValidateContract<SinkRecord> smt = Records.valueSmt(config);
        smts.add(smt);
        return smt;
    }

    private static List<Map<String, String>> verdict(ValidateContract<SinkRecord> smt, Map<String, Object> row) {
        return violations(smt.apply(Records.record(null, row)));
    }

    private static void valid(ValidateContract<SinkRecord> smt, Map<String, Object> row) {
        assertThat(verdict(smt, row)).as("violations of %s", row).isEmpty();
    }

    /** (a) ISO-8601 text is the default format of date, time and timestamp (logicalTypeOptions.format). */
    @Test
    void datesAndTimesMayBeIsoText() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: d
                  logicalType: date
                - name: ts
                  logicalType: timestamp
                - name: t
                  logicalType: time
                """));
        valid(smt, row("d", "2024-01-31", "ts", "2024-01-31T13:45:00Z", "t", "13:45:00"));
        valid(smt, row("ts", "2024-01-31T13:45:00.123+01:00", "t", "13:45:00.5"));
        valid(smt, row("ts", "2024-01-31T13:45:00"));
        assertThat(verdict(smt, row("d", "2024-02-30", "ts", "2024-01-31", "t", "25:00"))).containsExactly(
                violation("d:logicalType", "d", "expected type date but was string"),
                violation("ts:logicalType", "ts", "expected type timestamp but was string"),
                violation("t:logicalType", "t", "expected type time but was string"));
    }

    /** (b), (i) An integer is any number without a fractional part, of any size; formats follow Rust's integers. */
    @Test
    void integersHaveNoSizeLimitAndMayBeWrittenWithAFraction() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: id
                  logicalType: integer
                - name: big
                  logicalType: integer
                  logicalTypeOptions: {format: u64}
                - name: huge
                  logicalType: integer
                  logicalTypeOptions: {format: i128}
                - name: wide
                  logicalType: integer
                  logicalTypeOptions: {format: u128}
                """));
        BigInteger u64Max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        valid(smt, row("id", 1005.0, "big", u64Max, "huge", BigInteger.TWO.pow(127).negate()));
        valid(smt, row("id", BigInteger.TWO.pow(63), "big", BigInteger.TWO.pow(63), "wide", u64Max.add(BigInteger.ONE)));
        valid(smt, row("id", new BigDecimal("1005.000"), "big", 0L));
        assertThat(verdict(smt, row("id", 1005.5, "big", u64Max.add(BigInteger.ONE),
                "huge", BigInteger.TWO.pow(127), "wide", -1L))).containsExactly(
                violation("id:logicalType", "id", "expected type integer but was double"),
                violation("big:format", "big", "must be between 0 and 18446744073709551615"),
                violation("huge:format", "huge", "must be between -170141183460469231731687303715884105728 and "
                        + "170141183460469231731687303715884105727"),
                violation("wide:format", "wide", "must be between 0 and 340282366920938463463374607431768211455"));
    }

    /** (c) pattern matches anywhere in the value unless anchored (JSON Schema, "pattern": not implicitly anchored). */
    @Test
    void patternIsASearch() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: code
                  logicalType: string
                  logicalTypeOptions: {pattern: "[0-9]{3}"}
                - name: exact
                  logicalType: string
                  logicalTypeOptions: {pattern: "^[0-9]{3}$"}
                - name: q
                  quality:
                    - metric: invalidValues
                      arguments: {pattern: "b"}
                """));
        valid(smt, row("code", "ab123cd", "exact", "123", "q", "abc"));
        assertThat(verdict(smt, row("code", "12x", "exact", "1234", "q", "xyz"))).containsExactly(
                violation("code:pattern", "code", "does not match pattern [0-9]{3}"),
                violation("exact:pattern", "exact", "does not match pattern ^[0-9]{3}$"),
                violation("q:invalidValues", "q", "does not match pattern b"));
    }

    /** (d) primaryKey: a key is always there; its uniqueness spans records and is listed as not checked. */
    @Test
    void aPrimaryKeyIsRequiredAndItsUniquenessIsNotCheckedInStream() {
        String contract = properties("""
                - name: id
                  logicalType: integer
                  primaryKey: true
                """);
        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> new ValidateContract.Value<SinkRecord>().configure(props("contract.text", contract)));
        assertThat(refused).hasMessageContaining("primaryKey on id (schema[0].properties[0].primaryKey): a key is "
                + "unique, and uniqueness compares records with each other");
        ValidateContract<SinkRecord> smt = smt(contract, "contract.unsupported", "skip");
        valid(smt, row("id", 1L));
        assertThat(verdict(smt, row("id", null))).containsExactly(
                violation("id:required", "id", "is required but is null"));
        assertThat(verdict(smt, row())).containsExactly(violation("id:required", "id", "is required but is missing"));
    }

    /** (e) missingValues: a record whose value is one of the values that count as missing fails a zero threshold. */
    @Test
    void missingValuesAreCheckedPerRecord() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: email
                  quality:
                    - metric: missingValues
                      arguments:
                        missingValues: [null, '', 'N/A']
                      mustBe: 0
                - name: code
                  quality:
                    - metric: missingValues
                      arguments:
                        missingValues: [0]
                """));
        valid(smt, row("email", "a@b.c", "code", "0"));
        valid(smt, row("email", "n/a", "code", 1L));
        assertThat(verdict(smt, row("email", "N/A", "code", 0L))).containsExactly(
                violation("email:missingValues#2", "email", "is one of the values that count as missing"),
                violation("code:missingValues", "code", "is one of the values that count as missing"));
        assertThat(verdict(smt, row("email", ""))).containsExactly(
                violation("email:missingValues#2", "email", "is one of the values that count as missing"));
        assertThat(verdict(smt, row("email", null))).containsExactly(
                violation("email:missingValues", "email", "is required but is null"));
    }

    /** (h) enum and validValues compare as JSON Schema's enum does: a value of another type is never equal. */
    @Test
    void validValuesDoNotMatchAcrossTypes() {
        ValidateContract<SinkRecord> smt = smt(properties("""
                - name: n
                  logicalType: integer
                  enum: [{value: 1}, {value: 2}, {value: 3}]
                - name: flag
                  quality:
                    - metric: invalidValues
                      arguments: {validValues: ['true']}
                """).replace("v3.1.0", "v3.2.0"));
        valid(smt, row("n", 2L, "flag", "true"));
        valid(smt, row("n", 2.0));
        assertThat(verdict(smt, row("n", "2", "flag", true))).containsExactly(
                violation("n:logicalType", "n", "expected type integer but was string"),
                violation("n:enum", "n", "is not one of the allowed values"),
                violation("flag:invalidValues", "flag", "is not one of the allowed values"));
    }

    /** (f), (g) Keys the document's version does not have are refused by name, never with their value. */
    @Test
    void keysTheStandardDoesNotHaveAreRefusedByName() {
        ConfigException typo = catchThrowableOfType(ConfigException.class, () -> new ValidateContract.Value<SinkRecord>()
                .configure(props("contract.text", properties("- name: id\n  requird: 'top-secret'\n"))));
        assertThat(typo).hasMessage("Invalid contract in configuration contract.text: "
                + "schema[0].properties[0].requird: is not a key of this ODCS element");
        ConfigException later = catchThrowableOfType(ConfigException.class, () -> new ValidateContract.Value<SinkRecord>()
                .configure(props("contract.text", properties("- name: id\n  enum: [{value: 1}]\n"))));
        assertThat(later).hasMessage("Invalid contract in configuration contract.text: "
                + "schema[0].properties[0].enum: is a key of ODCS v3.2.0, and this document follows v3.1.0");
    }
}
