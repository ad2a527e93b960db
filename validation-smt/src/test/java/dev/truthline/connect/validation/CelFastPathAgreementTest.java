package dev.truthline.connect.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The compiled CEL subset against cel-java on generated expressions and records: for every pair both
 * give the same outcome (true, false, error) and, for true and false, the same verdict text. Seeded,
 * so a failure names a pair that can be replayed; {@link CelFastPathTest} holds the hand-written cases.
 */
class CelFastPathAgreementTest {

    private static final String[] FIELDS = {"a", "b", "c", "d"};
    private static final Object[] VALUES = {
        0L, 1L, -1L, 2L, 3, (short) 2, 1.0, 2.5, -0.0, 0.0, Double.NaN, 1.0f, Long.MAX_VALUE,
        "", "a", "ab", "b", "EUR", "é", "\uD83D\uDE00", "\uFF21", Float.NaN, true, false, null,
        new java.math.BigDecimal("2.50"), List.of(1L, 2L),
    };
    private static final String[] LITERALS = {
        "0", "1", "-1", "2", "3u", "0u", "1.0", "2.5", "-0.0", "9223372036854775807", "18446744073709551615u",
        "''", "'a'", "'ab'", "'b'", "'EUR'", "'é'", "true", "false", "null",
    };
    private static final String[] COMPARISONS = {"==", "!=", "<", "<=", ">", ">="};

    @Test
    void compiledPathAndCelJavaAgreeOnGeneratedExpressionsAndRecords() {
        Random random = new Random(20261204L);
        int pairs = 0;
        int compiledDecided = 0;
        int notCompiling = 0;
        int[] outcomes = new int[3];
        for (int e = 0; e < 600; e++) {
            String expr = bool(random, 4);
            CelRule compiled;
            try {
                compiled = CelRule.compile("r", RuleSeverity.ERROR, null, expr);
            } catch (IllegalArgumentException typeCheckFailed) {
                notCompiling++;
                continue;
            }
            assertEquals(CelRule.Path.COMPILED, compiled.path(), () -> expr + ": " + compiled.fallbackReason());
            for (int r = 0; r < 8; r++) {
                Map<String, Object> value = record(random, 2);
                RecordView view = view(value);
                Verdict fast = new Verdict();
                compiled.evaluate(view, fast);
                Verdict slow = new Verdict();
                compiled.evaluateOnCelJava(view(value), slow);
                String replay = "expression " + expr + " record " + value;
                assertEquals(outcome(slow), outcome(fast), replay);
                if (!fast.clean() && !fast.violations().get(0).message().startsWith(CelRule.NOT_EVALUATED)) {
                    assertEquals(slow.violations().get(0).message(), fast.violations().get(0).message(), replay);
                }
                outcomes["tfe".indexOf(outcome(fast))]++;
                pairs++;
                try {
                    compiled.evaluateCompiled(view(value));
                    compiledDecided++;
                } catch (CelFastPath.Unsupported deferred) {
                    // cel-java decided this one; counted below
                }
            }
        }
        System.out.printf("CEL agreement: %d pairs, compiled path decided %d, true/false/error %s, checker refused %d%n",
                pairs, compiledDecided, java.util.Arrays.toString(outcomes), notCompiling);
        assertTrue(pairs >= 3000, "pairs " + pairs + ", expressions the checker refused " + notCompiling);
        // The agreement means something only if the compiled path decided most pairs, with every outcome well represented.
        assertTrue(compiledDecided >= pairs * 8 / 10, "compiled path decided " + compiledDecided + " of " + pairs);
        for (int outcome : outcomes) {
            assertTrue(outcome >= pairs / 10, "outcomes true/false/error " + java.util.Arrays.toString(outcomes));
        }
    }

    /** 't', 'f' or 'e' for a verdict of one CEL rule. */
    static char outcome(Verdict verdict) {
        if (verdict.clean()) {
            return 't';
        }
        return verdict.violations().get(0).message().startsWith(CelRule.NOT_EVALUATED) ? 'e' : 'f';
    }

    static RecordView view(Object value) {
        return new RecordView("orders", value, null, "k1", value, null);
    }

    private static Map<String, Object> record(Random random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String field : FIELDS) {
            int pick = random.nextInt(VALUES.length + 3);
            if (pick < VALUES.length) {
                map.put(field, VALUES[pick]);
            } else if (pick == VALUES.length && depth > 1) {
                map.put(field, record(random, depth - 1));
            }
            // otherwise the field is missing
        }
        return map;
    }

    private static String bool(Random random, int depth) {
        int choice = random.nextInt(depth <= 1 ? 8 : 13);
        switch (choice) {
            case 7:
                return term(random); // not necessarily a boolean: a non-boolean operand of && and ||
            case 0:
            case 1:
            case 2:
                return term(random) + " " + pick(random, COMPARISONS) + " " + term(random);
            case 3:
                return term(random) + " in [" + pick(random, LITERALS) + ", " + pick(random, LITERALS) + "]";
            case 4:
                return "has(value." + pick(random, FIELDS) + ")";
            case 5:
                return (random.nextBoolean() ? "size(" + term(random) + ")" : term(random) + ".size()")
                        + " " + pick(random, COMPARISONS) + " " + random.nextInt(3);
            case 6:
                String fn = pick(random, new String[] {"startsWith", "endsWith", "contains"});
                return term(random) + "." + fn + "(" + (random.nextBoolean() ? pick(random, LITERALS) : term(random)) + ")";
            case 8:
            case 9:
                return "(" + bool(random, depth - 1) + " && " + bool(random, depth - 1) + ")";
            case 10:
                return "(" + bool(random, depth - 1) + " || " + bool(random, depth - 1) + ")";
            case 11:
                return "!(" + bool(random, depth - 1) + ")";
            default:
                return "(" + bool(random, depth - 1) + " ? " + bool(random, depth - 1) + " : " + bool(random, depth - 1) + ")";
        }
    }

    private static String term(Random random) {
        switch (random.nextInt(7)) {
            case 0:
            case 1:
                return "value." + pick(random, FIELDS);
            case 2:
                return "value['" + pick(random, FIELDS) + "']";
            case 3:
                return "value." + pick(random, FIELDS) + "." + pick(random, FIELDS);
            case 4:
                return random.nextBoolean() ? "key" : "topic";
            default:
                return pick(random, LITERALS);
        }
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
