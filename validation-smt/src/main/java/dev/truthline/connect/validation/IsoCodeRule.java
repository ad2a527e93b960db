package dev.truthline.connect.validation;

import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.truthline.connect.core.FieldPath;

/**
 * {@code iso_country} and {@code iso_currency}: an uppercase ISO 3166-1 alpha-2 country code or an
 * ISO 4217 currency code, as the running JDK's tables know them.
 */
final class IsoCodeRule extends FieldRule {

    static final RuleType COUNTRY = new RuleType("iso_country", null, RuleDefinitions.FIELD) {
        @Override
        Rule fromConfig(RuleConfig config) {
            return country(config.name(), config.field(), config.severity(), config.message());
        }
    };

    static final RuleType CURRENCY = new RuleType("iso_currency", null, RuleDefinitions.FIELD) {
        @Override
        Rule fromConfig(RuleConfig config) {
            return currency(config.name(), config.field(), config.severity(), config.message());
        }
    };

    static final LetterCodes COUNTRIES = new LetterCodes(Set.of(Locale.getISOCountries()), 2);
    static final LetterCodes CURRENCIES = new LetterCodes(Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet()), 3);

    private final LetterCodes codes;
    private final String notACode;

    private IsoCodeRule(String name, FieldPath path, RuleSeverity severity, String message, LetterCodes codes,
            String notACode) {
        super(name, path, severity, message);
        this.codes = codes;
        this.notACode = notACode;
    }

    static IsoCodeRule country(String name, FieldPath path, RuleSeverity severity, String message) {
        return new IsoCodeRule(name, path, severity, message, COUNTRIES, "is not an ISO 3166-1 alpha-2 country code");
    }

    static IsoCodeRule currency(String name, FieldPath path, RuleSeverity severity, String message) {
        return new IsoCodeRule(name, path, severity, message, CURRENCIES, "is not an ISO 4217 currency code");
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        if (!(value instanceof String)) {
            return "expected a string but was " + TypeNames.of(value);
        }
        return codes.contains((String) value) ? null : notACode;
    }

    /**
     * A set of codes of a fixed number of letters A–Z, as bits indexed by the letters read in base 26. A lookup
     * reads the value's characters once and no hash: each record brings a string of its own, whose hash a hash
     * set would compute first.
     */
    static final class LetterCodes {

        private final int length;
        private final long[] bits;

        LetterCodes(Set<String> codes, int length) {
            this.length = length;
            int cells = 1;
            for (int i = 0; i < length; i++) {
                cells *= 26;
            }
            this.bits = new long[(cells + 63) >>> 6];
            for (String code : codes) {
                int index = index(code);
                if (index < 0) {
                    throw new IllegalStateException("not a code of " + length + " letters A-Z: " + code);
                }
                bits[index >>> 6] |= 1L << index;
            }
        }

        /** The code's index, or -1 when it is not {@code length} letters A–Z. */
        private int index(String text) {
            if (text.length() != length) {
                return -1;
            }
            int index = 0;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c < 'A' || c > 'Z') {
                    return -1;
                }
                index = index * 26 + (c - 'A');
            }
            return index;
        }

        boolean contains(String text) {
            int index = index(text);
            return index >= 0 && (bits[index >>> 6] & (1L << index)) != 0;
        }

        int size() {
            int size = 0;
            for (long word : bits) {
                size += Long.bitCount(word);
            }
            return size;
        }
    }
}
