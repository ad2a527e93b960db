package dev.truthline.connect.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.google.common.primitives.UnsignedLong;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.internal.ComparisonFunctions;
import dev.cel.common.values.NullValue;

/**
 * The common subset of CEL compiled to a tree of small Java evaluators, bound once when the rule is
 * configured: comparisons, {@code &&} / {@code ||} / {@code !} / {@code ?:}, {@code in} a list of
 * literals, {@code size}, {@code has}, {@code startsWith} / {@code endsWith} / {@code contains}, over
 * {@code value}, {@code key}, {@code headers} and {@code topic} and literals. An expression with
 * anything else (macros, arithmetic, regexes, timestamps, conversions) is not compiled: the rule runs
 * it on cel-java. {@code CelFastPathTest} checks that both give the same outcome.
 *
 * <p>Values are the ones {@link CelValues} gives cel-java, so both paths see the same data. An
 * evaluator returns a value, or a {@link Failure} for a CEL error (CEL errors are values that
 * {@code &&} and {@code ||} may absorb). A value this path does not model in an operation (bytes, a
 * timestamp, a list or map compared) throws {@link Unsupported}, and the rule asks cel-java about
 * that record instead: a rare record costs more, never a different answer.
 */
final class CelFastPath {

    /** The evaluation of a compiled expression for one record. */
    interface Node {
        /** The value, or a {@link Failure}; throws {@link Unsupported} for what cel-java must decide. */
        Object eval(RecordView record);
    }

    /** A CEL error. Its text is fixed when the expression is compiled: names from the expression, no record value. */
    static final class Failure {
        final String verdictText;

        Failure(String problem) {
            this.verdictText = CelRule.NOT_EVALUATED + problem;
        }
    }

    /** The record holds something this path does not model: cel-java decides this record. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super("value outside the compiled CEL subset", null, false, false);
        }
    }

    /** Why an expression is not compiled: the construct outside the subset. */
    static final class NotInSubset extends Exception {
        private static final long serialVersionUID = 1L;

        NotInSubset(String construct) {
            super(construct, null, false, false);
        }
    }

    private CelFastPath() {
    }

    /**
     * Compiles a checked expression.
     *
     * @throws NotInSubset naming the first construct outside the subset
     */
    static Node compile(CelAbstractSyntaxTree ast) throws NotInSubset {
        return node(ast.getExpr());
    }

    private static Node node(CelExpr e) throws NotInSubset {
        switch (e.exprKind().getKind()) {
            case CONSTANT:
                Object constant = constant(e.constant());
                return record -> constant;
            case IDENT:
                return variable(e.ident().name());
            case SELECT:
                CelExpr.CelSelect select = e.select();
                Node operand = node(select.operand());
                return select.testOnly() ? has(operand, select.field()) : field(operand, select.field());
            case CALL:
                return call(e.call());
            default:
                throw new NotInSubset(e.exprKind().getKind().name().toLowerCase(Locale.ROOT));
        }
    }

    private static Object constant(CelConstant c) throws NotInSubset {
        switch (c.getKind()) {
            case NULL_VALUE:
                return NullValue.NULL_VALUE;
            case BOOLEAN_VALUE:
                return c.booleanValue();
            case INT64_VALUE:
                return c.int64Value();
            case UINT64_VALUE:
                return c.uint64Value();
            case DOUBLE_VALUE:
                return c.doubleValue();
            case STRING_VALUE:
                return c.stringValue();
            default:
                throw new NotInSubset(c.getKind().name().toLowerCase(Locale.ROOT) + " literal");
        }
    }

    private static Node variable(String name) throws NotInSubset {
        switch (name) {
            case "value":
                return RecordView::celValue;
            case "key":
                return RecordView::celKey;
            case "headers":
                return RecordView::celHeaders;
            case "topic":
                return record -> {
                    String topic = record.topic();
                    if (topic == null) {
                        throw Unsupported.INSTANCE;
                    }
                    return topic;
                };
            default:
                throw new NotInSubset("identifier " + name);
        }
    }

