package dev.truthline.cli.lint;

import java.util.Locale;

/** How bad a finding is: an error fails {@code truthline lint} (exit code 1), a warning does not. */
public enum Severity {
    ERROR, WARNING;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
