package dev.truthline.connect.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * Tink keysets (JSON keyset format) and the primitive each method takes from one. A keyset is a secret: no
 * message here ever shows it.
 *
 * <p>{@code token}: a DeterministicAead keyset (AES-SIV); {@code encrypt}: an Aead keyset (AES-GCM); {@code hash}:
 * a Mac keyset (HMAC-SHA256); {@code fpe}: a PRF keyset (HMAC-SHA256 PRF) from whose primary key the FF1 key is
 * derived. Tink's output prefix (byte 0x01 and the 4-byte key id) starts every token, ciphertext and hash, so a
 * value protected under an older key of the keyset is still revealed after a rotation.
 */
public final class Keysets {

    /** The input from which a PRF key derives the FF1 key: fixed, so one keyset always gives the same FF1 key. */
    static final byte[] FPE_KEY_LABEL = "truthline fpe ff1 aes-256 key v1".getBytes(StandardCharsets.US_ASCII);
    static final int FPE_KEY_BYTES = 32;
    /** Tink's TINK output prefix: a version byte, then the key id. */
    private static final byte TINK_PREFIX_VERSION = 0x01;
    static final int TINK_PREFIX_SIZE = 5;

    static {
        try {
            DeterministicAeadConfig.register();
            AeadConfig.register();
            MacConfig.register();
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keysets() {
    }

    /** Parses a keyset in Tink's JSON format. */
    public static KeysetHandle parse(String json, String key) {
        if (json == null || json.isBlank()) {
            throw KeyedConfigException.hidingValue(key, "keyset", "a keyset is required; give it through a "
                    + "ConfigProvider, e.g. ${file:/etc/truthline/keys.properties:orders-token}");
        }
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw KeyedConfigException.hidingValue(key, "keyset",
                    "is not a keyset in Tink's JSON format (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A new keyset of one key for a keyed method: AES256_SIV, AES256_GCM, HMAC_SHA256_256BITTAG or HMAC_SHA256_PRF. */
    public static KeysetHandle create(Method method) throws GeneralSecurityException {
        return KeysetHandle.generateNew(parameters(method));
    }

    /** The keyset with a new key, of the primary's parameters, as its primary; every older key stays. */
    public static KeysetHandle rotate(KeysetHandle keyset) throws GeneralSecurityException {
        Parameters parameters = keyset.getPrimary().getKey().getParameters();
        return KeysetHandle.newBuilder(keyset)
                .addEntry(KeysetHandle.generateEntryFromParameters(parameters).withRandomId().makePrimary())
                .build();
    }

    /** The keyed method a keyset serves, by its primitive; null when it serves none. */
    public static Method methodOf(KeysetHandle keyset) {
        for (Method method : Method.values()) {
            if (method.keyed()) {
                try {
                    keyset.getPrimitive(RegistryConfiguration.get(), primitiveOf(method));
                    return method;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // not this one
                }
            }
        }
        return null;
    }

    private static Class<?> primitiveOf(Method method) {
        switch (method) {
            case TOKEN:
                return DeterministicAead.class;
            case ENCRYPT:
                return Aead.class;
            case HASH:
                return Mac.class;
            case FPE:
                return PrfSet.class;
            default:
                throw new IllegalArgumentException("method " + method.label() + " takes no keyset");
        }
    }

    private static Parameters parameters(Method method) {
        switch (method) {
            case TOKEN:
                return PredefinedDeterministicAeadParameters.AES256_SIV;
            case ENCRYPT:
                return PredefinedAeadParameters.AES256_GCM;
            case HASH:
                return PredefinedMacParameters.HMAC_SHA256_256BITTAG;
            case FPE:
                return PredefinedPrfParameters.HMAC_SHA256_PRF;
            default:
                throw new IllegalArgumentException("method " + method.label() + " takes no keyset");
        }
    }

    /** The keyset in Tink's JSON format. */
    public static String toJson(KeysetHandle keyset) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    }

    static DeterministicAead deterministicAead(KeysetHandle keyset, String key) {
        return primitive(keyset, DeterministicAead.class, key, Method.TOKEN, "an AES-SIV (DeterministicAead)");
    }

    static Aead aead(KeysetHandle keyset, String key) {
        return primitive(keyset, Aead.class, key, Method.ENCRYPT, "an AES-GCM (Aead)");
    }

    static Mac mac(KeysetHandle keyset, String key) {
        return primitive(keyset, Mac.class, key, Method.HASH, "an HMAC-SHA256 (Mac)");
    }

    /** The FF1 AES-256 key derived from the keyset's primary PRF key. */
    static byte[] fpeKey(KeysetHandle keyset, String key) {
        PrfSet prfs = primitive(keyset, PrfSet.class, key, Method.FPE, "an HMAC-SHA256 PRF (PrfSet)");
        try {
            Prf primary = prfs.getPrfs().get(prfs.getPrimaryId());
            return primary.compute(FPE_KEY_LABEL, FPE_KEY_BYTES);
        } catch (GeneralSecurityException e) {
            throw KeyedConfigException.hidingValue(key, "keyset", "its primary PRF key cannot give "
                    + FPE_KEY_BYTES + " bytes for an FF1 key: use an HMAC-SHA256 PRF keyset (truthline keys create "
                    + "--method fpe)");
        }
    }

    /** The id of the key a Tink output was made with, or null when it has no TINK prefix (a RAW key). */
    public static Integer keyId(byte[] tinkOutput) {
        if (tinkOutput.length < TINK_PREFIX_SIZE || tinkOutput[0] != TINK_PREFIX_VERSION) {
            return null;
        }
        return ((tinkOutput[1] & 0xff) << 24) | ((tinkOutput[2] & 0xff) << 16) | ((tinkOutput[3] & 0xff) << 8)
                | (tinkOutput[4] & 0xff);
    }

    private static <P> P primitive(KeysetHandle keyset, Class<P> type, String key, Method method, String kind) {
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), type);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw KeyedConfigException.hidingValue(key, "keyset", "method " + method.label() + " needs " + kind
                    + " keyset, e.g. from 'truthline keys create --method " + method.label() + "'; this one holds "
                    + keyTypes(keyset));
        }
    }

    private static String keyTypes(KeysetHandle keyset) {
        return keyset.getKeysetInfo().getKeyInfoList().stream().map(k -> k.getTypeUrl())
                .distinct().reduce((a, b) -> a + ", " + b).orElse("no keys");
    }
}
