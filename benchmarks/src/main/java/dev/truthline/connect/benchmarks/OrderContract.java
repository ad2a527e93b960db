package dev.truthline.connect.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The eight checks of {@link ValidateContractBenchmark#eightRules()} as a Bean Validation contract,
 * for {@code contract.class}: the ISO checks are custom constraints over the JDK's tables (as the
 * inline iso rules are), and {@code quantity} being an int is checked by binding it to an Integer.
 * The order's other fields are not declared, so they are read past.
 */
public record OrderContract(
        @NotNull Long orderId,
        @DecimalMin("0") @DecimalMax("100000") BigDecimal amount,
        @Pattern(regexp = "NEW|PAID|SHIPPED|DELIVERED|CANCELLED") String status,
        @IsoCurrency String currency,
        @IsoCountry String country,
        @Pattern(regexp = "[A-Z]{3}-[0-9]{4}") String sku,
        @Size(min = 3, max = 254) String email,
        Integer quantity) {

    /** An ISO 4217 currency code the JDK knows. */
    @Documented
    @Constraint(validatedBy = IsoCurrency.Check.class)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface IsoCurrency {
        String message() default "is not an ISO 4217 currency code";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** The check behind the constraint. */
        class Check implements ConstraintValidator<IsoCurrency, String> {
            private static final Set<String> CODES = Currency.getAvailableCurrencies().stream()
                    .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || CODES.contains(value);
            }
        }
    }

    /** An ISO 3166-1 alpha-2 country code the JDK knows. */
    @Documented
    @Constraint(validatedBy = IsoCountry.Check.class)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface IsoCountry {
        String message() default "is not an ISO 3166-1 alpha-2 country code";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** The check behind the constraint. */
        class Check implements ConstraintValidator<IsoCountry, String> {
            private static final Set<String> CODES = Set.of(Locale.getISOCountries());

            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || CODES.contains(value);
            }
        }
    }
}
