package dev.truthline.connect.validation.beans;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A custom constraint: an ISO 4217 code of a currency the shop accepts. Null is valid. */
@Documented
@Constraint(validatedBy = AcceptedCurrency.Check.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface AcceptedCurrency {

    String message() default "is not a currency the shop accepts";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check behind the constraint. */
    class Check implements ConstraintValidator<AcceptedCurrency, String> {
        static final Set<String> ACCEPTED = Set.of("EUR", "USD", "GBP", "CHF", "JPY", "SEK", "PLN");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || ACCEPTED.contains(value);
        }
    }
}