    private static Node call(CelExpr.CelCall call) throws NotInSubset {
        String function = call.function();
        List<CelExpr> args = call.args();
        if (call.target().isPresent()) {
            Node target = node(call.target().get());
            if (args.size() == 0 && function.equals("size")) {
                return size(target);
            }
            if (args.size() == 1 && StringTest.of(function) != null) {
                return strings(StringTest.of(function), target, node(args.get(0)));
            }
            throw new NotInSubset("method " + function);
        }
        switch (function + "/" + args.size()) {
            case "_&&_/2":
                return and(node(args.get(0)), node(args.get(1)));
            case "_||_/2":
                return or(node(args.get(0)), node(args.get(1)));
            case "!_/1":
                return not(node(args.get(0)));
            case "_?_:_/3":
                return conditional(node(args.get(0)), node(args.get(1)), node(args.get(2)));
            case "_==_/2":
                return equality(node(args.get(0)), node(args.get(1)), true);
            case "_!=_/2":
                return equality(node(args.get(0)), node(args.get(1)), false);
            case "_<_/2":
            case "_<=_/2":
            case "_>_/2":
            case "_>=_/2":
                return compare(function, node(args.get(0)), node(args.get(1)));
            case "@in/2":
                return in(node(args.get(0)), literalList(args.get(1)));
            case "size/1":
                return size(node(args.get(0)));
            case "_[_]/2":
                CelExpr index = args.get(1);
                if (index.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && index.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    return mapIndex(node(args.get(0)), index.constant().stringValue());
                }
                throw new NotInSubset("index other than a string literal");
            default:
                throw new NotInSubset("function " + function);
        }
    }

    /**
     * {@code a && b}: false if either side is false, even when the other is an error (langdef
     * "Logical Operators": commutative, errors absorbed); an error if neither is false and one is an
     * error. As in cel-java, an operand that is not a boolean is an error that is not absorbed, unless
     * the left side already decided the result.
     */
    private static Node and(Node left, Node right) {
        return logic(left, right, Boolean.FALSE, new Failure("expected a boolean operand of '_&&_'"));
    }

    /** {@code a || b}: the mirror of {@link #and}, with true deciding. */
    private static Node or(Node left, Node right) {
        return logic(left, right, Boolean.TRUE, new Failure("expected a boolean operand of '_||_'"));
    }

    private static Node logic(Node left, Node right, Boolean decisive, Failure notBoolean) {
        return record -> {
            Object a = left.eval(record);
            if (decisive.equals(a)) {
                return a;
            }
            if (!(a instanceof Boolean) && !(a instanceof Failure)) {
                return noOverload(a, notBoolean);
            }
            Object b = right.eval(record);
            if (decisive.equals(b)) {
                return b;
            }
            if (a instanceof Failure) {
                return a;
            }
            return b instanceof Boolean || b instanceof Failure ? b : noOverload(b, notBoolean);
        };
    }

    /** The error for an operand of the wrong type, or cel-java for an operand this path does not model. */
    private static Failure noOverload(Object operand, Failure failure) {
        if (scalar(operand)) {
            return failure;
        }
        throw Unsupported.INSTANCE;
    }

    private static Node not(Node operand) {
        Failure noOverload = new Failure("no matching overload for '!_'");
        return record -> {
            Object o = operand.eval(record);
            if (o instanceof Boolean) {
                return !(Boolean) o;
            }
            return o instanceof Failure ? o : noOverload(o, noOverload);
        };
    }

    /** {@code c ? a : b}: only the chosen branch is evaluated; an error or non-boolean condition is an error. */
    private static Node conditional(Node condition, Node then, Node otherwise) {
        Failure noOverload = new Failure("no matching overload for '_?_:_'");
        return record -> {
            Object c = condition.eval(record);
            if (Boolean.TRUE.equals(c)) {
                return then.eval(record);
            }
            if (Boolean.FALSE.equals(c)) {
                return otherwise.eval(record);
            }
            return c instanceof Failure ? c : noOverload(c, noOverload);
        };
    }

