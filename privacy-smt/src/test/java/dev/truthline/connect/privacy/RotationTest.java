package dev.truthline.connect.privacy;

import static dev.truthline.connect.privacy.Fixtures.keyset;
import static dev.truthline.connect.privacy.Fixtures.protect;
import static dev.truthline.connect.privacy.Fixtures.record;
import static dev.truthline.connect.privacy.Fixtures.reveal;
import static dev.truthline.connect.privacy.Fixtures.rotated;
import static dev.truthline.connect.privacy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.KeysetHandle;

/**
 * Key rotation: Tink's output prefix (RFC-free, Tink's wire format: version byte 0x01 and the 4-byte key id,
 * tink-crypto/tink-java "Wire format" docs) names the key, so every key of a rotated keyset still reveals.
 */
class RotationTest {

    static Object protectOne(String method, String keyset, Object value) {
        Map<String, Object> record = new HashMap<>(Map.of("v", value));
        return ((Map<?, ?>) protect(rule("r", "v", method, "keyset", keyset)).apply(record(null, record)).value()).get("v");
    }

    static Object revealOne(String method, String keyset, Object value) {
        Map<String, Object> record = new HashMap<>(Map.of("v", value));
        return ((Map<?, ?>) reveal(rule("r", "v", method, "keyset", keyset)).apply(record(null, record)).value()).get("v");
    }

    static int keyIdOf(Object protectedValue) {
        return Keysets.keyId(Base64.getUrlDecoder().decode((String) protectedValue));
    }

    @Test
    void tokenAndEncryptRevealOldAndNewValuesAfterARotation() {
        for (Method method : new Method[] {Method.TOKEN, Method.ENCRYPT}) {
            String old = keyset(method);
            Object before = protectOne(method.label(), old, "alice@example.com");
            int oldPrimary = Keysets.parse(old, "k").getPrimary().getId();
            assertThat(keyIdOf(before)).isEqualTo(oldPrimary);

            String rotated = rotated(old);
            KeysetHandle handle = Keysets.parse(rotated, "k");
            assertThat(handle.size()).isEqualTo(2);
            int newPrimary = handle.getPrimary().getId();
            assertThat(newPrimary).isNotEqualTo(oldPrimary);

            Object after = protectOne(method.label(), rotated, "bob@example.com");
            assertThat(keyIdOf(after)).as(method.label() + ": protect again uses the new key").isEqualTo(newPrimary);
            assertThat(revealOne(method.label(), rotated, before)).isEqualTo("alice@example.com");
            assertThat(revealOne(method.label(), rotated, after)).isEqualTo("bob@example.com");
            // The old keyset alone cannot reveal what the new key protected.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> revealOne(method.label(), old, after))
                    .hasMessageContaining("no key of the keyset opens it (it names key id "
                            + Integer.toUnsignedString(newPrimary) + ")");
        }
    }

    @Test
    void aTokenChangesWithThePrimarySoJoinsSpanOneKeyGeneration() {
        String old = keyset(Method.TOKEN);
        String rotated = rotated(old);
        assertThat(protectOne("token", rotated, 42L)).isNotEqualTo(protectOne("token", old, 42L));
        assertThat(protectOne("token", rotated, 42L)).isEqualTo(protectOne("token", rotated, 42L));
    }

    @Test
    void fpeUsesThePrimaryOnlySoARotationNeedsReprotection() {
        String old = keyset(Method.FPE);
        Object before = protectOne("fpe", old, "4111111111111111");
        String rotated = rotated(old);
        // Same length and alphabet, no room for a key id: the rotated keyset reveals with its new primary, and an
        // old value comes back wrong (documented in docs/privacy.md: re-protect, or reveal with the old keyset).
        assertThat(revealOne("fpe", old, before)).isEqualTo("4111111111111111");
        assertThat(revealOne("fpe", rotated, before)).isNotEqualTo("4111111111111111");
        assertThat(revealOne("fpe", rotated, protectOne("fpe", rotated, "4111111111111111"))).isEqualTo("4111111111111111");
    }
}
