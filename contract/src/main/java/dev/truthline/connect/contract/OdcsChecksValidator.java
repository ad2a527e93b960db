package dev.truthline.connect.contract;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintValidatorContext.ConstraintViolationBuilder.NodeBuilderCustomizableContext;

/** Checks {@link OdcsSchemaObject}s, {@link OdcsProperty}s and {@link OdcsQuality} rules across their keys. */
public final class OdcsChecksValidator implements ConstraintValidator<OdcsChecks, Object> {

    /** The logical types each option applies to. */
    private static final Map<String, Set<String>> OPTION_TYPES = optionTypes();

    private static Map<String, Set<String>> optionTypes() {
        Set<String> numbers = Set.of("integer", "number");
        Set<String> ordered = Set.of("integer", "number", "date", "timestamp", "time");
        Map<String, Set<String>> types = new LinkedHashMap<>();
        types.put("minimum", ordered);
        types.put("maximum", ordered);
        types.put("exclusiveMinimum", ordered);
        types.put("exclusiveMaximum", ordered);
        types.put("multipleOf", numbers);
        types.put("minLength", Set.of("string"));
        types.put("maxLength", Set.of("string"));
        types.put("pattern", Set.of("string"));
        types.put("format", Set.of("string", "integer", "number", "date", "timestamp", "time"));
        types.put("minItems", Set.of("array"));
        types.put("maxItems", Set.of("array"));
        types.put("uniqueItems", Set.of("array"));
        types.put("minProperties", Set.of("object"));
        types.put("maxProperties", Set.of("object"));
        types.put("required", Set.of("object"));
        types.put("timezone", Set.of("timestamp", "time"));
        types.put("defaultTimezone", Set.of("timestamp", "time"));
        return types;
    }

    @Override
    public boolean isValid(Object element, ConstraintValidatorContext context) {
        if (element == null) {
            return true;
        }
        Problems problems = new Problems(context);
        if (element instanceof OdcsContract) {
            checkSchemaNames(((OdcsContract) element).schema(), problems);
        } else if (element instanceof OdcsSchemaObject) {
            checkNames(((OdcsSchemaObject) element).properties(), problems);
        } else if (element instanceof OdcsProperty) {
            checkProperty((OdcsProperty) element, problems);
        } else if (element instanceof OdcsQuality) {
            checkQuality((OdcsQuality) element, problems);
        }
        return problems.none();
    }

    // ------------------------------------------------------------------------------------------ properties

    private static void checkSchemaNames(List<OdcsSchemaObject> schema, Problems problems) {
        if (schema == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < schema.size(); i++) {
            OdcsSchemaObject object = schema.get(i);
            if (object != null && object.name() != null && !object.name().isBlank() && !seen.add(object.name())) {
                problems.atIndex("schema", i, "name", "repeats the name of an earlier schema object: " + object.name());
            }
        }
    }

    private static void checkNames(List<OdcsProperty> properties, Problems problems) {
        if (properties == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < properties.size(); i++) {
            OdcsProperty property = properties.get(i);
            if (property == null) {
                continue;
            }
            String name = property.name();
            if (name == null || name.isBlank()) {
                problems.atIndex("properties", i, "name", OdcsContract.REQUIRED);
            } else if (!seen.add(name)) {
                problems.atIndex("properties", i, "name", "repeats the name of an earlier property: " + name);
            } else if (name.contains(".") || name.contains("[")) {
                problems.atIndex("properties", i, "name", "must not contain '.' or '[': field paths use them");
            }
        }
    }

