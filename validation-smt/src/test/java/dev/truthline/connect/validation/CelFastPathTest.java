package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.CelFastPathAgreementTest.outcome;
import static dev.truthline.connect.validation.CelFastPathAgreementTest.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * The compiled CEL subset, construct by construct and corner by corner: each case is evaluated on the
 * compiled path and on cel-java, both must give the expected outcome ({@code t} true, {@code f}
 * false, {@code e} error), and the compiled path must decide it itself. Clauses cited are from
 * google/cel-spec {@code doc/langdef.md}.
 */
class CelFastPathTest {

    private static final Map<String, Object> ORDER = order();

    private static Map<String, Object> order() {
        Map<String, Object> value = new HashMap<>();
        value.put("amount", 5L);
        value.put("quantity", 3);
        value.put("price", 2.5);
        value.put("total", new BigDecimal("12.50"));
        value.put("currency", "EUR");
        value.put("name", "é€😀");
        value.put("paid", true);
        value.put("fullwidth", "\uFF21");
        value.put("emoji", "\uD83D\uDE00");
        value.put("nan", Double.NaN);
        value.put("floatNan", Float.NaN);
        value.put("note", null);
        value.put("customer", Map.of("country", "DE"));
        value.put("tags", List.of("a", "b"));
        value.put("raw", new byte[] {1, 2});
        return value;
    }

    /** Both paths give {@code expected} for the order record; the compiled path decides without cel-java. */
    private static void check(String expr, char expected) {
        check(expr, ORDER, expected);
    }

    private static void check(String expr, Object value, char expected) {
        CelRule compiled = CelRule.compile("r", RuleSeverity.ERROR, null, expr);
        CelRule reference = CelRule.compile("r", RuleSeverity.ERROR, null, expr, false);
        assertEquals(CelRule.Path.COMPILED, compiled.path(), expr);
        assertEquals(CelRule.Path.CEL_JAVA, reference.path(), expr);
        Verdict fast = new Verdict();
        compiled.evaluate(view(value), fast);
        Verdict slow = new Verdict();
        reference.evaluate(view(value), slow);
        assertEquals(expected, outcome(slow), "cel-java on " + expr);
        assertEquals(expected, outcome(fast), "compiled on " + expr);
        compiled.evaluateCompiled(view(value)); // throws Unsupported if it deferred to cel-java
    }

    @Test
    void logicalOperatorsAbsorbErrorsInEitherOrder() {
        // langdef "Logical Operators": if an operand determines the result (false for &&, true for ||),
        // an error in the other is ignored, so the operators are commutative.
        check("false && value.missing == 1", 'f');
        check("value.missing == 1 && false", 'f');
        check("true || value.missing == 1", 't');
        check("value.missing == 1 || true", 't');
        check("value.missing == 1 && true", 'e');
        check("true && value.missing == 1", 'e');
        check("value.missing == 1 || false", 'e');
        check("value.missing == 1 || value.other == 2", 'e');
        check("value.amount > 1 && value.currency == 'EUR'", 't');
        check("value.amount > 1 && value.currency == 'USD'", 'f');
        // A non-boolean operand: cel-java (0.14) raises "expected boolean value" without absorbing it,
        // unless the left side already decided the result; the compiled checks do the same.
        check("value.amount && false", 'e');
        check("false && value.amount", 'f');
        check("value.amount || true", 'e');
        check("true || value.amount", 't');
        check("value.amount && true", 'e');
        check("value.missing == 1 && value.amount", 'e');
        check("value.note && false", 'e');
    }

    @Test
    void notAndConditional() {
        check("!(value.amount > 10)", 't');
        check("!value.paid", 'f');
        check("!value.missing", 'e');
        check("!value.amount", 'e');
        // langdef "Logical Operators": e ? e1 : e2 evaluates only the chosen branch
        check("value.paid ? value.amount == 5 : value.missing == 1", 't');
        check("!value.paid ? value.missing == 1 : true", 't');
        check("value.missing == 1 ? true : true", 'e');
        check("value.amount ? true : true", 'e');
    }

