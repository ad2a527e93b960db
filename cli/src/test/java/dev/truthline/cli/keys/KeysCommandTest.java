package dev.truthline.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.KeysetHandle;

import dev.truthline.cli.CliRun;
import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import dev.truthline.connect.privacy.ProtectFields;

class KeysCommandTest {

    static Object protect(Path keyset, String method, String field, Map<String, Object> value, String... extra)
            throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("rules", "r");
        props.put("rules.r.fields", field);
        props.put("rules.r.method", method);
        props.put("rules.r.keyset", Files.readString(keyset));
        for (int i = 0; i < extra.length; i += 2) {
            props.put("rules.r." + extra[i], extra[i + 1]);
        }
        try (ProtectFields.Value<SinkRecord> transform = new ProtectFields.Value<>()) {
            transform.configure(props);
            return transform.apply(new SinkRecord("t", 0, null, null, null, new HashMap<>(value), 0L)).value();
        }
    }

    @Test
    void createPrintsAKeysetOfTheMethodsKind() throws Exception {
        for (Method method : new Method[] {Method.TOKEN, Method.ENCRYPT, Method.FPE, Method.HASH}) {
            CliRun run = CliRun.of("keys", "create", "--method", method.label());
            assertThat(run.exit()).as(run.toString()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.path("primaryKeyId").asLong()).isNotZero();
            assertThat(json.path("key")).hasSize(1);
            assertThat(Keysets.methodOf(Keysets.parse(run.out(), "out"))).isEqualTo(method);
        }
        assertThat(CliRun.of("keys", "create", "--method", "mask").exit()).isEqualTo(2);
        // Two keysets are different keys.
        assertThat(CliRun.of("keys", "create", "--method", "token").out())
                .isNotEqualTo(CliRun.of("keys", "create", "--method", "token").out());
    }

    @Test
    void createWritesAnOwnerOnlyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders-token.json");
        CliRun run = CliRun.of("keys", "create", "--method", "token", "--out", file.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith(file + ": new token keyset, primary key id ");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Keysets.methodOf(KeysCommand.read(file))).isEqualTo(Method.TOKEN);
    }

    @Test
    void rotateAddsANewPrimaryAndOldValuesStillReveal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.json");
        CliRun.of("keys", "create", "--method", "encrypt", "--out", file.toString());
        int oldPrimary = KeysCommand.read(file).getPrimary().getId();
        Object before = ((Map<?, ?>) protect(file, "encrypt", "email", Map.of("email", "alice@example.com"))).get("email");

        CliRun rotate = CliRun.of("keys", "rotate", file.toString());
        assertThat(rotate.exit()).as(rotate.toString()).isZero();
        KeysetHandle rotated = KeysCommand.read(file);
        assertThat(rotated.size()).isEqualTo(2);
        assertThat(rotated.getPrimary().getId()).isNotEqualTo(oldPrimary);
        assertThat(rotate.out()).contains("encrypt keyset rotated: primary key id "
                + Integer.toUnsignedString(rotated.getPrimary().getId()) + " (was " + Integer.toUnsignedString(oldPrimary)
                + "), 2 keys");

        Object after = ((Map<?, ?>) protect(file, "encrypt", "email", Map.of("email", "bob@example.com"))).get("email");
        CliRun old = CliRun.of("reveal", "--keyset", file.toString(), (String) before);
        assertThat(old.exit()).as(old.toString()).isZero();
        assertThat(old.out()).isEqualTo("alice@example.com\n");
        assertThat(CliRun.of("reveal", "--keyset", file.toString(), (String) after).out()).isEqualTo("bob@example.com\n");
    }

    @Test
    void rotateRefusesAnFpeKeysetWithoutForceAndAnythingThatIsNotAKeyset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fpe.json");
        CliRun.of("keys", "create", "--method", "fpe", "--out", file.toString());
        String before = Files.readString(file);
        CliRun refused = CliRun.of("keys", "rotate", file.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("fpe values carry no key id");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(CliRun.of("keys", "rotate", "--force", file.toString()).exit()).isZero();
        assertThat(KeysCommand.read(file).size()).isEqualTo(2);

        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"not\": \"a keyset\"}");
        CliRun notKeyset = CliRun.of("keys", "rotate", junk.toString());
        assertThat(notKeyset.exit()).isEqualTo(1);
        assertThat(notKeyset.err()).contains("is not a keyset in Tink's JSON format").doesNotContain("a keyset\"}");
        assertThat(CliRun.of("keys", "rotate", dir.resolve("missing.json").toString()).exit()).isEqualTo(2);
    }

    @Test
    void revealsAJsonRecordsFieldsAndFpeValues(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token.json");
        CliRun.of("keys", "create", "--method", "token", "--out", token.toString());
        Map<String, Object> order = new HashMap<>(Map.of("order_id", 7, "customer_id", 123456789L,
                "items", java.util.List.of(Map.of("sku", "SKU-1"))));
        Map<?, ?> protectedOrder = (Map<?, ?>) protect(token, "token", "customer_id,items[*].sku", order);
        String json = new ObjectMapper().writeValueAsString(protectedOrder);
        assertThat(json).doesNotContain("123456789").doesNotContain("SKU-1");

        CliRun run = CliRun.of("reveal", "--keyset", token.toString(), "--fields", "customer_id,items[*].sku", json);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()))
                .isEqualTo(new ObjectMapper().readTree("{\"order_id\":7,\"customer_id\":123456789,\"items\":[{\"sku\":\"SKU-1\"}]}"));

        Path fpe = dir.resolve("fpe.json");
        CliRun.of("keys", "create", "--method", "fpe", "--out", fpe.toString());
        Object card = ((Map<?, ?>) protect(fpe, "fpe", "card", Map.of("card", "4111-1111-1111-1234"))).get("card");
        assertThat(CliRun.of("reveal", "--keyset", fpe.toString(), (String) card).out()).isEqualTo("4111-1111-1111-1234\n");

        // A value of another keyset, and a hash keyset.
        CliRun wrong = CliRun.of("reveal", "--keyset", token.toString(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("Field value cannot be revealed (token): it is not a value this keyset protected");
        Path hash = dir.resolve("hash.json");
        CliRun.of("keys", "create", "--method", "hash", "--out", hash.toString());
        CliRun hashed = CliRun.of("reveal", "--keyset", hash.toString(), "x");
        assertThat(hashed.exit()).isEqualTo(1);
        assertThat(hashed.err()).contains("a hash keyset: what it protected cannot be revealed");
    }
}
