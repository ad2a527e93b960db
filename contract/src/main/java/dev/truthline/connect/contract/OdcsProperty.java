package dev.truthline.connect.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A property of a schema object (a column, a field), or the element definition of an array
 * ({@code items}, which has no name).
 *
 * @param name               the field name; required for properties, absent for {@code items}
 * @param logicalType        string, integer, number, boolean, date, timestamp, time, object, array or map
 * @param required           whether the value must be present and not null
 * @param unique             whether values must be unique across records
 * @param primaryKey         whether the property is (part of) the primary key: present, and unique
 * @param logicalTypeOptions bounds, lengths, pattern, format... of the logical type
 * @param properties         the fields of an object
 * @param items              the elements of an array
 * @param quality            property-level quality rules
 * @param enumValues         the allowed values (ODCS {@code enum})
 * @param map                the key and value definitions of a map
 * @param classification     the data class of the element (ODCS SchemaBaseProperty.classification, e.g.
 *                           restricted), which ProtectFields maps to a method
 * @param tags               the element's tags (ODCS SchemaElement.tags), which ProtectFields maps too
 */
@OdcsChecks
public record OdcsProperty(
        String name,
        @Pattern(regexp = OdcsProperty.LOGICAL_TYPES,
                message = "must be one of string, integer, number, boolean, date, timestamp, time, object, array or map")
        String logicalType,
        Boolean required,
        Boolean unique,
        Boolean primaryKey,
        @Valid OdcsTypeOptions logicalTypeOptions,
        List<@NotNull(message = "must not be empty") @Valid OdcsProperty> properties,
        @Valid OdcsProperty items,
        List<@NotNull(message = "must not be empty") @Valid OdcsQuality> quality,
        @JsonProperty("enum") List<@NotNull(message = "must not be empty") @Valid OdcsEnumValue> enumValues,
        Object map,
        String classification,
        List<String> tags) {

    static final String LOGICAL_TYPES = "string|integer|number|boolean|date|timestamp|time|object|array|map";

    boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }
}
