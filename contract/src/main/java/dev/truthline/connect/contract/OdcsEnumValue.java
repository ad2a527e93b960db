package dev.truthline.connect.contract;

import jakarta.validation.constraints.NotNull;

/**
 * One allowed value of a property's {@code enum} (ODCS v3.2).
 *
 * @param value the value, a string, number or boolean
 */
public record OdcsEnumValue(@NotNull(message = OdcsContract.REQUIRED) Object value) {
}
