package dev.truthline.connect.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.contract.ContractRule.In;
import dev.truthline.connect.contract.ContractRule.Required;
import dev.truthline.connect.contract.ContractThreshold.Comparison;

/**
 * Thresholds of {@code contracts/thresholds.odcs.yaml}: ODCS docs/data-quality.md, "Library" — nullValues,
 * missingValues and invalidValues count values, {@code unit} is {@code rows (default) or percent}; the operator
 * table: {@code mustBeLessThan} is {@code <}, {@code mustBeLessOrEqualTo} is {@code ≤}.
 */
class OdcsThresholdsTest {

    private static ContractRules compile() throws URISyntaxException {
        OdcsContract contract = OdcsParser.read(
                Paths.get(OdcsThresholdsTest.class.getResource("/contracts/thresholds.odcs.yaml").toURI())).contract();
        return OdcsCompiler.compile(contract, null);
    }

    @Test
    void thresholdsAreUnsupportedButCountable() throws Exception {
        ContractRules rules = compile();
        assertThat(rules.rules()).extracting(ContractRule::name).containsExactly(
                "order_id:required", "order_id:logicalType", "status:logicalType", "email:logicalType",
                "coupon:logicalType");
        assertThat(rules.unsupported()).extracting(UnsupportedRule::element).containsExactly(
                "schema[0].properties[1].quality[0]", "schema[0].properties[2].quality[0]",
                "schema[0].properties[3].quality[0]", "schema[0].properties[3].quality[1]",
                "schema[0].quality[0]");
        assertThat(rules.thresholds()).extracting(ContractThreshold::name, ContractThreshold::metric,
                ContractThreshold::comparison, ContractThreshold::limit, ContractThreshold::percent,
                ContractThreshold::warning).containsExactly(
                        tuple("status:status_valid", "invalidValues", Comparison.LESS_THAN,
                                new BigDecimal("5"), true, false),
                        tuple("email:missingValues", "missingValues",
                                Comparison.LESS_OR_EQUAL_TO, new BigDecimal("100"), false, true),
                        tuple("coupon:nullValues", "nullValues", Comparison.LESS_THAN,
                                new BigDecimal("0.5"), true, false));
        // missingValues with null among the values: a required check and a not-in check, both counted.
        assertThat(rules.thresholds().get(1).rules()).extracting(ContractRule::name, ContractRule::check)
                .containsExactly(
                        tuple("email:missingValues", new Required(null)),
                        tuple("email:missingValues#2",
                                new In(java.util.List.of("", "N/A"), true)));
        assertThat(rules.thresholds()).allSatisfy(t -> assertThat(t.rules()).allMatch(ContractRule::warning));
    }

    @Test
    void asWarningsTheyJoinTheRulesInDocumentOrder() throws Exception {
        ContractRules rules = compile().withThresholdsAsWarnings();
        assertThat(rules.rules()).extracting(ContractRule::name, ContractRule::warning).containsExactly(
                tuple("order_id:required", false),
                tuple("order_id:logicalType", false),
                tuple("status:logicalType", false),
                tuple("status:status_valid", true),
                tuple("email:logicalType", false),
                tuple("email:missingValues", true),
                tuple("email:missingValues#2", true),
                tuple("coupon:logicalType", false),
                tuple("coupon:nullValues", true));
        // mustBeBetween and rowCount are no count of failing records to hold below a limit: still unsupported.
        assertThat(rules.unsupported()).extracting(UnsupportedRule::element).containsExactly(
                "schema[0].properties[3].quality[1]", "schema[0].quality[0]");
    }
}
