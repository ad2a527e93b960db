package dev.truthline.connect.privacy;

import static dev.truthline.connect.privacy.Fixtures.keyset;
import static dev.truthline.connect.privacy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.truthline.connect.core.KeyedConfigException;

/** Every configuration mistake is a KeyedConfigException naming the full key, and never shows a keyset. */
class PrivacyConfigTest {

    private static final String TOKEN_KEYS = keyset(Method.TOKEN);

    static KeyedConfigException failure(Map<String, String> props) {
        for (FieldsTransform<SourceRecord> transform : java.util.List.<FieldsTransform<SourceRecord>>of(
                new ProtectFields.Value<>(), new RevealFields.Key<>())) {
            Executable configure = () -> transform.configure(props);
            try {
                configure.execute();
            } catch (KeyedConfigException e) {
                assertThat(e.getMessage()).doesNotContain("\"primaryKeyId\"").doesNotContain("keyData")
                        .doesNotContain(TOKEN_KEYS);
                if (transform instanceof RevealFields) {
                    return e;
                }
                continue;
            } catch (Throwable t) {
                throw new AssertionError("expected a KeyedConfigException, got " + t, t);
            }
            throw new AssertionError("configure accepted " + props.keySet());
        }
        throw new AssertionError("unreachable");
    }

