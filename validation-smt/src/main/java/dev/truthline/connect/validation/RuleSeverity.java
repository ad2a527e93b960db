package dev.truthline.connect.validation;

/** How much a rule's violation counts: an {@code error} makes the record invalid, a {@code warn} only tags it. */
enum RuleSeverity {
    ERROR, WARN
}
