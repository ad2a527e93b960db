package dev.truthline.connect.validation.beans;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The reference orders contract as a Bean Validation record: the same checks as
 * {@code contracts/orders.odcs.yaml} (types through binding, the rest through constraints).
 */
public record Order(
        @NotNull Long orderId,
        @NotNull Long customerId,
        @NotNull @DecimalMin("0") @DecimalMax("1000000") BigDecimal amount,
        @NotNull @AcceptedCurrency String currency,
        @NotNull @Pattern(regexp = "NEW|PAID|SHIPPED|CANCELLED") String status,
        List<@Valid Item> items) {

    /** One order line. */
    public record Item(@Pattern(regexp = "[A-Z]{3}-[0-9]{4}") String sku, @Min(1) Long qty) {
    }
}
