package dev.truthline.connect.contract;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * An ODCS v3 data contract, as far as records can be checked against it: its identity and its schema
 * objects. Everything else in the document (servers, team, SLAs, pricing...) is read past.
 *
 * @param apiVersion the ODCS version the document follows, {@code v3.x.y}
 * @param kind       always {@code DataContract}
 * @param id         the contract's identity
 * @param version    the contract's own version
 * @param status     the contract's status (proposed, draft, active...)
 * @param name       an optional display name
 * @param schema     the schema objects (tables, topics, documents); none at all is valid ODCS
 */
@OdcsChecks
public record OdcsContract(
        @NotNull(message = OdcsContract.REQUIRED)
        @Pattern(regexp = "v3\\.[0-9]+\\.[0-9]+", message = "must be an ODCS v3 version such as v3.0.2 or v3.1.0")
        String apiVersion,
        @NotNull(message = OdcsContract.REQUIRED)
        @Pattern(regexp = "DataContract", message = "must be DataContract")
        String kind,
        @NotBlank(message = OdcsContract.REQUIRED)
        String id,
        @NotBlank(message = OdcsContract.REQUIRED)
        String version,
        @NotBlank(message = OdcsContract.REQUIRED)
        String status,
        String name,
        List<@NotNull(message = "must not be empty") @Valid OdcsSchemaObject> schema) {

    static final String REQUIRED = "is required";

    /** The names of the schema objects, in document order. */
    public List<String> schemaNames() {
        return schema == null ? List.of() : schema.stream().map(OdcsSchemaObject::name).toList();
    }
}
