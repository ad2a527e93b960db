package dev.truthline.connect.validation;

import java.util.Optional;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code cel}: a boolean CEL expression over {@code value} (the record value, or the Debezium row
 * image, as a map), {@code key}, {@code headers} (name to last value) and {@code topic}; true means
 * valid. An evaluation error (a missing map key, a type mismatch, division by zero) is a violation
 * whose message says why.
 */
final class CelRule implements Rule {

    static final RuleType TYPE = new RuleType("cel", ContractRule.Cel.class, RuleDefinitions.EXPR) {
        @Override
        Rule fromConfig(RuleConfig config) {
            String expr = config.required(RuleDefinitions.EXPR);
            try {
                return compile(config.name(), config.severity(), config.message(), expr);
            } catch (IllegalArgumentException e) {
                throw new KeyedConfigException(config.key(RuleDefinitions.EXPR), expr,
                        "CEL expression does not compile: " + e.getMessage());
            }
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            try {
                return compile(rule.name(), severity, null, ((ContractRule.Cel) rule.check()).expression());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CEL expression does not compile: " + e.getMessage(), e);
            }
        }
    };

    static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("value", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("key", SimpleType.DYN)
            .addVar("headers", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("topic", SimpleType.STRING)
            .setResultType(SimpleType.BOOL)
            .build();

    private final String name;
    private final RuleSeverity severity;
    private final String message;
    private final CelRuntime.Program program;

    private CelRule(String name, RuleSeverity severity, String message, CelRuntime.Program program) {
        this.name = name;
        this.severity = severity;
        this.message = message;
        this.program = program;
    }

    /**
     * Compiles an expression.
     *
     * @throws IllegalArgumentException with the compiler's explanation when it does not compile or is not boolean
     */
    static CelRule compile(String name, RuleSeverity severity, String message, String expression) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            CelRuntime.Program program = CEL.createProgram(ast);
            String failed = message != null ? message : "expression is false: " + expression;
            return new CelRule(name, severity, failed, program);
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("cannot plan the expression: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RuleSeverity severity() {
        return severity;
    }

    @Override
    public void evaluate(RecordView record, Verdict verdict) {
        CelVariableResolver variables = variable -> {
            switch (variable) {
                case "value":
                    return Optional.of(record.celValue());
                case "key":
                    return Optional.of(record.celKey());
                case "headers":
                    return Optional.of(record.celHeaders());
                case "topic":
                    return Optional.of(record.topic());
                default:
                    return Optional.empty();
            }
        };
        try {
            Object result = program.eval(variables);
            if (!Boolean.TRUE.equals(result)) {
                verdict.add(this, "", message, null);
            }
        } catch (CelEvaluationException | RuntimeException e) {
            verdict.add(this, "", "expression could not be evaluated: " + e.getMessage(), null);
        }
    }
}
