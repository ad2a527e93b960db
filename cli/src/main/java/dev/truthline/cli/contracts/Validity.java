package dev.truthline.cli.contracts;

import java.util.List;

/**
 * What a valid contract holds, as {@code contracts validate} reports it.
 *
 * @param inStream whether it has rules ValidateContract checks record by record
 * @param summary  a one-line summary of what it holds
 * @param notes    what it asks for that cannot be checked record by record, one line each
 */
public record Validity(boolean inStream, String summary, List<String> notes) {

    public Validity {
        notes = List.copyOf(notes);
    }

    static Validity inStream(String summary, List<String> notes) {
        return new Validity(true, summary, notes);
    }

    static Validity inStream(String summary) {
        return new Validity(true, summary, List.of());
    }

    static Validity nothingInStream(String summary, List<String> notes) {
        return new Validity(false, summary, notes);
    }

    static Validity nothingInStream(String summary) {
        return new Validity(false, summary, List.of());
    }
}
