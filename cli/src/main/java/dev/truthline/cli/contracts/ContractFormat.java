package dev.truthline.cli.contracts;

import java.util.List;

/**
 * A kind of contract file that {@code truthline contracts} can validate and compare, chosen by the
 * file's name. Adding a format is implementing this and listing it in {@link ContractFormats}.
 */
public interface ContractFormat {

    /** What the format is called in messages, e.g. "Avro schema". */
    String description();

    /** Whether a file of this name is a contract of this format (by its extension). */
    boolean reads(String fileName);

    /**
     * Checks that the text is a valid contract of this format.
     *
     * @return what the contract holds
     * @throws ContractException.Invalid naming what is wrong
     */
    Validity validate(String text) throws ContractException;

    /**
     * Every change from {@code oldText} to {@code newText} that breaks the given compatibility; empty
     * when there is none.
     *
     * @throws ContractException.Invalid when either text is not a valid contract
     */
    List<BreakingChange> compare(String oldText, String newText, Compatibility compatibility) throws ContractException;
}