    private static void checkProperty(OdcsProperty property, Problems problems) {
        checkNames(property.properties(), problems);
        String type = property.logicalType();
        if (property.properties() != null && type != null && !type.equals("object")) {
            problems.at("only an object has properties, and this is " + article(type), "properties");
        }
        if (property.items() != null && type != null && !type.equals("array")) {
            problems.at("only an array has items, and this is " + article(type), "items");
        }
        if (property.logicalTypeOptions() != null) {
            checkOptions(property, property.logicalTypeOptions(), problems);
        }
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static void checkOptions(OdcsProperty property, OdcsTypeOptions options, Problems problems) {
        Map<String, Object> present = present(options);
        String type = property.logicalType();
        if (present.isEmpty()) {
            return;
        }
        if (type == null) {
            problems.at("need a logicalType that says what they mean", "logicalTypeOptions");
            return;
        }
        boolean applicable = true;
        for (String option : present.keySet()) {
            Set<String> types = OPTION_TYPES.get(option);
            if (types != null && !types.contains(type)) {
                problems.at("does not apply to logicalType " + type, "logicalTypeOptions", option);
                applicable = false;
            }
        }
        if (!applicable) {
            return;
        }
        if (type.equals("integer") || type.equals("number")) {
            checkNumericBounds(options, problems);
        } else if (type.equals("date") || type.equals("timestamp") || type.equals("time")) {
            for (String bound : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
                Object value = present.get(bound);
                if (value != null && !(value instanceof String)) {
                    problems.at("must be " + article(type) + " written as text", "logicalTypeOptions", bound);
                }
            }
        }
        checkOrder(options.minLength(), "minLength", options.maxLength(), "maxLength", problems);
        checkOrder(options.minItems(), "minItems", options.maxItems(), "maxItems", problems);
        checkOrder(options.minProperties(), "minProperties", options.maxProperties(), "maxProperties", problems);
        if (options.pattern() != null) {
            String why = re2Problem(options.pattern());
            if (why != null) {
                problems.at(why, "logicalTypeOptions", "pattern");
            }
        }
        if (options.required() != null && property.properties() != null) {
            Set<String> names = new HashSet<>();
            for (OdcsProperty child : property.properties()) {
                if (child != null && child.name() != null) {
                    names.add(child.name());
                }
            }
            for (String name : options.required()) {
                if (name != null && !name.isBlank() && !names.contains(name)) {
                    problems.at("names " + name + ", which is not one of this object's properties",
                            "logicalTypeOptions", "required");
                }
            }
        }
    }

    /** The options that are set, by their ODCS key, in definition order. */
    static Map<String, Object> present(OdcsTypeOptions options) {
        Map<String, Object> present = new LinkedHashMap<>();
        put(present, "minimum", options.minimum());
        put(present, "maximum", options.maximum());
        put(present, "exclusiveMinimum", options.exclusiveMinimum());
        put(present, "exclusiveMaximum", options.exclusiveMaximum());
        put(present, "multipleOf", options.multipleOf());
        put(present, "minLength", options.minLength());
        put(present, "maxLength", options.maxLength());
        put(present, "pattern", options.pattern());
        put(present, "format", options.format());
        put(present, "minItems", options.minItems());
        put(present, "maxItems", options.maxItems());
        put(present, "uniqueItems", options.uniqueItems());
        put(present, "minProperties", options.minProperties());
        put(present, "maxProperties", options.maxProperties());
        put(present, "required", options.required());
        put(present, "timezone", options.timezone());
        put(present, "defaultTimezone", options.defaultTimezone());
        for (Map.Entry<String, Object> other : options.other().entrySet()) {
            put(present, other.getKey(), other.getValue());
        }
        return present;
    }

    private static void put(Map<String, Object> present, String key, Object value) {
        if (value != null) {
            present.put(key, value);
        }
    }

    private static void checkNumericBounds(OdcsTypeOptions options, Problems problems) {
        BigDecimal minimum = number(options.minimum(), "minimum", problems);
        BigDecimal maximum = number(options.maximum(), "maximum", problems);
        BigDecimal exclusiveMinimum = number(options.exclusiveMinimum(), "exclusiveMinimum", problems);
        BigDecimal exclusiveMaximum = number(options.exclusiveMaximum(), "exclusiveMaximum", problems);
        BigDecimal multipleOf = number(options.multipleOf(), "multipleOf", problems);
        if (multipleOf != null && multipleOf.signum() <= 0) {
            problems.at("must be greater than 0", "logicalTypeOptions", "multipleOf");
        }
        Bound lower = Bound.lower(minimum, exclusiveMinimum);
        Bound upper = Bound.upper(maximum, exclusiveMaximum);
        if (lower == null || upper == null) {
            return;
        }
        int c = lower.value.compareTo(upper.value);
        if (c > 0) {
            problems.at("must not be greater than " + upper.key + " (" + upper.value.toPlainString() + ")",
                    "logicalTypeOptions", lower.key);
        } else if (c == 0 && (lower.exclusive || upper.exclusive)) {
            problems.at("must be less than " + upper.key + " (" + upper.value.toPlainString()
                    + "): with an exclusive bound no value is in range", "logicalTypeOptions", lower.key);
        }
    }

    /** A numeric option as a decimal, or null (reporting it) when it is not a number. */
    private static BigDecimal number(Object value, String key, Problems problems) {
        if (value == null) {
            return null;
        }
        BigDecimal number = decimal(value);
        if (number == null) {
            problems.at("must be a number", "logicalTypeOptions", key);
        }
        return number;
    }

    /** A YAML number as a decimal; null for anything else. */
    static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger) {
            return new BigDecimal((BigInteger) value);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(value.toString()) : null;
        }
        return null;
    }

    /** The effective lower or upper bound of a numeric range: the stricter of the inclusive and exclusive one. */
    record Bound(String key, BigDecimal value, boolean exclusive) {

        static Bound lower(BigDecimal minimum, BigDecimal exclusiveMinimum) {
            if (exclusiveMinimum != null && (minimum == null || exclusiveMinimum.compareTo(minimum) >= 0)) {
                return new Bound("exclusiveMinimum", exclusiveMinimum, true);
            }
            return minimum == null ? null : new Bound("minimum", minimum, false);
        }

        static Bound upper(BigDecimal maximum, BigDecimal exclusiveMaximum) {
            if (exclusiveMaximum != null && (maximum == null || exclusiveMaximum.compareTo(maximum) <= 0)) {
                return new Bound("exclusiveMaximum", exclusiveMaximum, true);
            }
            return maximum == null ? null : new Bound("maximum", maximum, false);
        }
    }

    private static void checkOrder(Integer min, String minKey, Integer max, String maxKey, Problems problems) {
        if (min != null && max != null && min > max) {
            problems.at("must not be greater than " + maxKey + " (" + max + ")", "logicalTypeOptions", minKey);
        }
    }

    /** Why a pattern is not an RE2 regular expression, or null when it is one. */
    static String re2Problem(String pattern) {
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            return "is not a valid RE2 regular expression (linear-time: no lookaround or backreferences): "
                    + e.getMessage();
        }
    }

    // ------------------------------------------------------------------------------------------ quality

    private static final List<String> OPERATORS = List.of("mustBe", "mustNotBe", "mustBeGreaterThan",
            "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo", "mustBeBetween", "mustNotBeBetween");

    private static void checkQuality(OdcsQuality quality, Problems problems) {
        switch (quality.typeOrDefault()) {
            case OdcsQuality.LIBRARY:
                checkLibrary(quality, problems);
                break;
            case OdcsQuality.SQL:
                if (quality.query() == null || quality.query().isBlank()) {
                    problems.at("is required for an sql rule", "query");
                }
                break;
            case OdcsQuality.CUSTOM:
                if (quality.engine() == null || quality.engine().isBlank()) {
                    problems.at("is required for a custom rule", "engine");
                }
                if (quality.implementation() == null) {
                    problems.at("is required for a custom rule", "implementation");
                } else if ("cel".equalsIgnoreCase(String.valueOf(quality.engine()).trim())
                        && (!(quality.implementation() instanceof String)
                        || ((String) quality.implementation()).isBlank())) {
                    problems.at("must be a CEL expression", "implementation");
                }
                break;
            default:
                // text: a description for people; type itself is checked by its own constraint
        }
        List<String> operators = operators(quality);
        if (operators.size() > 1) {
            problems.at("set at most one comparison; " + operators.get(0) + " is set already", operators.get(1));
        }
        checkBetween(quality.mustBeBetween(), "mustBeBetween", problems);
        checkBetween(quality.mustNotBeBetween(), "mustNotBeBetween", problems);
    }

    private static void checkLibrary(OdcsQuality quality, Problems problems) {
        String metric = quality.metricName();
        if (metric == null || metric.isBlank()) {
            problems.at("is required for a library rule (or set type to text, sql or custom)", "metric");
            return;
        }
        if (!metric.equals("invalidValues") && !metric.equals("validValues")) {
            return;
        }
        Object validValues = quality.validValuesArgument();
        Object pattern = quality.patternArgument();
        if (validValues == null && pattern == null) {
            problems.at("an " + metric + " rule needs validValues or pattern", "arguments");
            return;
        }
        if (validValues != null) {
            String[] where = quality.validValuesInArguments()
                    ? new String[] {"arguments", "validValues"} : new String[] {"validValues"};
            if (!(validValues instanceof List)) {
                problems.at("must be a list of values", where);
            } else {
                for (Object value : (List<?>) validValues) {
                    if (value instanceof Map || value instanceof List) {
                        problems.at("must list strings, numbers or booleans", where);
                        break;
                    }
                }
            }
        }
        if (pattern != null) {
            String[] where = quality.patternInArguments()
                    ? new String[] {"arguments", "pattern"} : new String[] {"pattern"};
            String why = pattern instanceof String ? re2Problem((String) pattern) : "must be a regular expression";
            if (why != null) {
                problems.at(why, where);
            }
        }
    }

    static List<String> operators(OdcsQuality quality) {
        Object[] values = {quality.mustBe(), quality.mustNotBe(), quality.mustBeGreaterThan(),
            quality.mustBeGreaterOrEqualTo(), quality.mustBeLessThan(), quality.mustBeLessOrEqualTo(),
            quality.mustBeBetween(), quality.mustNotBeBetween()};
        List<String> set = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                set.add(OPERATORS.get(i));
            }
        }
        return set;
    }

    private static void checkBetween(List<BigDecimal> range, String key, Problems problems) {
        if (range == null) {
            return;
        }
        if (range.size() != 2 || range.get(0) == null || range.get(1) == null) {
            problems.at("must be two numbers, the smaller first", key);
        } else if (range.get(0).compareTo(range.get(1)) >= 0) {
            problems.at("must be two numbers, the smaller first", key);
        }
    }

    // ------------------------------------------------------------------------------------------ reporting

    /** Reports problems on nodes below the validated element; the messages are literal text. */
    private static final class Problems {
        private final ConstraintValidatorContext context;
        private boolean any;

        Problems(ConstraintValidatorContext context) {
            this.context = context;
        }

        void at(String message, String... nodes) {
            start();
            var builder = context.buildConstraintViolationWithTemplate(literal(message));
            if (nodes.length == 0) {
                builder.addConstraintViolation();
                return;
            }
            NodeBuilderCustomizableContext node = builder.addPropertyNode(nodes[0]);
            for (int i = 1; i < nodes.length; i++) {
                node = node.addPropertyNode(nodes[i]);
            }
            node.addConstraintViolation();
        }

        /** A problem on {@code <list>[index].<key>}. */
        void atIndex(String list, int index, String key, String message) {
            start();
            context.buildConstraintViolationWithTemplate(literal(message))
                    .addPropertyNode(list)
                    .addPropertyNode(key).inIterable().atIndex(index)
                    .addConstraintViolation();
        }

        private void start() {
            if (!any) {
                context.disableDefaultConstraintViolation();
                any = true;
            }
        }

        boolean none() {
            return !any;
        }

        /** Escapes what message interpolation would read as parameters or expressions. */
        private static String literal(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
