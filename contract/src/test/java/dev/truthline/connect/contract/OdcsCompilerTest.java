package dev.truthline.connect.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.contract.ContractRule.Cel;
import dev.truthline.connect.contract.ContractRule.Check;
import dev.truthline.connect.contract.ContractRule.In;
import dev.truthline.connect.contract.ContractRule.Length;
import dev.truthline.connect.contract.ContractRule.Range;
import dev.truthline.connect.contract.ContractRule.Regex;
import dev.truthline.connect.contract.ContractRule.Required;
import dev.truthline.connect.contract.ContractRule.Type;

/**
 * What {@code contracts/all-mappings.odcs.yaml}, one of each supported ODCS element, compiles to: the
 * rules in document order, each with its name, field, check and source element.
 */
class OdcsCompilerTest {

    private static Path resource(String name) {
        try {
            return Paths.get(OdcsCompilerTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everySupportedElementCompilesToItsRule() {
        OdcsContract contract = OdcsParser.read(resource("/contracts/all-mappings.odcs.yaml")).contract();
        ContractRules rules = OdcsCompiler.compile(contract, null);
        assertThat(rules.id()).isEqualTo("all-mappings");
        assertThat(rules.version()).isEqualTo("0.1.0");
        assertThat(rules.schema()).isEqualTo("shipments");
        assertThat(rules.unsupported()).isEmpty();
        assertThat(rules.rules().stream().map(OdcsCompilerTest::describe).toList()).containsExactly(
                "shipment_id:required | shipment_id | required | schema[0].properties[0].required",
                "shipment_id:logicalType | shipment_id | type string | schema[0].properties[0].logicalType",
                "shipment_id:format | shipment_id | regex [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                        + "[0-9a-fA-F]{12} (is not a UUID) | schema[0].properties[0].logicalTypeOptions.format",
                "weight_kg:logicalType | weight_kg | type number | schema[0].properties[1].logicalType",
                "weight_kg:range | weight_kg | range (0, 31.5] | schema[0].properties[1].logicalTypeOptions",
                "parcels:logicalType | parcels | type integer | schema[0].properties[2].logicalType",
                "parcels:range | parcels | range [1, -] | schema[0].properties[2].logicalTypeOptions",
                "parcels:format | parcels | range [0, 65535] | schema[0].properties[2].logicalTypeOptions.format",
                "tracking_code:logicalType | tracking_code | type string | schema[0].properties[3].logicalType",
                "tracking_code:length | tracking_code | length 10..35 | schema[0].properties[3].logicalTypeOptions",
                "tracking_code:pattern | tracking_code | search [A-Z0-9]+ | "
                        + "schema[0].properties[3].logicalTypeOptions.pattern",
                "contact_email:logicalType | contact_email | type string | schema[0].properties[4].logicalType",
                "contact_email:format | contact_email | regex [^@\\s]+@[^@\\s]+\\.[^@\\s]+ (is not an email address) | "
                        + "schema[0].properties[4].logicalTypeOptions.format",
                "express:logicalType | express | type boolean | schema[0].properties[5].logicalType",
                "shipped_at:logicalType | shipped_at | type timestamp or ISO-8601 text | schema[0].properties[6].logicalType",
                "service:logicalType | service | type string | schema[0].properties[7].logicalType",
                "service:enum | service | in [standard, express] | schema[0].properties[7].enum",
                "carrier:logicalType | carrier | type string | schema[0].properties[8].logicalType",
                "carrier:nullValues | carrier | required | schema[0].properties[8].quality[0]",
                "carrier:invalidValues | carrier | in [DHL, UPS, GLS] (warning) | schema[0].properties[8].quality[1]",
                "reference:invalidValues | reference | in [A, B] | schema[0].properties[9].quality[0]",
                "reference:invalidValues#2 | reference | search [AB] | schema[0].properties[9].quality[1]",
                "recipient:logicalType | recipient | type struct | schema[0].properties[10].logicalType",
                "recipient.name:required | recipient.name | required within recipient | schema[0].properties[10]"
                        + ".properties[0]",
                "recipient.name:logicalType | recipient.name | type string | "
                        + "schema[0].properties[10].properties[0].logicalType",
                "recipient.country:logicalType | recipient.country | type string | "
                        + "schema[0].properties[10].properties[1].logicalType",
                "recipient.country:length | recipient.country | length 2..2 | "
                        + "schema[0].properties[10].properties[1].logicalTypeOptions",
                "labels:logicalType | labels | type array | schema[0].properties[11].logicalType",
                "labels:length | labels | length 1..3 | schema[0].properties[11].logicalTypeOptions",
                "labels[*]:logicalType | labels[*] | type struct | schema[0].properties[11].items.logicalType",
                "labels[*].code:required | labels[*].code | required within labels[*] | "
                        + "schema[0].properties[11].items.properties[0].required",
                "labels[*].code:logicalType | labels[*].code | type string | "
                        + "schema[0].properties[11].items.properties[0].logicalType",
                "labels[*].copies:logicalType | labels[*].copies | type integer | "
                        + "schema[0].properties[11].items.properties[1].logicalType",
                "labels[*].copies:range | labels[*].copies | range [1, -] | "
                        + "schema[0].properties[11].items.properties[1].logicalTypeOptions",
                "labels[*].copies:cel |  | cel value.parcels > 0 | "
                        + "schema[0].properties[11].items.properties[1].quality[0].implementation",
                "shipments:delivered_after_shipped |  | cel !has(value.delivered_at) || value.delivered_at >= "
                        + "value.shipped_at | schema[0].quality[0].implementation");
    }

    private static String describe(ContractRule rule) {
        return rule.name() + " | " + rule.field() + " | " + describe(rule.check()) + (rule.warning() ? " (warning)" : "")
                + " | " + rule.element();
    }

    private static String describe(Check check) {
        if (check instanceof Required) {
            String within = ((Required) check).within();
            return within == null ? "required" : "required within " + within;
        }
        if (check instanceof Type) {
            return "type " + ((Type) check).expected() + (((Type) check).isoText() ? " or ISO-8601 text" : "");
        }
        if (check instanceof Range) {
            Range r = (Range) check;
            return "range " + (r.minExclusive() ? "(" : "[") + (r.min() == null ? "-" : r.min().toPlainString()) + ", "
                    + (r.max() == null ? "-" : r.max().toPlainString()) + (r.maxExclusive() ? ")" : "]");
        }
        if (check instanceof Length) {
            Length l = (Length) check;
            return "length " + (l.min() == null ? "" : l.min()) + ".." + (l.max() == null ? "" : l.max());
        }
        if (check instanceof Regex) {
            Regex r = (Regex) check;
            return (r.search() ? "search " : "regex ") + r.pattern() + (r.message() == null ? "" : " (" + r.message() + ")");
        }
        if (check instanceof In) {
            In in = (In) check;
            return (in.negated() ? "not in " : "in ") + in.texts();
        }
        return "cel " + ((Cel) check).expression();
    }
}
