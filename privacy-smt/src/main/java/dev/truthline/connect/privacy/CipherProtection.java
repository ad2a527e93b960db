package dev.truthline.connect.privacy;

import java.security.GeneralSecurityException;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;

/**
 * {@code token} (AES-SIV, deterministic) and {@code encrypt} (AES-GCM, randomized): the value's tagged bytes
 * ({@link ValueCodec}) are encrypted with the keyset's primary key; bytes stay bytes, anything else becomes the
 * ciphertext in URL-safe Base64 without padding. Tink puts the key id in front of the ciphertext, so revealing
 * finds the key among all the keyset's keys.
 */
final class CipherProtection extends Protection {

    private static final byte[] NO_ASSOCIATED_DATA = new byte[0];

    /** One of the two Tink primitives, seen as seal and open. */
    interface Cipher {
        byte[] seal(byte[] plain) throws GeneralSecurityException;

        byte[] open(byte[] sealed) throws GeneralSecurityException;
    }

    private final Cipher cipher;

    CipherProtection(String rule, Method method, Cipher cipher) {
        super(rule, method);
        this.cipher = cipher;
    }

    static CipherProtection token(String rule, DeterministicAead daead) {
        return new CipherProtection(rule, Method.TOKEN, new Cipher() {
            @Override
            public byte[] seal(byte[] plain) throws GeneralSecurityException {
                return daead.encryptDeterministically(plain, NO_ASSOCIATED_DATA);
            }

            @Override
            public byte[] open(byte[] sealed) throws GeneralSecurityException {
                return daead.decryptDeterministically(sealed, NO_ASSOCIATED_DATA);
            }
        });
    }

    static CipherProtection encrypt(String rule, Aead aead) {
        return new CipherProtection(rule, Method.ENCRYPT, new Cipher() {
            @Override
            public byte[] seal(byte[] plain) throws GeneralSecurityException {
                return aead.encrypt(plain, NO_ASSOCIATED_DATA);
            }

            @Override
            public byte[] open(byte[] sealed) throws GeneralSecurityException {
                return aead.decrypt(sealed, NO_ASSOCIATED_DATA);
            }
        });
    }

    @Override
    Object protect(Object value, Schema schema, String path) {
        byte[] sealed;
        try {
            sealed = cipher.seal(ValueCodec.encode(value, path));
        } catch (GeneralSecurityException e) {
            throw new DataException("Field " + path + " could not be protected by rule " + rule + " (" + method.label()
                    + "): " + e.getClass().getSimpleName());
        }
        return isBytes(value, schema) ? sealed : BASE64.encodeToString(sealed);
    }

    @Override
    Schema protectedSchema(Schema original, String path) {
        requireScalar(original, path);
        return recorded(original, isBytes(null, original) ? Schema.Type.BYTES : Schema.Type.STRING);
    }

    @Override
    Object reveal(Object value, Schema revealedSchema, String path) {
        byte[] sealed;
        if (value instanceof String) {
            try {
                sealed = BASE64_DECODER.decode((String) value);
            } catch (IllegalArgumentException e) {
                throw notProtected(path);
            }
        } else if (isBytes(value, null)) {
            sealed = ValueCodec.bytes(value);
        } else {
            throw notProtected(path);
        }
        byte[] plain;
        try {
            plain = cipher.open(sealed);
        } catch (GeneralSecurityException e) {
            Integer keyId = Keysets.keyId(sealed);
            throw new DataException("Field " + path + " cannot be revealed by rule " + rule + " (" + method.label()
                    + "): " + (keyId == null ? "it is not a value this keyset protected"
                    : "no key of the keyset opens it (it names key id " + Integer.toUnsignedString(keyId) + ")"));
        }
        return checked(ValueCodec.decode(plain, path), revealedSchema, path);
    }

    private DataException notProtected(String path) {
        return new DataException("Field " + path + " is not a " + method.label() + " value of rule " + rule);
    }
}
