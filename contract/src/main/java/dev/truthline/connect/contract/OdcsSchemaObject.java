package dev.truthline.connect.contract;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * One schema object of a contract: a table, a topic's records, a document.
 *
 * @param name         the object's name, which {@code contract.schema} selects it by
 * @param physicalName the name in the data source, if different
 * @param properties   its properties (columns, fields)
 * @param quality      object-level quality rules
 */
@OdcsChecks
public record OdcsSchemaObject(
        @NotBlank(message = OdcsContract.REQUIRED)
        String name,
        String physicalName,
        List<@NotNull(message = "must not be empty") @Valid OdcsProperty> properties,
        List<@NotNull(message = "must not be empty") @Valid OdcsQuality> quality) {
}
