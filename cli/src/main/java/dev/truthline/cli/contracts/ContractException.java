package dev.truthline.cli.contracts;

/** A contract that cannot be judged: it is not valid ({@link Invalid}), or the format cannot judge it. */
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
}
