package dev.truthline.connect.core;

import org.apache.kafka.common.config.ConfigException;

/**
 * A configuration problem that knows which key it is about. The key and the problem are data: the
 * REST extension, {@code truthline lint} and the command line read {@link #key()} and
 * {@link #problem()} and format them themselves; nothing parses {@link #getMessage()}.
 *
 * <p>The message keeps Kafka's own shape ("Invalid value V for configuration KEY: problem") so that a
 * task that fails to start shows what users of Connect expect. The value is shown only where the
 * caller passes one: callers pass {@code null} where a value could be a secret or payload-like text.
 */
public class KeyedConfigException extends ConfigException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient Object value;
    private final String problem;

    /**
     * @param key     the key as the plugin knows it ({@code rules.amount.min}); a prefix
     *                ({@code transforms.contract.}) is added by whoever reports it
     * @param value   the offending value, or {@code null} to keep it out of the message
     * @param problem what is wrong, in words a user can act on
     */
    public KeyedConfigException(String key, Object value, String problem) {
        super(key, value, problem);
        this.key = key;
        this.value = value;
        this.problem = problem;
    }

    /** A problem worded by someone else (Kafka's own parsing): {@code message} as it is. */
    protected KeyedConfigException(String key, String problem, String message) {
        super(message);
        this.key = key;
        this.value = null;
        this.problem = problem;
    }

    /**
     * A problem whose value must not be shown (a whole contract document, a secret): the message reads
     * "Invalid {@code what} in configuration KEY: problem".
     */
    public static KeyedConfigException hidingValue(String key, String what, String problem) {
        return new KeyedConfigException(key, problem, "Invalid " + what + " in configuration " + key + ": " + problem);
    }

    /** The key the problem is about, relative to the plugin's own configuration. */
    public String key() {
        return key;
    }

    /** The offending value as given, or {@code null}. */
    public Object value() {
        return value;
    }

    /** What is wrong, without the key or the value. */
    public String problem() {
        return problem;
    }

    /** The same problem on {@code prefix + key()}, e.g. the connector-level {@code transforms.<alias>.} key. */
    public KeyedConfigException withKeyPrefix(String prefix) {
        KeyedConfigException prefixed = getMessage().startsWith("Invalid value ")
                ? new KeyedConfigException(prefix + key, value, problem)
                : new KeyedConfigException(prefix + key, problem, getMessage().replace(" " + key + ": ", " " + prefix + key + ": "));
        prefixed.initCause(this);
        return prefixed;
    }
}
