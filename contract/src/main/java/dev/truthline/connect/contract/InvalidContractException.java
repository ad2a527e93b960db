package dev.truthline.connect.contract;

import java.util.List;

/**
 * A contract that cannot be used: it does not parse, breaks the standard's rules, or names what it
 * does not have. Each problem starts with the element it concerns, e.g.
 * {@code schema[0].properties[2].logicalTypeOptions.minimum: must not be greater than maximum (10)}.
 */
public final class InvalidContractException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;
    private final boolean notOdcs;

    public InvalidContractException(List<String> problems) {
        this(problems, false);
    }

    private InvalidContractException(List<String> problems, boolean notOdcs) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
        this.notOdcs = notOdcs;
    }

    /** The document is not ODCS v3: it departs from the standard's structure, each problem by its path. */
    static InvalidContractException notOdcs(List<String> problems) {
        return new InvalidContractException(problems, true);
    }

    /**
     * Whether the document is not ODCS v3 at all, rather than an ODCS contract Truthline cannot use
     * (a minimum above its maximum, a pattern RE2 cannot run, a schema object that is not there).
     */
    public boolean notOdcs() {
        return notOdcs;
    }

    public InvalidContractException(String problem) {
        this(List.of(problem));
    }

    /** The problems, each naming its element; at least one. */
    public List<String> problems() {
        return problems;
    }
}
