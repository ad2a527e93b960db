package dev.truthline.connect.privacy;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@code fpe}: NIST SP 800-38G FF1 (Bouncy Castle's engine, AES-256) over the rule's alphabet. The characters of
 * the alphabet are encrypted as one numeral string; every other character stays where it is, so the output has the
 * input's length, alphabet and separators. Strings only.
 *
 * <p>FF1 rather than FF3-1: FF3-1 allows only short inputs (32 alphanumeric characters) and NIST's draft revision 2
 * of SP 800-38G withdraws it after further cryptanalysis.
 *
 * <p>The output carries no key id (it could not, and keep its length), so FF1 always uses the primary key of the
 * keyset: after a rotation, values protected under the old primary no longer reveal. Rotating an fpe keyset means
 * re-protecting (see docs/privacy.md).
 */
final class FpeProtection extends Protection {

    /** FF1's tweak: empty, so that a value encrypts the same in every topic and field (as token does). */
    private static final byte[] TWEAK = new byte[0];

    private final Alphabet alphabet;
    private final int minLength;
    private final ThreadLocal<FPEEngine> encryptors;
    private final ThreadLocal<FPEEngine> decryptors;

    FpeProtection(String rule, Alphabet alphabet, byte[] key) {
        super(rule, Method.FPE);
        this.alphabet = alphabet;
        this.minLength = alphabet.minLength();
        FPEParameters params = new FPEParameters(new KeyParameter(key), alphabet.radix(), TWEAK);
        // An engine holds its key schedule: one per thread, made once.
        this.encryptors = ThreadLocal.withInitial(() -> engine(true, params));
        this.decryptors = ThreadLocal.withInitial(() -> engine(false, params));
    }

    private static FPEEngine engine(boolean encrypt, FPEParameters params) {
        FPEEngine engine = new FPEFF1Engine();
        engine.init(encrypt, params);
        return engine;
    }

    @Override
    Object protect(Object value, Schema schema, String path) {
        return process(value, path, encryptors.get());
    }

    @Override
    Object reveal(Object value, Schema revealedSchema, String path) {
        return process(value, path, decryptors.get());
    }

    private Object process(Object value, String path, FPEEngine engine) {
        if (!(value instanceof String)) {
            throw new DataException("Field " + path + " holds a " + ValueCodec.kind(value) + "; rule " + rule
                    + " (fpe) protects strings only");
        }
        String text = (String) value;
        char[] chars = text.toCharArray();
        byte[] numerals = new byte[chars.length];
        int count = 0;
        for (char c : chars) {
            int index = alphabet.indexOf(c);
            if (index >= 0) {
                numerals[count++] = (byte) index;
            }
        }
        if (count < minLength) {
            throw new DataException("Field " + path + " has " + count + " characters of alphabet " + alphabet.label()
                    + "; rule " + rule + " (fpe) needs at least " + minLength + " (NIST SP 800-38G's minimum domain)");
        }
        byte[] out = new byte[count];
        engine.processBlock(numerals, 0, count, out, 0);
        int next = 0;
        for (int i = 0; i < chars.length; i++) {
            if (alphabet.indexOf(chars[i]) >= 0) {
                chars[i] = alphabet.symbol(out[next++]);
            }
        }
        return new String(chars);
    }

    @Override
    Schema protectedSchema(Schema original, String path) {
        if (original.type() != Schema.Type.STRING) {
            throw new DataException("Field " + path + " is a " + original.type().getName() + "; rule " + rule
                    + " (fpe) protects strings only");
        }
        return recorded(original, Schema.Type.STRING);
    }
}
