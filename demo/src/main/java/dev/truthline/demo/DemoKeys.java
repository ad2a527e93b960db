package dev.truthline.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;

/**
 * The demo's keys: a new token keyset for every run (what {@code truthline keys create --method token --out FILE}
 * writes), in a file only its owner reads, handed to the worker as {@code TRUTHLINE_ORDERS_TOKEN_KEYSET}.
 */
final class DemoKeys {

    /** The variable {@code orders-source.json}'s {@code transforms.protect.rules.ids.keyset} references. */
    static final String TOKEN_KEYSET = "TRUTHLINE_ORDERS_TOKEN_KEYSET";

    private DemoKeys() {
    }

    /** A new AES256_SIV keyset in {@code file} (owner read/write only); returns its JSON. */
    static String createTokenKeyset(Path file) throws IOException, GeneralSecurityException {
        String json = Keysets.toJson(Keysets.create(Method.TOKEN));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the directory's defaults
        }
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
        return json;
    }

    /** The key material of a keyset (each key's {@code keyData.value}): what must never reach a topic or a table. */
    static List<String> keyMaterial(String keysetJson) throws IOException {
        List<String> values = new ArrayList<>();
        for (JsonNode key : ConnectRest.JSON.readTree(keysetJson).path("key")) {
            String value = key.path("keyData").path("value").asText("");
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }
}
