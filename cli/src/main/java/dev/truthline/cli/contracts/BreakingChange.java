package dev.truthline.cli.contracts;

/**
 * One way in which a new contract breaks readers or writers of the old one.
 *
 * @param direction which reader meets which writer's data
 * @param kind      a stable name of the kind of break (for Avro, its {@code SchemaIncompatibilityType})
 * @param path      the element, by name (e.g. {@code Order.items[].qty})
 * @param location  the element as the format locates it (for Avro, a JSON pointer into the reader schema)
 * @param message   what is wrong
 */
public record BreakingChange(Compatibility.Direction direction, String kind, String path, String location, String message) {
}
