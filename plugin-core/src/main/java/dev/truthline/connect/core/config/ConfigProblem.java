package dev.truthline.connect.core.config;

/**
 * One problem of a plugin configuration inside a connector configuration.
 *
 * @param key     the connector-level key it is about ({@code transforms.contract.rules.amount.min}); a problem of
 *                the transformation as a whole is on its {@code transforms.<alias>.type} key
 * @param message the problem as Connect shows it: Connect's own text for the keys Connect validates, the
 *                plugin's {@link dev.truthline.connect.core.KeyedConfigException} message on the full key otherwise
 */
public record ConfigProblem(String key, String message) {
}