    /**
     * {@code < <= > >=}: numbers by value across int, uint and double (heterogeneous numeric
     * comparison, as our options enable it), strings, booleans; other pairs have no overload.
     */
    private static Node compare(String function, Node left, Node right) {
        Failure noOverload = new Failure("no matching overload for '" + function + "'");
        int op = "_<_".equals(function) ? 0 : "_<=_".equals(function) ? 1 : "_>_".equals(function) ? 2 : 3;
        return record -> {
            Object a = left.eval(record);
            if (a instanceof Failure) {
                return a;
            }
            Object b = right.eval(record);
            if (b instanceof Failure) {
                return b;
            }
            if (a instanceof Double && b instanceof Double) {
                double x = (Double) a;
                double y = (Double) b;
                switch (op) {
                    case 0:
                        return x < y;
                    case 1:
                        return x <= y;
                    case 2:
                        return x > y;
                    default:
                        return x >= y;
                }
            }
            int c;
            if (numeric(a) && numeric(b)) {
                c = compareNumbers(a, b);
            } else if (a instanceof String && b instanceof String) {
                c = ((String) a).compareTo((String) b);
            } else if (a instanceof Boolean && b instanceof Boolean) {
                c = Boolean.compare((Boolean) a, (Boolean) b);
            } else if (scalar(a) && scalar(b)) {
                return noOverload;
            } else {
                throw Unsupported.INSTANCE;
            }
            switch (op) {
                case 0:
                    return c < 0;
                case 1:
                    return c <= 0;
                case 2:
                    return c > 0;
                default:
                    return c >= 0;
            }
        };
    }

    /** Compares two CEL numbers by value with cel-java's own functions, so edge cases (NaN, 2^63) agree. */
    private static int compareNumbers(Object a, Object b) {
        if (a instanceof Long) {
            if (b instanceof Long) {
                return Long.compare((Long) a, (Long) b);
            }
            return b instanceof Double ? ComparisonFunctions.compareIntDouble((Long) a, (Double) b)
                    : ComparisonFunctions.compareIntUint((Long) a, (UnsignedLong) b);
        }
        if (a instanceof Double) {
            return b instanceof Long ? ComparisonFunctions.compareDoubleInt((Double) a, (Long) b)
                    : ComparisonFunctions.compareDoubleUint((Double) a, (UnsignedLong) b);
        }
        UnsignedLong u = (UnsignedLong) a;
        if (b instanceof UnsignedLong) {
            return u.compareTo((UnsignedLong) b);
        }
        return b instanceof Long ? ComparisonFunctions.compareUintInt(u, (Long) b)
                : ComparisonFunctions.compareUintDouble(u, (Double) b);
    }

    /** True for the values whose CEL operations this path models completely. */
    static boolean scalar(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean
                || v == NullValue.NULL_VALUE || v instanceof UnsignedLong;
    }

    static boolean numeric(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof UnsignedLong;
    }

    /** {@code value.f}: a map's entry; a missing key is an error (langdef "Field Selection"). */
    private static Node field(Node operand, String name) {
        Failure missing = new Failure("key '" + name + "' is not present in map");
        return onMap(operand, map -> entry(map, name, missing),
                new Failure("cannot select field '" + name + "' of a non-map value"));
    }

    /** {@code m['f']} on a map is {@code m.f}; on anything else cel-java decides. */
    private static Node mapIndex(Node operand, String name) {
        Failure missing = new Failure("key '" + name + "' is not present in map");
        return onMap(operand, map -> entry(map, name, missing), null);
    }

    /** {@code has(value.f)}: whether the map has the key, even with a null value (langdef "Macros"). */
    private static Node has(Node operand, String name) {
        return onMap(operand, map -> map.containsKey(name),
                new Failure("has() of field '" + name + "' of a non-map value"));
    }

    private static Object entry(Map<?, ?> map, String name, Failure missing) {
        Object v = map.get(name);
        return v != null ? v : missing;
    }

    /**
     * A node that applies {@code onMap} to the operand's map; passes a failure on; gives {@code onScalar} for a value
     * this path models (none: cel-java decides) and leaves anything else to cel-java.
     */
    private static Node onMap(Node operand, Function<Map<?, ?>, Object> onMap, Failure onScalar) {
        return record -> {
            Object o = operand.eval(record);
            if (o instanceof Map) {
                return onMap.apply((Map<?, ?>) o);
            }
            if (o instanceof Failure) {
                return o;
            }
            if (onScalar != null && scalar(o)) {
                return onScalar;
            }
            throw Unsupported.INSTANCE;
        };
    }

