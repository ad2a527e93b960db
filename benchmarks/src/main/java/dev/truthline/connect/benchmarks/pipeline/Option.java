package dev.truthline.connect.benchmarks.pipeline;

import java.util.List;
import java.util.function.Function;

/** Looks a command-line value up among the ids of an enum's constants. */
final class Option {

    private Option() {
    }

    /**
     * The constant of {@code type} whose id is {@code value}; otherwise fails naming {@code what} and every id.
     */
    static <E extends Enum<E>> E of(Class<E> type, Function<E, String> id, String what, String value) {
        E[] constants = type.getEnumConstants();
        for (E e : constants) {
            if (id.apply(e).equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "' ("
                + String.join(", ", List.of(constants).stream().map(id).toList()) + ")");
    }
}
