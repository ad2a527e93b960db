package dev.truthline.connect.validation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code regex}: a string that matches {@code pattern} as a whole. RE2 semantics (linear time, no
 * backreferences), so no value can make a check backtrack. Simple patterns run on a
 * {@link PositionAutomaton}; everything else on RE2J. Built from an ODCS {@code pattern}, the match is
 * a search, as in JSON Schema: the pattern may match anywhere unless it is anchored with {@code ^...$}.
 */
final class RegexRule extends FieldRule {

    static final RuleType TYPE = new RuleType("regex", ContractRule.Regex.class, RuleDefinitions.FIELD,
            RuleDefinitions.PATTERN) {
        @Override
        Rule fromConfig(RuleConfig config) {
            FieldPath path = config.field();
            String pattern = config.required(RuleDefinitions.PATTERN);
            try {
                return new RegexRule(config.name(), path, config.severity(), config.message(), Pattern.compile(pattern));
            } catch (PatternSyntaxException e) {
                throw new KeyedConfigException(config.key(RuleDefinitions.PATTERN), pattern,
                        "not a valid RE2 regular expression: " + e.getMessage());
            }
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            ContractRule.Regex regex = (ContractRule.Regex) rule.check();
            FieldPath path = FieldPath.parse(rule.field());
            try {
                return new RegexRule(rule.name(), path, severity, regex.message(), Pattern.compile(regex.pattern()),
                        regex.search());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("not a valid RE2 regular expression: " + e.getMessage(), e);
            }
        }

        /** Patterns are compared as written: one pattern for another cannot be proven compatible. */
        @Override
        boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
            return !((ContractRule.Regex) a).pattern().equals(((ContractRule.Regex) b).pattern());
        }
    };

    private final Pattern pattern;
    /** The fast matcher for the pattern, or null when only RE2J can match it. */
    private final PositionAutomaton automaton;
    private final String mismatch;
    /** Whether the pattern may match anywhere in the value rather than the whole of it. */
    private final boolean search;

    RegexRule(String name, FieldPath path, RuleSeverity severity, String message, Pattern pattern) {
        this(name, path, severity, message, pattern, false);
    }

    RegexRule(String name, FieldPath path, RuleSeverity severity, String message, Pattern pattern, boolean search) {
        super(name, path, severity, message);
        this.pattern = pattern;
        this.search = search;
        this.automaton = search ? null : PositionAutomaton.compile(pattern.pattern());
        this.mismatch = "does not match pattern " + pattern.pattern();
    }

    /** Whether the fast matcher serves this rule; for tests. */
    boolean usesAutomaton() {
        return automaton != null;
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        if (!(value instanceof String)) {
            return "expected a string but was " + TypeNames.of(value);
        }
        String text = (String) value;
        boolean matches = automaton != null ? automaton.matches(text)
                : search ? pattern.matcher(text).find() : pattern.matches(text);
        return matches ? null : mismatch;
    }
}
