package dev.truthline.connect.privacy;

import java.security.GeneralSecurityException;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

import com.google.crypto.tink.Mac;

/**
 * {@code hash}: HMAC-SHA256 of the value's tagged bytes under the keyset's primary key (Tink's key-id prefix first),
 * as URL-safe Base64, or bytes for bytes. Not reversible; equal values hash equally until the primary changes.
 */
final class HashProtection extends Protection {

    private final Mac mac;

    HashProtection(String rule, Mac mac) {
        super(rule, Method.HASH);
        this.mac = mac;
    }

    @Override
    Object protect(Object value, Schema schema, String path) {
        byte[] tag;
        try {
            tag = mac.computeMac(ValueCodec.encode(value, path));
        } catch (GeneralSecurityException e) {
            throw new DataException("Field " + path + " could not be hashed by rule " + rule + ": "
                    + e.getClass().getSimpleName());
        }
        return isBytes(value, schema) ? tag : BASE64.encodeToString(tag);
    }

    @Override
    Schema protectedSchema(Schema original, String path) {
        requireScalar(original, path);
        return recorded(original, isBytes(null, original) ? Schema.Type.BYTES : Schema.Type.STRING);
    }
}