    @Test
    void fieldSelectionOnMaps() {
        // langdef "Field Selection" 3: on a map e.f is e['f']; a missing key is an error ("Runtime Errors": no_such_field)
        check("value.amount == 5", 't');
        check("value['amount'] == 5", 't');
        check("value.missing == 5", 'e');
        check("value['missing'] == 5", 'e');
        check("value.customer.country == 'DE'", 't');
        check("value.customer.city == 'Berlin'", 'e');
        check("headers.missing == 'x'", 'e');
        check("key == 'k1'", 't');
        check("topic == 'orders'", 't');
        check("topic.startsWith('ord')", 't');
        // "Field Selection" 4: selecting a field of anything else is an error
        check("value.amount.cents == 1", 'e');
        check("value.note.x == 1", 'e');
        check("key.x == 1", 'e');
        // a tombstone's value is null
        check("value.amount > 0", null, 'e');
    }

    @Test
    void hasTestsMapKeys() {
        // langdef "Field Selection", has(e.f) 1: whether f is a key of the map, whatever its value
        check("has(value.amount)", 't');
        check("has(value.note)", 't');
        check("has(value.missing)", 'f');
        check("has(value.customer.country)", 't');
        check("has(value.customer.city)", 'f');
        // has(e.f) 5: in all other cases an error
        check("has(value.amount.x)", 'e');
        check("has(value.missing.x)", 'e');
    }

    @Test
    void numbersCompareByValueAcrossIntUintAndDouble() {
        // enableHeterogeneousNumericComparisons: int, uint and double compare and equal by value
        check("value.amount == 5.0", 't');
        check("value.amount == 5u", 't');
        check("value.amount != 5.0", 'f');
        check("value.amount < 5.5", 't');
        check("value.amount >= 5u", 't');
        check("value.price > 2", 't');
        check("value.price <= 2u", 'f');
        check("value.quantity == 3", 't'); // an Integer is a CEL int
        check("value.total == 12.5", 't'); // a Decimal is a double (CelValues)
        // NaN: unequal to everything but the very same object (cel-java compares identity first), so a
        // double field equals itself and a float field (boxed anew on each read) does not; mixed
        // int/double ordering puts NaN above every number (Double.compare), double/double is IEEE
        check("value.nan == value.nan", 't');
        check("value.floatNan == value.floatNan", 'f');
        check("value.nan == 1.0", 'f');
        check("value.nan > 1", 't');
        check("value.nan < 1", 'f');
        check("value.nan > 1.0", 'f');
    }

    @Test
    void otherTypesEqualOnlyThemselvesAndOrderOnlyWithThemselves() {
        // equality across types is false (heterogeneous equality as cel-java implements it)
        check("value.amount == 'five'", 'f');
        check("value.amount != 'five'", 't');
        check("value.currency == true", 'f');
        check("value.note == null", 't');
        check("value.amount == null", 'f');
        check("value.paid == true", 't');
        // langdef "Equality and Ordering": ordering is defined for numbers, strings, bools; otherwise no_matching_overload
        check("value.currency < 'USD'", 't');
        check("value.currency > 'EUR'", 'f');
        check("value.paid > false", 't');
        // strings order as cel-java orders them: by UTF-16 unit (String.compareTo), so U+FF21 sorts after
        // U+1F600 (the spec says code points; cel-java and the compiled checks agree with each other)
        check("value.fullwidth < value.emoji", 'f');
        check("value.amount < 'five'", 'e');
        check("value.note < 1", 'e');
        check("value.currency >= 1.0", 'e');
    }

    @Test
    void inAListOfLiterals() {
        check("value.currency in ['EUR', 'USD']", 't');
        check("value.currency in ['GBP']", 'f');
        check("value.amount in [1, 5.0]", 't');
        check("value.amount in ['5']", 'f');
        check("value.note in [null]", 't');
        check("value.missing in ['EUR']", 'e');
    }

    @Test
    void sizeCountsCodePointsAndEntries() {
        // langdef "Functions": size of a string is its length in code points; lists and maps their entries
        check("size(value.currency) == 3", 't');
        check("value.name.size() == 3", 't');
        check("size(value.tags) == 2", 't');
        check("size(value.customer) == 1", 't');
        check("size(value) > 5", 't');
        check("size(value.amount) == 1", 'e');
        check("size(value.missing) == 1", 'e');
    }

