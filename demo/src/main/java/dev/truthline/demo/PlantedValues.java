package dev.truthline.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of clear values to look for in raw bytes (record keys, values, headers) and in text (table rows): finds
 * any of thousands of values in one pass. Candidates are indexed by their first four bytes; a bit filter over
 * those prefixes skips almost every position without a lookup, and a candidate matches only byte for byte.
 */
final class PlantedValues {

    static final int MIN_LENGTH = 4;
    /** The shortest run of URL-safe Base64 characters taken for a token (see {@link #insideToken}). */
    static final int TOKEN_RUN = 34;
    private static final int FILTER_BITS = 1 << 22;

    private final Map<Integer, List<byte[]>> byPrefix = new HashMap<>();
    private final long[] filter = new long[FILTER_BITS / 64];
    private final int size;

    PlantedValues(Collection<String> values) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null) {
                continue;
            }
            if (v.getBytes(StandardCharsets.UTF_8).length < MIN_LENGTH) {
                throw new IllegalArgumentException("a planted value needs at least " + MIN_LENGTH + " bytes");
            }
            distinct.add(v);
        }
        for (String v : distinct) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            int prefix = prefix(bytes, 0);
            byPrefix.computeIfAbsent(prefix, k -> new ArrayList<>()).add(bytes);
            int bit = slot(prefix);
            filter[bit >>> 6] |= 1L << bit;
        }
        size = distinct.size();
    }

    int size() {
        return size;
    }

    /** The first planted value {@code bytes} contains, or null; null bytes contain nothing. */
    String find(byte[] bytes) {
        if (bytes == null || bytes.length < MIN_LENGTH) {
            return null;
        }
        int prefix = prefix(bytes, 0);
        for (int i = 0; ; i++) {
            int bit = slot(prefix);
            if ((filter[bit >>> 6] & (1L << bit)) != 0) {
                List<byte[]> candidates = byPrefix.get(prefix);
                if (candidates != null) {
                    for (byte[] c : candidates) {
                        if (i + c.length <= bytes.length && Arrays.equals(bytes, i, i + c.length, c, 0, c.length)
                                && !insideToken(bytes, i, i + c.length)) {
                            return new String(c, StandardCharsets.UTF_8);
                        }
                    }
                }
            }
            if (i + MIN_LENGTH >= bytes.length) {
                return null;
            }
            prefix = (prefix << 8) | (bytes[i + MIN_LENGTH] & 0xff);
        }
    }

    /**
     * Whether {@code [from, to)} lies inside a run of at least {@value #TOKEN_RUN} URL-safe Base64 characters: a token
     * (Tink's output, 34 characters and more for the planted values) that happens to hold the value's characters, as a
     * random token holds "C" and six digits about once in a few thousand runs — not the clear value, which sits
     * between quotes, separators or the edges of a column.
     */
    static boolean insideToken(byte[] bytes, int from, int to) {
        int run = to - from;
        for (int i = from - 1; i >= 0 && run < TOKEN_RUN && base64(bytes[i]); i--) {
            run++;
        }
        for (int i = to; i < bytes.length && run < TOKEN_RUN && base64(bytes[i]); i++) {
            run++;
        }
        return run >= TOKEN_RUN && base64Run(bytes, from, to);
    }

    private static boolean base64Run(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!base64(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean base64(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_';
    }

    /** The first planted value {@code text} contains (as UTF-8), or null. */
    String find(String text) {
        return text == null ? null : find(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int prefix(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | (bytes[at + 3] & 0xff);
    }

    private static int slot(int prefix) {
        return (prefix * 0x9E3779B1) >>> (32 - 22);
    }
}