    static Map<String, String> with(Map<String, String> props, String key, String value) {
        Map<String, String> copy = new HashMap<>(props);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    private static final Map<String, String> GOOD = rule("ids", "customer_id", "token", "keyset", TOKEN_KEYS);

    @Test
    void rulesListIsRequiredAndItsNamesChecked() {
        assertThat(failure(with(GOOD, "rules", null)).key()).isEqualTo("rules");
        assertThat(failure(with(GOOD, "rules", "")).problem()).isEqualTo("list at least one rule (each is configured "
                + "under rules.<name>.*), or map a contract's classifications with classification.<value>=<method>");
        assertThat(failure(with(GOOD, "rules", "ids,ids")).problem()).isEqualTo("rule name 'ids' is listed twice");
        assertThat(failure(with(GOOD, "rules", "a b")).key()).isEqualTo("rules");
    }

    @Test
    void strayAndUnknownRuleKeys() {
        KeyedConfigException unlisted = failure(with(GOOD, "rules.other.method", "token"));
        assertThat(unlisted.key()).isEqualTo("rules.other.method");
        assertThat(unlisted.problem()).isEqualTo("configures a rule that is not listed in 'rules' [ids]");
        KeyedConfigException unknown = failure(with(GOOD, "rules.ids.keep.first", "2"));
        assertThat(unknown.key()).isEqualTo("rules.ids.keep.first");
        assertThat(unknown.problem()).startsWith("unknown rule parameter 'keep.first'");
    }

    @Test
    void methodFieldsAndParameters() {
        assertThat(failure(with(GOOD, "rules.ids.method", null)).key()).isEqualTo("rules.ids.method");
        assertThat(failure(with(GOOD, "rules.ids.method", "scramble")).key()).isEqualTo("rules.ids.method");
        assertThat(failure(with(GOOD, "rules.ids.fields", null)).key()).isEqualTo("rules.ids.fields");
        assertThat(failure(with(GOOD, "rules.ids.fields", "a,,b")).key()).isEqualTo("rules.ids.fields");
        KeyedConfigException badPath = failure(with(GOOD, "rules.ids.fields", "items[0].sku"));
        assertThat(badPath.key()).isEqualTo("rules.ids.fields");
        assertThat(badPath.problem()).contains("bracket that is not '[*]'");
        KeyedConfigException alphabet = failure(with(GOOD, "rules.ids.alphabet", "digits"));
        assertThat(alphabet.key()).isEqualTo("rules.ids.alphabet");
        assertThat(alphabet.problem()).isEqualTo("method token does not take alphabet");
        assertThat(failure(with(GOOD, "rules.ids.keep.last", "2")).key()).isEqualTo("rules.ids.keep.last");
        Map<String, String> mask = rule("m", "card", "mask", "keep.last", "-1");
        assertThat(failure(mask).key()).isEqualTo("rules.m.keep.last");
        KeyedConfigException maskWithKeys = failure(with(rule("m", "card", "mask"), "rules.m.keyset", TOKEN_KEYS));
        assertThat(maskWithKeys.key()).isEqualTo("rules.m.keyset");
        assertThat(maskWithKeys.problem()).isEqualTo("method mask does not take keyset (mask and redact need no key)");
        Map<String, String> fpe = rule("f", "card", "fpe", "keyset", keyset(Method.FPE), "alphabet", "emoji");
        assertThat(failure(fpe).key()).isEqualTo("rules.f.alphabet");
    }

    @Test
    void theSameFieldInTwoRulesOrAsBothLeafAndParent() {
        Map<String, String> twice = new HashMap<>(GOOD);
        twice.put("rules", "ids,again");
        twice.putAll(Fixtures.ruleKeys("again", "customer_id", "mask"));
        KeyedConfigException e = failure(twice);
        assertThat(e.key()).isEqualTo("rules.again.fields");
        assertThat(e.problem()).isEqualTo("field customer_id is already protected by rule ids (customer_id); a field "
                + "can be protected by one rule only");
        assertThat(failure(with(GOOD, "rules.ids.fields", "a.b,a")).problem())
                .isEqualTo("field a is already protected in its parts by another path; a field can be protected by one "
                        + "rule only");
        assertThat(failure(with(GOOD, "rules.ids.fields", "a[*].b,a.c")).problem())
                .isEqualTo("'a' and 'a[*]' disagree on whether a is an array");
    }

    @Test
    void keysetsAreRequiredParsedAndOfTheMethodsKind() {
        KeyedConfigException missing = failure(with(GOOD, "rules.ids.keyset", null));
        assertThat(missing.key()).isEqualTo("rules.ids.keyset");
        assertThat(missing.problem()).startsWith("a keyset is required; give it through a ConfigProvider");
        KeyedConfigException garbage = failure(with(GOOD, "rules.ids.keyset", "{\"primaryKeyId\": 1, \"key\": ["));
        assertThat(garbage.key()).isEqualTo("rules.ids.keyset");
        assertThat(garbage.problem()).startsWith("is not a keyset in Tink's JSON format");
        assertThat(garbage.value()).isNull();
        KeyedConfigException wrongKind = failure(with(GOOD, "rules.ids.keyset", keyset(Method.ENCRYPT)));
        assertThat(wrongKind.key()).isEqualTo("rules.ids.keyset");
        assertThat(wrongKind.problem()).isEqualTo("method token needs an AES-SIV (DeterministicAead) keyset, e.g. from "
                + "'truthline keys create --method token'; this one holds type.googleapis.com/google.crypto.tink.AesGcmKey");
        for (Method method : new Method[] {Method.ENCRYPT, Method.HASH, Method.FPE}) {
            KeyedConfigException e = failure(rule("r", "f", method.label(), "keyset", TOKEN_KEYS));
            assertThat(e.key()).isEqualTo("rules.r.keyset");
            assertThat(e.problem()).startsWith("method " + method.label() + " needs ");
        }
        // Messages say "Invalid keyset in configuration rules.ids.keyset: ...": never the value.
        assertThat(wrongKind.getMessage()).startsWith("Invalid keyset in configuration rules.ids.keyset: ");
        assertThat(wrongKind).isInstanceOf(ConfigException.class);
    }

    @Test
    void aGoodConfigConfigures() {
        ProtectFields<SourceRecord> transform = Fixtures.protect(GOOD);
        assertThat(transform.config()).isSameAs(PrivacyConfig.CONFIG_DEF);
        assertThat(transform.version()).isNotBlank();
    }
}