    @Test
    void stringTests() {
        check("value.currency.startsWith('EU')", 't');
        check("value.currency.endsWith('R')", 't');
        check("value.currency.contains('UR')", 't');
        check("value.currency.contains('')", 't');
        check("value.currency.startsWith('US')", 'f');
        check("value.amount.startsWith('5')", 'e');
        check("value.currency.startsWith(value.amount)", 'e');
        check("value.missing.endsWith('x')", 'e');
    }

    @Test
    void aNonBooleanResultIsAFalseVerdict() {
        check("value.currency", 'f');
        check("value.note", 'f');
        check("value.missing", 'e');
        check("value.paid", 't');
    }

    @Test
    void structValuesReadTheSameAsMaps() {
        Schema schema = SchemaBuilder.struct().field("amount", Schema.INT32_SCHEMA)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA).build();
        Struct value = new Struct(schema).put("amount", 7).put("currency", null);
        check("value.amount >= 0 && value.currency == null", value, 't');
        check("has(value.currency) && !has(value.missing)", value, 't');
        check("value.missing == 1", value, 'e');
    }

    @Test
    void valuesOutsideTheModelAreDecidedByCelJava() {
        // bytes, lists and maps in comparisons: the compiled checks defer to cel-java for that record
        for (String expr : List.of("value.raw == 'x'", "value.tags == value.tags", "value.customer == value.customer",
                "value.raw in ['x']")) {
            CelRule compiled = CelRule.compile("r", RuleSeverity.ERROR, null, expr);
            assertEquals(CelRule.Path.COMPILED, compiled.path(), expr);
            assertThrows(CelFastPath.Unsupported.class, () -> compiled.evaluateCompiled(view(ORDER)), expr);
            Verdict fast = new Verdict();
            compiled.evaluate(view(ORDER), fast);
            Verdict slow = new Verdict();
            CelRule.compile("r", RuleSeverity.ERROR, null, expr, false).evaluate(view(ORDER), slow);
            assertEquals(outcome(slow), outcome(fast), expr);
        }
    }

    @Test
    void expressionsOutsideTheSubsetRunOnCelJava() {
        Map<String, String> outside = Map.of(
                "value.tags.all(t, t != '')", "comprehension",
                "value.amount + 1 > 2", "function _+_",
                "value.currency.matches('^E')", "method matches",
                "int(value.price) == 2", "function int",
                "value.raw == b'x'", "bytes_value literal",
                "'amount' in value", "'in' other than a list of literals",
                "value.tags[0] == 'a'", "index other than a string literal");
        outside.forEach((expr, reason) -> {
            CelRule rule = CelRule.compile("r", RuleSeverity.ERROR, null, expr);
            assertEquals(CelRule.Path.CEL_JAVA, rule.path(), expr);
            assertEquals(reason, rule.fallbackReason(), expr);
        });
        CelRule inside = CelRule.compile("r", RuleSeverity.ERROR, null,
                "value.amount >= 0 && value.currency in ['EUR', 'USD', 'GBP'] && value.quantity > 0");
        assertEquals(CelRule.Path.COMPILED, inside.path());
        assertNull(inside.fallbackReason());
    }

    @Test
    void bothPathsWriteTheSameVerdictText() {
        for (String message : new String[] {null, "amount must not exceed 3"}) {
            String expr = "value.amount <= 3";
            Verdict fast = new Verdict();
            CelRule.compile("limit", RuleSeverity.WARN, message, expr).evaluate(view(ORDER), fast);
            Verdict slow = new Verdict();
            CelRule.compile("limit", RuleSeverity.WARN, message, expr, false).evaluate(view(ORDER), slow);
            assertEquals(slow.violations(), fast.violations());
            assertEquals(message != null ? message : "expression is false: " + expr, fast.violations().get(0).message());
        }
        Verdict error = new Verdict();
        CelRule.compile("limit", RuleSeverity.ERROR, "m", "value.missing <= 3").evaluate(view(ORDER), error);
        assertTrue(error.violations().get(0).message().startsWith(CelRule.NOT_EVALUATED + "key 'missing' is not present in map"));
        assertEquals("", error.violations().get(0).field());
    }
}
