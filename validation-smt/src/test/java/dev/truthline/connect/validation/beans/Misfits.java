package dev.truthline.connect.validation.beans;

import jakarta.validation.constraints.Size;

/** Classes that cannot serve as contracts, or whose constraints cannot be evaluated. */
public final class Misfits {

    private Misfits() {
    }

    /** An interface is not a contract. */
    public interface Shape {
    }

    /** @Size on an Integer: Hibernate Validator has no validator for it, and finds out per record. */
    public record SizeOfANumber(@Size(max = 3) Integer n) {
    }

    /** No constructor Jackson can use, no setters. */
    public static final class NoCreator {
        private final String a;

        public NoCreator(String a, int b) {
            this.a = a + b;
        }

        public String a() {
            return a;
        }
    }
}
