package dev.truthline.connect.privacy;

import java.util.Arrays;
import java.util.Locale;

/** How a rule protects its fields, as written in {@code rules.<name>.method}. */
public enum Method {
    /** Deterministic authenticated encryption (AES-SIV): equal values give equal tokens; reversible. */
    TOKEN(true, true),
    /** Randomized authenticated encryption (AES-GCM): reversible, equal values give different outputs. */
    ENCRYPT(true, true),
    /** Format-preserving encryption (FF1) of strings over an alphabet: same length and alphabet; reversible. */
    FPE(true, true),
    /** Keyed HMAC-SHA256: equal values give equal hashes; not reversible. */
    HASH(false, true),
    /** Keep only the last {@code keep.last} characters; not reversible. */
    MASK(false, false),
    /** Null (or the empty value of a required field); not reversible. */
    REDACT(false, false);

    private final boolean reversible;
    private final boolean keyed;

    Method(boolean reversible, boolean keyed) {
        this.reversible = reversible;
        this.keyed = keyed;
    }

    public boolean reversible() {
        return reversible;
    }

    /** Whether the method needs {@code rules.<name>.keyset}. */
    public boolean keyed() {
        return keyed;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Method of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    static String[] labels() {
        return Arrays.stream(values()).map(Method::label).toArray(String[]::new);
    }
}
