package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** {@link IsoCodeRule.LetterCodes} answers exactly as the JDK's code sets it is built from. */
class LetterCodesTest {

    private static final Set<String> JDK_COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> JDK_CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toSet());

    /** Every string of up to four letters A-Z, and near misses: lower case, digits, neighbours of A and Z, non-ASCII. */
    private static List<String> candidates() {
        List<String> all = new ArrayList<>(List.of("", "eur", "Eur", "EU1", "E R", "@UR", "[UR", "ÉUR", "EURO", "US",
                "de", "D3", "DE ", " DE", "ÄT", "\u0000\u0000"));
        List<String> level = List.of("");
        for (int length = 1; length <= 4; length++) {
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (char c = 'A'; c <= 'Z'; c++) {
                    next.add(prefix + c);
                }
            }
            all.addAll(next);
            level = next;
        }
        return all;
    }

    @Test
    void agreesWithTheJdkSetsOnEveryShortString() {
        List<String> candidates = candidates();
        assertThat(candidates).hasSizeGreaterThan(475_000);
        for (String s : candidates) {
            assertThat(IsoCodeRule.COUNTRIES.contains(s)).as("country %s", s).isEqualTo(JDK_COUNTRIES.contains(s));
            assertThat(IsoCodeRule.CURRENCIES.contains(s)).as("currency %s", s).isEqualTo(JDK_CURRENCIES.contains(s));
        }
        assertThat(IsoCodeRule.COUNTRIES.size()).isEqualTo(JDK_COUNTRIES.size());
        assertThat(IsoCodeRule.CURRENCIES.size()).isEqualTo(JDK_CURRENCIES.size());
    }

    @Test
    void refusesToHoldWhatIsNotLetters() {
        assertThatThrownBy(() -> new IsoCodeRule.LetterCodes(Set.of("AB", "a1"), 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a1");
        assertThatThrownBy(() -> new IsoCodeRule.LetterCodes(Set.of("ABC"), 2)).isInstanceOf(IllegalStateException.class);
    }
}
