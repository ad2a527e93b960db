package dev.truthline.connect.benchmarks.pipeline;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The benchmarks' command lines: {@code --name value} options and {@code --jfr}. */
final class Option {

    private Option() {
    }

    /** The options {@code parse} reads from {@code args}; a bad one ends the program with its message and exit code 2. */
    static <T> T parseOrExit(Function<String[], T> parse, String[] args) {
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /**
     * Hands each {@code --name value} pair of {@code args} to {@code option}, and runs {@code jfr} for {@code --jfr}
     * (the one option without a value); fails when a name has no value.
     */
    static void each(String[] args, Runnable jfr, BiConsumer<String, String> option) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--jfr")) {
                jfr.run();
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            option.accept(name, args[++i]);
        }
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
