package dev.truthline.connect.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The checks of an ODCS element that span several of its keys (a minimum above the maximum, options
 * that do not fit the logical type, a library rule without a metric...). Each problem is reported on
 * the key it concerns, e.g. {@code logicalTypeOptions.minimum}.
 */
@Documented
@Constraint(validatedBy = OdcsChecksValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface OdcsChecks {

    String message() default "is not a consistent ODCS element";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
