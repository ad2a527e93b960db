package dev.truthline.cli.lint;

import java.nio.file.Path;

/**
 * One problem found in one connector: the rule that found it, the key it is about, what is wrong
 * and how to fix it.
 */
public record Finding(String rule, Severity severity, String connector, Path file, String key, String message,
        String fix) {
}