    private static Node equality(Node left, Node right, boolean equal) {
        return record -> {
            Object a = left.eval(record);
            if (a instanceof Failure) {
                return a;
            }
            Object b = right.eval(record);
            if (b instanceof Failure) {
                return b;
            }
            return equals(a, b) == equal;
        };
    }

    /**
     * CEL equality of two values: numbers by value across int, uint and double (heterogeneous
     * equality), other types by type and value, different types unequal.
     */
    static boolean equals(Object a, Object b) {
        if (a == b) {
            return true; // cel-java's shortcut: the very same object is equal to itself, a NaN double too
        }
        if (!scalar(a) || !scalar(b)) {
            throw Unsupported.INSTANCE;
        }
        if (a instanceof Number && b instanceof Number) {
            return ComparisonFunctions.numericEquals((Number) a, (Number) b);
        }
        return a.equals(b);
    }

    private static List<Object> literalList(CelExpr e) throws NotInSubset {
        if (e.exprKind().getKind() != CelExpr.ExprKind.Kind.LIST || !e.list().optionalIndices().isEmpty()) {
            throw new NotInSubset("'in' other than a list of literals");
        }
        List<Object> values = new ArrayList<>();
        for (CelExpr element : e.list().elements()) {
            if (element.exprKind().getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                throw new NotInSubset("'in' other than a list of literals");
            }
            values.add(constant(element.constant()));
        }
        return values;
    }

    /** {@code x in [literals]}: some element equals x (langdef "List and Map Values", {@code in}). */
    private static Node in(Node element, List<Object> list) {
        Object[] values = list.toArray();
        return record -> {
            Object x = element.eval(record);
            if (x instanceof Failure) {
                return x;
            }
            for (Object v : values) {
                if (equals(x, v)) {
                    return Boolean.TRUE;
                }
            }
            if (!scalar(x)) {
                throw Unsupported.INSTANCE;
            }
            return Boolean.FALSE;
        };
    }

    /** {@code size(x)}: code points of a string, entries of a map or list. */
    private static Node size(Node operand) {
        Failure noOverload = new Failure("no matching overload for 'size'");
        return record -> {
            Object o = operand.eval(record);
            if (o instanceof String) {
                String s = (String) o;
                return (long) s.codePointCount(0, s.length());
            }
            if (o instanceof Map) {
                return (long) ((Map<?, ?>) o).size();
            }
            if (o instanceof List) {
                return (long) ((List<?>) o).size();
            }
            if (o instanceof Failure) {
                return o;
            }
            if (scalar(o)) {
                return noOverload;
            }
            throw Unsupported.INSTANCE;
        };
    }

    /** The string tests among CEL's standard functions. */
    enum StringTest {
        STARTS_WITH("startsWith"), ENDS_WITH("endsWith"), CONTAINS("contains");

        final String function;

        StringTest(String function) {
            this.function = function;
        }

        static StringTest of(String function) {
            for (StringTest t : values()) {
                if (t.function.equals(function)) {
                    return t;
                }
            }
            return null;
        }

        boolean test(String s, String part) {
            switch (this) {
                case STARTS_WITH:
                    return s.startsWith(part);
                case ENDS_WITH:
                    return s.endsWith(part);
                default:
                    return s.contains(part);
            }
        }
    }

    private static Node strings(StringTest test, Node target, Node argument) {
        Failure noOverload = new Failure("no matching overload for '" + test.function + "'");
        return record -> {
            Object s = target.eval(record);
            if (s instanceof Failure) {
                return s;
            }
            Object part = argument.eval(record);
            if (part instanceof Failure) {
                return part;
            }
            if (s instanceof String && part instanceof String) {
                return test.test((String) s, (String) part);
            }
            if (scalar(s) && scalar(part)) {
                return noOverload;
            }
            throw Unsupported.INSTANCE;
        };
    }
}
