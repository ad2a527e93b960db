package dev.truthline.connect.rest;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * One problem in a connector configuration, on the full connector-level key it concerns
 * ({@code transforms.<alias>.rules.amount.min}).
 *
 * @param key     the connector-level key the error belongs to
 * @param message the error as Connect shows it, naming the full key where the exception named one
 */
public record ConfigError(String key, String message) {

    private static final String INVALID_VALUE = "Invalid value ";
    private static final String FOR_CONFIGURATION = " for configuration ";
    private static final String MISSING_REQUIRED = "Missing required configuration \"";

    /**
     * The error that {@code e}, thrown by a transformation configured with {@code props} (keys without
     * {@code prefix}), reports. Kafka's {@code ConfigException(name, value, message)} reads
     * "Invalid value V for configuration NAME: message", and {@code ConfigDef} reports a missing key as
     * "Missing required configuration "NAME" which has no default value."; NAME is recovered, prefixed
     * with {@code prefix}, and the message repeated with the full key. An exception that names no key
     * is put on {@code prefix + "type"}: the transformation as a whole.
     */
    public static ConfigError of(ConfigException e, String prefix, Map<String, ?> props) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        if (message.startsWith(INVALID_VALUE)) {
            int[] name = invalidValueName(message, props);
            if (name != null) {
                return named(message, name[0], name[1], prefix);
            }
        } else if (message.startsWith(MISSING_REQUIRED)) {
            int start = MISSING_REQUIRED.length();
            int end = message.indexOf('"', start);
            if (end > start && isKeyLike(message, start, end)) {
                return named(message, start, end, prefix);
            }
        }
        return new ConfigError(prefix + "type", message);
    }

    private static ConfigError named(String message, int start, int end, String prefix) {
        String key = prefix + message.substring(start, end);
        return new ConfigError(key, message.substring(0, start) + key + message.substring(end));
    }

    /**
     * Where NAME is in an "Invalid value V for configuration NAME[: message]" text, as {start, end},
     * or null. The value and the message are free text and may themselves hold " for configuration "
     * (a CEL expression, a nested exception's message), so among the candidates the one is taken
     * whose value text is the configured value of that key, else the first that names a configured
     * key, else the first that is shaped like a key.
     */
    private static int[] invalidValueName(String message, Map<String, ?> props) {
        int[] firstKeyLike = null;
        int[] firstConfigured = null;
        for (int at = message.indexOf(FOR_CONFIGURATION, INVALID_VALUE.length() - 1); at >= 0;
                at = message.indexOf(FOR_CONFIGURATION, at + 1)) {
            int start = at + FOR_CONFIGURATION.length();
            int colon = message.indexOf(": ", start);
            int end = colon < 0 ? message.length() : colon;
            if (!isKeyLike(message, start, end)) {
                continue;
            }
            int[] candidate = {start, end};
            String name = message.substring(start, end);
            if (props.containsKey(name)) {
                // An empty value leaves one space between "Invalid value" and "for configuration".
                String valueText = at < INVALID_VALUE.length() ? "" : message.substring(INVALID_VALUE.length(), at);
                if (valueText.equals(String.valueOf(props.get(name)))) {
                    return candidate;
                }
                if (firstConfigured == null) {
                    firstConfigured = candidate;
                }
            }
            if (firstKeyLike == null) {
                firstKeyLike = candidate;
            }
        }
        return firstConfigured != null ? firstConfigured : firstKeyLike;
    }

    /** Config keys have no white space and no quotes; Kafka's own are dotted words. */
    private static boolean isKeyLike(String text, int start, int end) {
        if (end <= start) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '"' || c == '\'') {
                return false;
            }
        }
        return true;
    }
}
