package dev.truthline.connect.benchmarks.pipeline;

/** How the change events are on the wire: the JSON converter with the schema in every message, or without. */
enum WireFormat {
    /** {@code schemas.enable=true}: the reference pipeline's format (the schema travels in every message). */
    JSON_SCHEMAS("json-schemas", true),
    /** {@code schemas.enable=false}: the payload only; the sink sees Maps. */
    JSON("json", false);

    private final String id;
    private final boolean schemas;

    WireFormat(String id, boolean schemas) {
        this.id = id;
        this.schemas = schemas;
    }

    String id() {
        return id;
    }

    boolean schemas() {
        return schemas;
    }

    static WireFormat of(String id) {
        for (WireFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + id + "' (json-schemas, json)");
    }
}
