package dev.truthline.connect.validation.beans;

import org.hibernate.validator.constraints.LuhnCheck;

import jakarta.validation.constraints.Pattern;

/** Constraints whose messages would quote the value they reject: ${validatedValue}. */
public record Payment(
        @LuhnCheck String cardNumber,
        @Pattern(regexp = "[0-9]{3}", message = "${validatedValue} is not three digits") String cvc) {
}
