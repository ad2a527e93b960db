package dev.truthline.connect.validation.beans;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;

/**
 * A record with an enum, a primitive, java.time values and a custom class-level constraint that
 * reports on one of its properties.
 */
@Shipment.CarrierWhenShipped
public record Shipment(
        @NotNull Status status,
        String carrier,
        @Min(1) int parcels,
        @PastOrPresent LocalDate shippedOn,
        @PastOrPresent Instant updatedAt) {

    /** Where a shipment is. */
    public enum Status { PENDING, SHIPPED, DELIVERED }

    /** A shipped (or delivered) shipment names its carrier. */
    @Documented
    @Constraint(validatedBy = CarrierWhenShipped.Check.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface CarrierWhenShipped {

        String message() default "is required once the shipment has shipped";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** The check behind the constraint. */
        class Check implements ConstraintValidator<CarrierWhenShipped, Shipment> {
            @Override
            public boolean isValid(Shipment shipment, ConstraintValidatorContext context) {
                if (shipment.status() == null || shipment.status() == Status.PENDING
                        || (shipment.carrier() != null && !shipment.carrier().isBlank())) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                        .addPropertyNode("carrier").addConstraintViolation();
                return false;
            }
        }
    }
}
