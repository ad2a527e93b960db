package dev.truthline.cli.contracts;

/** A contract that cannot be judged: it does not parse, or its format is not supported yet. */
public class ContractException extends Exception {

    private static final long serialVersionUID = 1L;

    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The contract's text is not a valid contract of its format. */
    public static final class Invalid extends ContractException {
        private static final long serialVersionUID = 1L;

        public Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The file's format is recognised but this command cannot judge it (yet). */
    public static final class Unsupported extends ContractException {
        private static final long serialVersionUID = 1L;

        public Unsupported(String message) {
            super(message);
        }
    }
}
