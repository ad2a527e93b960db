package dev.truthline.connect.privacy;

import static dev.truthline.connect.privacy.Fixtures.keyset;
import static dev.truthline.connect.privacy.Fixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * The contract names what is sensitive, the config maps classes to methods: ODCS v3.1.0
 * SchemaBaseProperty.classification ("Can be anything, like confidential, restricted, and public") and
 * SchemaElement.tags (bitol-io/open-data-contract-standard, schema/odcs-json-schema-v3.1.0.json).
 */
class ContractClassificationTest {

    static String contractFile() {
        try {
            return Path.of(ContractClassificationTest.class.getResource("/contracts/customers.odcs.yaml").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> config() {
        Map<String, String> props = new HashMap<>();
        props.put("contract.file", contractFile());
        props.put("classification.restricted", "token");
        props.put("classification.pii", "encrypt");
        props.put("classification.confidential", "redact");
        props.put("rules.restricted.keyset", keyset(Method.TOKEN));
        props.put("rules.pii.keyset", keyset(Method.ENCRYPT));
        return props;
    }

    static Map<String, Object> customer() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("customer_id", 42L);
        value.put("email", "ann@example.com");
        value.put("country", "DE");
        value.put("address", new LinkedHashMap<>(Map.of("street", "1 Main St", "zip", "10115")));
        value.put("orders", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("order_id", 7L, "card", "4111111111111111")))));
        return value;
    }

    @Test
    void classificationAndTagsChooseTheFieldsAndTheirMethods() {
        Map<String, String> config = config();
        ProtectFields<SourceRecord> protect = Fixtures.protect(config);
        Map<?, ?> out = (Map<?, ?>) protect.apply(record(null, customer())).value();
        assertThat(out.get("customer_id")).isInstanceOf(String.class);
        assertThat(out.get("email")).isNotEqualTo("ann@example.com");
        // public is not mapped: untouched.
        assertThat(out.get("country")).isEqualTo("DE");
        // An object classified as a whole: each of its leaves.
        @SuppressWarnings("unchecked")
        Map<String, Object> address = (Map<String, Object>) out.get("address");
        assertThat(address.keySet()).containsExactlyInAnyOrder("street", "zip");
        assertThat(address.values()).containsOnlyNulls();
        Map<?, ?> order = (Map<?, ?>) ((List<?>) out.get("orders")).get(0);
        assertThat(order.get("order_id")).isEqualTo(7L);
        assertThat(order.get("card")).isNotEqualTo("4111111111111111");
        assertThat(protect.fieldsOf("restricted")).isEqualTo(1);
        assertThat(protect.fieldsOf("pii")).isEqualTo(2);
        assertThat(protect.fieldsOf("confidential")).isEqualTo(2);

        Map<?, ?> back = (Map<?, ?>) Fixtures.reveal(config).apply(record(null, out)).value();
        assertThat(back.get("customer_id")).isEqualTo(42L);
        assertThat(back.get("email")).isEqualTo("ann@example.com");
        assertThat(((Map<?, ?>) ((List<?>) back.get("orders")).get(0)).get("card")).isEqualTo("4111111111111111");
    }

    @Test
    void debeziumEnvelopeProtectsBothRowImagesAndInlineRulesAddToTheContract() {
        Map<String, String> props = config();
        props.put("envelope", "debezium");
        props.put("rules", "names");
        props.putAll(Fixtures.ruleKeys("names", "after.name", "mask"));
        Map<String, Object> after = customer();
        after.put("name", "Ann Example");
        Map<String, Object> envelope = new HashMap<>(Map.of("op", "u", "before", customer(), "after", after));
        Map<?, ?> out = (Map<?, ?>) Fixtures.protect(props).apply(record(null, envelope)).value();
        assertThat(((Map<?, ?>) out.get("before")).get("email")).isNotEqualTo("ann@example.com");
        assertThat(((Map<?, ?>) out.get("after")).get("email")).isNotEqualTo("ann@example.com");
        assertThat(((Map<?, ?>) out.get("after")).get("name")).isEqualTo("*******mple");
    }

    @Test
    void contractTextWorksAsTheFile() throws Exception {
        Map<String, String> props = config();
        props.remove("contract.file");
        props.put("contract.text", java.nio.file.Files.readString(Path.of(contractFile())));
        Map<?, ?> out = (Map<?, ?>) Fixtures.protect(props).apply(record(null, customer())).value();
        assertThat(out.get("customer_id")).isInstanceOf(String.class);
    }

    static KeyedConfigException failure(Map<String, String> props) {
        try {
            Fixtures.protect(props);
        } catch (KeyedConfigException e) {
            return e;
        }
        throw new AssertionError("configure accepted " + props.keySet());
    }

    @Test
    void mistakesNameTheirKeys() {
        Map<String, String> unknownValue = config();
        unknownValue.put("classification.secret", "token");
        KeyedConfigException e = failure(unknownValue);
        assertThat(e.key()).isEqualTo("classification.secret");
        assertThat(e.problem()).isEqualTo("no property of schema object customers of contract customers has "
                + "classification or tag 'secret'");

        Map<String, String> badMethod = config();
        badMethod.put("classification.restricted", "scramble");
        assertThat(failure(badMethod).key()).isEqualTo("classification.restricted");

        Map<String, String> twoMapped = config();
        twoMapped.put("classification.contact", "hash");
        twoMapped.put("rules.contact.keyset", keyset(Method.HASH));
        KeyedConfigException both = failure(twoMapped);
        assertThat(both.key()).isEqualTo("classification.pii");
        assertThat(both.problem()).isEqualTo("property email has classification or tags [pii, contact], each mapped to "
                + "a method; map only one of them");

        Map<String, String> noContract = config();
        noContract.remove("contract.file");
        assertThat(failure(noContract).problem()).startsWith("needs a contract");

        Map<String, String> noMapping = new HashMap<>(Map.of("contract.file", contractFile()));
        assertThat(failure(noMapping).key()).isEqualTo("contract.file");

        Map<String, String> missingKeyset = config();
        missingKeyset.remove("rules.pii.keyset");
        assertThat(failure(missingKeyset).key()).isEqualTo("rules.pii.keyset");

        Map<String, String> methodTwice = config();
        methodTwice.put("rules.pii.method", "hash");
        KeyedConfigException twice = failure(methodTwice);
        assertThat(twice.key()).isEqualTo("rules.pii.method");
        assertThat(twice.problem()).isEqualTo("rule pii is made by classification.pii, which sets its method from the "
                + "contract");

        Map<String, String> invalid = config();
        invalid.remove("contract.file");
        invalid.put("contract.text", "apiVersion: v3.1.0\nkind: DataContract\n");
        KeyedConfigException bad = failure(invalid);
        assertThat(bad.key()).isEqualTo("contract.text");
        assertThat(bad.problem()).startsWith("is not a valid ODCS v3 contract: ");

        Map<String, String> missingFile = config();
        missingFile.put("contract.file", "/nonexistent/c.odcs.yaml");
        assertThat(failure(missingFile).key()).isEqualTo("contract.file");
    }
}
