package dev.truthline.connect.validation.contract;

import java.util.List;

/**
 * A contract that cannot be used: it does not parse, breaks the standard's rules, or names what it
 * does not have. Each problem starts with the element it concerns, e.g.
 * {@code schema[0].properties[2].logicalTypeOptions.minimum: must not be greater than maximum (10)}.
 */
public final class ContractException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ContractException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public ContractException(String problem) {
        this(List.of(problem));
    }

    /** The problems, each naming its element; at least one. */
    public List<String> problems() {
        return problems;
    }
}
