package dev.truthline.connect.validation;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One {@code cel} rule, pinned to one evaluator, run on a record's value as {@link ValidateContract}
 * runs it (no envelope): lets {@code ValidateContractBenchmark} measure the compiled checks against
 * cel-java on the same expression and records in one run. Lives in the rule's package because rules
 * are not public API.
 */
public final class CelRuleRunner {

    private final CelRule rule;

    private CelRuleRunner(CelRule rule) {
        this.rule = rule;
    }

    /** The rule as ValidateContract builds it: compiled checks when the expression is in the subset. */
    public static CelRuleRunner compiled(String name, String expression) {
        CelRuleRunner runner = new CelRuleRunner(CelRule.compile(name, RuleSeverity.ERROR, null, expression));
        if (runner.rule.path() != CelRule.Path.COMPILED) {
            throw new IllegalStateException("expected the compiled path, the rule runs on cel-java: "
                    + runner.rule.fallbackReason());
        }
        return runner;
    }

    /** The rule on cel-java alone. */
    public static CelRuleRunner celJava(String name, String expression) {
        return new CelRuleRunner(CelRule.compile(name, RuleSeverity.ERROR, null, expression, false));
    }

    /** Evaluates the rule on the record's value; returns how many violations it found (0 or 1). */
    public int violations(SinkRecord record) {
        RecordView view = new RecordView(record.topic(), record.value(), record.valueSchema(), record.key(),
                record.value(), record.headers());
        Verdict verdict = new Verdict();
        rule.evaluate(view, verdict);
        return verdict.violations().size();
    }
}
