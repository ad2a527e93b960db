package dev.truthline.connect.validation;

/** A compiled contract rule. Implementations are immutable and safe to share between threads. */
interface Rule {

    /** The rule's name, as listed in {@code rules}. */
    String name();

    RuleSeverity severity();

    /** Checks one record and adds what fails to the verdict. */
    void evaluate(RecordView record, Verdict verdict);
}
