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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code cel}: a boolean CEL expression over {@code value} (the record value, or the Debezium row
 * image, as a map), {@code key}, {@code headers} (name to last value) and {@code topic}; true means
 * valid. An evaluation error (a missing map key, a type mismatch, division by zero) is a violation
 * whose message says why.
 *
 * <p>An expression in the common subset (comparisons, logic, {@code in}, {@code size}, {@code has},
 * string tests; see {@link CelFastPath}) runs as compiled Java checks; anything else runs on cel-java.
 * Both give the same verdict; {@link #path()} says which one a rule uses.
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

    private static final Logger log = LoggerFactory.getLogger(CelRule.class);

    /** The start of the verdict text for an expression that cannot be evaluated. */
    static final String NOT_EVALUATED = "expression could not be evaluated: ";

    /** Which evaluator a rule uses. */
    enum Path {
        /** The expression is in the common subset and runs as compiled Java checks. */
        COMPILED,
        /** The expression runs on cel-java. */
        CEL_JAVA
    }

    private final String name;
    private final RuleSeverity severity;
    private final String message;
    private final CelRuntime.Program program;
    /** The compiled checks, or {@code null} when the expression is outside the subset. */
    private final CelFastPath.Node compiled;
    private final String fallbackReason;

    private CelRule(String name, RuleSeverity severity, String message, CelRuntime.Program program,
            CelFastPath.Node compiled, String fallbackReason) {
        this.name = name;
        this.severity = severity;
        this.message = message;
        this.program = program;
        this.compiled = compiled;
        this.fallbackReason = fallbackReason;
    }

    /**
     * Compiles an expression.
     *
     * @throws IllegalArgumentException with the compiler's explanation when it does not compile or is not boolean
     */
    static CelRule compile(String name, RuleSeverity severity, String message, String expression) {
        return compile(name, severity, message, expression, true);
    }

    /** As {@link #compile(String, RuleSeverity, String, String)}; {@code allowCompiled=false} forces cel-java. */
    static CelRule compile(String name, RuleSeverity severity, String message, String expression,
            boolean allowCompiled) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            CelRuntime.Program program = CEL.createProgram(ast);
            String failed = message != null ? message : "expression is false: " + expression;
            CelFastPath.Node compiled = null;
            String reason = "compiled path disabled";
            if (allowCompiled) {
                try {
                    compiled = CelFastPath.compile(ast);
                    reason = null;
                    log.debug("CEL rule '{}' runs as compiled checks", name);
                } catch (CelFastPath.NotInSubset e) {
                    reason = e.getMessage();
                    log.info("CEL rule '{}' runs on cel-java: {} is outside the compiled subset", name, reason);
                }
            }
            return new CelRule(name, severity, failed, program, compiled, reason);
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

    /** Which evaluator this rule uses. */
    Path path() {
        return compiled != null ? Path.COMPILED : Path.CEL_JAVA;
    }

    /** The construct that keeps the expression on cel-java, or {@code null} when it is compiled. */
    String fallbackReason() {
        return fallbackReason;
    }

    @Override
    public void evaluate(RecordView record, Verdict verdict) {
        if (compiled != null) {
            try {
                Object result = compiled.eval(record);
                if (result instanceof CelFastPath.Failure) {
                    verdict.add(this, "", ((CelFastPath.Failure) result).verdictText, null);
                } else if (!Boolean.TRUE.equals(result)) {
                    verdict.add(this, "", message, null);
                }
                return;
            } catch (CelFastPath.Unsupported e) {
                // A value the compiled checks do not model (bytes, a timestamp, a list compared): cel-java decides.
            }
        }
        evaluateOnCelJava(record, verdict);
    }

    /** The compiled checks' raw outcome for one record (a value or a Failure); throws Unsupported when they defer. */
    Object evaluateCompiled(RecordView record) {
        return compiled.eval(record);
    }

    void evaluateOnCelJava(RecordView record, Verdict verdict) {
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
            verdict.add(this, "", NOT_EVALUATED + e.getMessage(), null);
        }
    }
}
