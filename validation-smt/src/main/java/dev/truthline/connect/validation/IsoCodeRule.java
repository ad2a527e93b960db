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

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private final Set<String> codes;
    private final String notACode;

    private IsoCodeRule(String name, FieldPath path, RuleSeverity severity, String message, Set<String> codes, String notACode) {
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
        return codes.contains(value) ? null : notACode;
    }
}
