package dev.truthline.connect.benchmarks.pipeline;

/**
 * How the change events are on the wire, and how the sink's JSON converter reads them: the schema in every message,
 * no schema at all, or the payload alone with the schema given once in the sink's converter config
 * ({@code schema.content}, KIP-1054, Kafka 4.2+).
 */
enum WireFormat {
    /** {@code schemas.enable=true}: the reference pipeline's format (the schema travels in every message). */
    JSON_SCHEMAS("json-schemas", true, true, false),
    /** {@code schemas.enable=false}: the payload only; the sink sees Maps. */
    JSON("json", false, false, false),
    /**
     * The payload only on the wire (the bytes of {@link #JSON}); the sink's converter has {@code schemas.enable=true}
     * and the envelope's schema as {@code schema.content}, so the sink sees Structs as with {@link #JSON_SCHEMAS}.
     */
    JSON_SCHEMA_CONTENT("json-schema-content", false, true, true);

    private final String id;
    private final boolean schemasOnWire;
    private final boolean structs;
    private final boolean schemaContent;

    WireFormat(String id, boolean schemasOnWire, boolean structs, boolean schemaContent) {
        this.id = id;
        this.schemasOnWire = schemasOnWire;
        this.structs = structs;
        this.schemaContent = schemaContent;
    }

    String id() {
        return id;
    }

    /** Whether each message carries its schema ({@code {"schema":…,"payload":…}}). */
    boolean schemas() {
        return schemasOnWire;
    }

    /** Whether the sink's converter gives it Structs with a schema ({@code schemas.enable=true}). */
    boolean structs() {
        return structs;
    }

    /** Whether the sink's converter is given the schema once, in its {@code schema.content}. */
    boolean schemaContent() {
        return schemaContent;
    }

    static WireFormat of(String id) {
        return Option.of(WireFormat.class, WireFormat::id, "format", id);
    }
}
