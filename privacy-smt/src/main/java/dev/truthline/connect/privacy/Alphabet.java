package dev.truthline.connect.privacy;

import java.util.Arrays;
import java.util.Locale;

/**
 * The characters {@code fpe} encrypts, as written in {@code rules.<name>.alphabet}. Any other character of a
 * value (a dash, a space, an {@code @}) is a separator: it stays where it is, unencrypted.
 */
public enum Alphabet {
    DIGITS("0123456789"),
    HEX("0123456789abcdef"),
    LOWERCASE("abcdefghijklmnopqrstuvwxyz"),
    UPPERCASE("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    LETTERS("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    ALPHANUMERIC("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private final char[] symbols;
    /** Character to its index, -1 for a separator; only characters below 128 can be symbols. */
    private final byte[] index = new byte[128];

    Alphabet(String symbols) {
        this.symbols = symbols.toCharArray();
        Arrays.fill(index, (byte) -1);
        for (int i = 0; i < this.symbols.length; i++) {
            index[this.symbols[i]] = (byte) i;
        }
    }

    public int radix() {
        return symbols.length;
    }

    /** The index of {@code c} in the alphabet, or -1 when it is a separator. */
    int indexOf(char c) {
        return c < 128 ? index[c] : -1;
    }

    char symbol(int i) {
        return symbols[i];
    }

    /**
     * The fewest symbols a value must have: NIST SP 800-38G requires radix<sup>minlen</sup> &ge; 1,000,000,
     * so a short value's encryption could not be told from a lookup table.
     */
    int minLength() {
        int length = 1;
        double domain = radix();
        while (domain < 1_000_000) {
            domain *= radix();
            length++;
        }
        return length;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String[] labels() {
        return Arrays.stream(values()).map(Alphabet::label).toArray(String[]::new);
    }
}
