package dev.truthline.connect.contract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.truthline.connect.contract.ContractRule.Cel;
import dev.truthline.connect.contract.ContractRule.Check;
import dev.truthline.connect.contract.ContractRule.In;
import dev.truthline.connect.contract.ContractRule.Length;
import dev.truthline.connect.contract.ContractRule.Range;
import dev.truthline.connect.contract.ContractRule.Regex;
import dev.truthline.connect.contract.ContractRule.Required;
import dev.truthline.connect.contract.ContractRule.Source;
import dev.truthline.connect.contract.ContractRule.Type;

/**
 * Turns one schema object of a checked {@link OdcsContract} into the rules every record must pass,
 * and lists by name what the contract asks for that no single record can show (uniqueness, row
 * counts, SQL, other engines' rules...).
 *
 * <p>Nested properties become dotted field paths ({@code customer.address.country}), array elements
 * {@code [*]} ({@code items[*].sku}). Rules are named {@code <field>:<what>}: {@code amount:range},
 * {@code status:invalidValues}, or {@code <field>:<id>} for a quality rule with an {@code id}; a name
 * already taken gets {@code #2}, {@code #3}...
 */
public final class OdcsCompiler {

    /** ODCS logical types to the type names of the inline {@code type} rule. */
    private static final Map<String, String> TYPES = Map.of(
            "string", "string", "integer", "integer", "number", "number", "boolean", "boolean", "date", "date",
            "timestamp", "timestamp", "time", "time", "object", "struct", "array", "array", "map", "map");

    /** String formats that are checked, as a pattern and what a value that does not match is not. */
    private static final Map<String, String[]> STRING_FORMATS = Map.of(
            "email", new String[] {"[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "is not an email address"},
            "uuid", new String[] {"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                "is not a UUID"},
            "ipv4", new String[] {"((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                    + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])", "is not an IPv4 address"},
            "hostname", new String[] {"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*", "is not a host name"},
            "byte", new String[] {"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
                "is not base64-encoded"});

    /** String formats that describe how a value is shown or stored, and constrain nothing. */
    private static final Set<String> DESCRIPTIVE_STRING_FORMATS = Set.of("password", "binary");

    /** Number formats (Rust integer and float names) and the range they allow; floats allow any number. */
    private static final Map<String, BigDecimal[]> NUMBER_FORMATS = Map.ofEntries(
            Map.entry("i8", range(Byte.MIN_VALUE, Byte.MAX_VALUE)),
            Map.entry("i16", range(Short.MIN_VALUE, Short.MAX_VALUE)),
            Map.entry("i32", range(Integer.MIN_VALUE, Integer.MAX_VALUE)),
            Map.entry("i64", range(Long.MIN_VALUE, Long.MAX_VALUE)),
            Map.entry("i128", new BigDecimal[] {twoToThe(127).negate(), twoToThe(127).subtract(BigDecimal.ONE)}),
            Map.entry("u8", range(0, 255)),
            Map.entry("u16", range(0, 65_535)),
            Map.entry("u32", range(0, 4_294_967_295L)),
            Map.entry("u64", new BigDecimal[] {BigDecimal.ZERO, twoToThe(64).subtract(BigDecimal.ONE)}),
            Map.entry("u128", new BigDecimal[] {BigDecimal.ZERO, twoToThe(128).subtract(BigDecimal.ONE)}),
            Map.entry("f32", new BigDecimal[0]),
            Map.entry("f64", new BigDecimal[0]));

    private static BigDecimal twoToThe(int n) {
        return new BigDecimal(java.math.BigInteger.TWO.pow(n));
    }

    private static BigDecimal[] range(long min, long max) {
        return new BigDecimal[] {BigDecimal.valueOf(min), BigDecimal.valueOf(max)};
    }

    private static final String PER_RECORD = "compares records with each other";
    private static final String NO_RULE = "Truthline has no record-level rule for it";

    private final List<ContractRule> rules = new ArrayList<>();
    private final List<UnsupportedRule> unsupported = new ArrayList<>();
    private final List<ContractThreshold> thresholds = new ArrayList<>();
    /** Where {@link #add} puts rules: {@link #rules}, or a threshold's checks while they are compiled. */
    private List<ContractRule> target = rules;
    private final Set<String> names = new HashSet<>();

    private OdcsCompiler() {
    }

    /**
     * Compiles the schema object named {@code schemaName}, or the only one when the name is null.
     *
     * @throws InvalidContractException when there is no such schema object, or several and no name
     */
    public static ContractRules compile(OdcsContract contract, String schemaName) {
        int index = select(contract, schemaName);
        OdcsSchemaObject object = contract.schema().get(index);
        String element = "schema[" + index + "]";
        OdcsCompiler compiler = new OdcsCompiler();
        List<OdcsProperty> properties = object.properties() == null ? List.of() : object.properties();
        for (int i = 0; i < properties.size(); i++) {
            compiler.property(properties.get(i), element + ".properties[" + i + "]", null, false);
        }
        List<OdcsQuality> quality = object.quality() == null ? List.of() : object.quality();
        for (int i = 0; i < quality.size(); i++) {
            compiler.quality(quality.get(i), element + ".quality[" + i + "]", "", object.name(), false);
        }
        return new ContractRules(contract.id(), contract.version(), object.name(), compiler.rules,
                compiler.unsupported, compiler.thresholds);
    }

    /** The index of the schema object to compile. */
    private static int select(OdcsContract contract, String schemaName) {
        List<String> available = contract.schemaNames();
        if (available.isEmpty()) {
            throw new InvalidContractException("the contract has no schema objects, so nothing to check record by record");
        }
        if (schemaName == null || schemaName.isBlank()) {
            if (available.size() == 1) {
                return 0;
            }
            throw new InvalidContractException("the contract has " + available.size() + " schema objects " + available
                    + ": name the one to check");
        }
        int index = available.indexOf(schemaName.trim());
        if (index < 0) {
            throw new InvalidContractException("the contract has no schema object named '" + schemaName.trim()
                    + "'; it has " + available);
        }
        return index;
    }

    // ------------------------------------------------------------------------------------------ properties

    /**
     * @param within           the path of the enclosing object, or null at the top level
     * @param requiredByParent whether the parent's {@code logicalTypeOptions.required} lists this property
     */
    private void property(OdcsProperty property, String element, String within, boolean requiredByParent) {
        String field = within == null ? property.name() : within + "." + property.name();
        boolean primaryKey = Boolean.TRUE.equals(property.primaryKey());
        if (property.isRequired() || requiredByParent) {
            add(field + ":required", property.isRequired() ? element + ".required" : element, Source.REQUIRED, field,
                    new Required(within), false);
        } else if (primaryKey) {
            // A key identifies its record, so it is always there.
            add(field + ":required", element + ".primaryKey", Source.PRIMARY_KEY, field, new Required(within), false);
        }
        if (primaryKey) {
            unsupported("primaryKey", field, element + ".primaryKey", "a key is unique, and uniqueness " + PER_RECORD);
        }
        element(property, element, field);
    }

    /** What a property and an array's items have in common: everything but their name and required. */
    private void element(OdcsProperty property, String element, String field) {
        if (Boolean.TRUE.equals(property.unique())) {
            unsupported("unique", field, element + ".unique", PER_RECORD);
        }
        String type = property.logicalType();
        if (type != null) {
            // ISO-8601 text is the standard's default format of dates and times (what JSON records carry).
            boolean isoText = type.equals("date") || type.equals("timestamp") || type.equals("time");
            add(field + ":logicalType", element + ".logicalType", Source.LOGICAL_TYPE, field,
                    new Type(TYPES.get(type), isoText), false);
        }
        if (property.logicalTypeOptions() != null) {
            options(property, property.logicalTypeOptions(), element + ".logicalTypeOptions", field);
        }
        if (property.enumValues() != null) {
            List<Object> values = new ArrayList<>();
            for (OdcsEnumValue value : property.enumValues()) {
                values.add(typed(value.value()));
            }
            add(field + ":enum", element + ".enum", Source.ENUM, field, new In(values, false), false);
        }
        if (property.map() != null) {
            unsupported("map", field, element + ".map", "the keys and values of maps are not checked");
        }
        List<OdcsQuality> quality = property.quality() == null ? List.of() : property.quality();
        for (int i = 0; i < quality.size(); i++) {
            quality(quality.get(i), element + ".quality[" + i + "]", field, field, field.endsWith("]"));
        }
        if (property.properties() != null) {
            List<String> requiredNames = property.logicalTypeOptions() == null
                    || property.logicalTypeOptions().required() == null
                    ? List.of() : property.logicalTypeOptions().required();
            for (int i = 0; i < property.properties().size(); i++) {
                OdcsProperty child = property.properties().get(i);
                property(child, element + ".properties[" + i + "]", field, requiredNames.contains(child.name()));
            }
        }
        if (property.items() != null) {
            items(property.items(), element + ".items", field + "[*]");
        }
    }

    private void items(OdcsProperty items, String element, String field) {
        if (items.isRequired()) {
            unsupported("required", field, element + ".required", "array elements cannot be required one by one");
        }
        element(items, element, field);
    }

    private void options(OdcsProperty property, OdcsTypeOptions options, String element, String field) {
        String type = property.logicalType();
        switch (type) {
            case "integer":
            case "number": {
                OdcsChecksValidator.Bound lower = OdcsChecksValidator.Bound.lower(
                        OdcsChecksValidator.decimal(options.minimum()),
                        OdcsChecksValidator.decimal(options.exclusiveMinimum()));
                OdcsChecksValidator.Bound upper = OdcsChecksValidator.Bound.upper(
                        OdcsChecksValidator.decimal(options.maximum()),
                        OdcsChecksValidator.decimal(options.exclusiveMaximum()));
                if (lower != null || upper != null) {
                    add(field + ":range", element, Source.OPTIONS, field, new Range(
                            lower == null ? null : lower.value(), lower != null && lower.exclusive(),
                            upper == null ? null : upper.value(), upper != null && upper.exclusive()), false);
                }
                if (options.multipleOf() != null) {
                    unsupported("logicalTypeOptions.multipleOf", field, element + ".multipleOf", NO_RULE);
                }
                if (options.format() != null) {
                    BigDecimal[] bounds = NUMBER_FORMATS.get(options.format().toLowerCase(Locale.ROOT));
                    if (bounds == null) {
                        unsupported("logicalTypeOptions.format", field, element + ".format",
                                "unknown number format " + options.format());
                    } else if (bounds.length == 2) {
                        add(field + ":format", element + ".format", Source.FORMAT, field,
                                new Range(bounds[0], false, bounds[1], false), false);
                    }
                }
                break;
            }
            case "string":
                if (options.minLength() != null || options.maxLength() != null) {
                    add(field + ":length", element, Source.OPTIONS, field,
                            new Length(options.minLength(), options.maxLength()), false);
                }
                if (options.pattern() != null) {
                    // JSON Schema's pattern, which ODCS follows, matches anywhere unless anchored with ^...$.
                    add(field + ":pattern", element + ".pattern", Source.PATTERN, field,
                            new Regex(options.pattern(), null, true), false);
                }
                if (options.format() != null) {
                    String format = options.format().toLowerCase(Locale.ROOT);
                    String[] check = STRING_FORMATS.get(format);
                    if (check != null) {
                        add(field + ":format", element + ".format", Source.FORMAT, field,
                                new Regex(check[0], check[1], false), false);
                    } else if (!DESCRIPTIVE_STRING_FORMATS.contains(format)) {
                        unsupported("logicalTypeOptions.format", field, element + ".format",
                                "the string format " + options.format() + " is not checked");
                    }
                }
                break;
            case "date":
            case "timestamp":
            case "time":
                for (String bound : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
                    if (OdcsChecksValidator.present(options).containsKey(bound)) {
                        unsupported("logicalTypeOptions." + bound, field, element + "." + bound,
                                "bounds on dates and times are not checked");
                    }
                }
                if (options.format() != null) {
                    unsupported("logicalTypeOptions.format", field, element + ".format",
                            "text formats of dates and times are not checked");
                }
                break;
            case "array":
                if (options.minItems() != null || options.maxItems() != null) {
                    add(field + ":length", element, Source.OPTIONS, field,
                            new Length(options.minItems(), options.maxItems()), false);
                }
                if (Boolean.TRUE.equals(options.uniqueItems())) {
                    unsupported("logicalTypeOptions.uniqueItems", field, element + ".uniqueItems", NO_RULE);
                }
                break;
            case "object":
                if (options.minProperties() != null) {
                    unsupported("logicalTypeOptions.minProperties", field, element + ".minProperties", NO_RULE);
                }
                if (options.maxProperties() != null) {
                    unsupported("logicalTypeOptions.maxProperties", field, element + ".maxProperties", NO_RULE);
                }
                break;
            default:
                // boolean and map take no options; the checks have rejected any.
        }
        for (String key : options.other().keySet()) {
            unsupported("logicalTypeOptions." + key, field, element + "." + key, "not an ODCS option Truthline knows");
        }
    }

    // ------------------------------------------------------------------------------------------ quality

    /**
     * @param field   the field path, empty for object-level rules
     * @param subject what the rule is about in reports: the field, or the schema object's name
     * @param element whether {@code field} addresses array elements ({@code ...[*]})
     */
    private void quality(OdcsQuality quality, String element, String field, String subject, boolean arrayElements) {
        boolean warning = isWarning(quality.severity());
        String prefix = subject + ":";
        switch (quality.typeOrDefault()) {
            case OdcsQuality.TEXT:
                return; // a description for people
            case OdcsQuality.SQL:
                unsupported("sql", subject, element, "runs a query against stored data");
                return;
            case OdcsQuality.CUSTOM:
                if (quality.engine().trim().equalsIgnoreCase("cel")) {
                    add(prefix + (quality.id() != null ? quality.id() : "cel"), element + ".implementation",
                            Source.IMPLEMENTATION, "", new Cel(((String) quality.implementation()).trim()), warning);
                } else {
                    unsupported("custom:" + quality.engine(), subject, element,
                            "rules of engine " + quality.engine() + " do not run in Truthline (only cel does)");
                }
                return;
            default:
                library(quality, element, field, subject, arrayElements, warning);
        }
    }

    private void library(OdcsQuality quality, String element, String field, String subject, boolean arrayElements,
            boolean warning) {
        String metric = quality.metricName();
        String name = subject + ":" + (quality.id() != null ? quality.id() : metric);
        switch (metric) {
            case "nullValues":
            case "invalidValues":
            case "validValues":
            case "missingValues": {
                if (field.isEmpty()) {
                    unsupported(metric, subject, element, "counts values of a property, and names none here");
                    return;
                }
                String threshold = threshold(quality);
                if (threshold != null) {
                    unsupported(metric, subject, element, "allows some records to fail (" + threshold
                            + "); only a threshold of zero can be checked record by record");
                    countable(quality, metric, element, field, name, arrayElements, warning);
                    return;
                }
                recordChecks(quality, metric, element, field, name, arrayElements, warning);
                return;
            }
            case "duplicateValues":
            case "duplicateCount":
                unsupported(metric, subject, element, PER_RECORD);
                return;
            case "rowCount":
                unsupported(metric, subject, element, "counts all the records");
                return;
            default:
                unsupported(metric, subject, element, "not a library metric Truthline knows");
        }
    }

    /**
     * A rule with a threshold that its failures can be counted against (see {@link ContractThreshold}): its
     * record-level checks, as warnings, kept aside. Not when the checks cannot be compiled, nor for a threshold
     * other than {@code mustBeLessThan}/{@code mustBeLessOrEqualTo} above zero in rows or percent.
     */
    private void countable(OdcsQuality quality, String metric, String element, String field, String name,
            boolean arrayElements, boolean warning) {
        if (metric.equals("validValues")) {
            return; // not a metric of ODCS v3.1's library: its thresholds count the valid ones
        }
        String unit = quality.unit() == null ? "rows" : quality.unit().trim().toLowerCase(Locale.ROOT);
        ContractThreshold.Comparison comparison = quality.mustBeLessThan() != null
                ? ContractThreshold.Comparison.LESS_THAN
                : quality.mustBeLessOrEqualTo() != null ? ContractThreshold.Comparison.LESS_OR_EQUAL_TO : null;
        BigDecimal limit = quality.mustBeLessThan() != null ? quality.mustBeLessThan() : quality.mustBeLessOrEqualTo();
        if (comparison == null || limit.signum() <= 0 || !(unit.equals("rows") || unit.equals("percent"))
                || OdcsChecksValidator.operators(quality).size() != 1) {
            return;
        }
        int position = rules.size();
        int unsupportedBefore = unsupported.size();
        List<ContractRule> checks = new ArrayList<>();
        target = checks;
        try {
            recordChecks(quality, metric, element, field, name, arrayElements, true);
        } finally {
            target = rules;
        }
        if (checks.isEmpty() || unsupported.size() != unsupportedBefore) {
            return;
        }
        thresholds.add(new ContractThreshold(checks.get(0).name(), metric, element, field, comparison, limit,
                unit.equals("percent"), warning, checks, position));
    }

    /** The record-level checks of a nullValues, missingValues, invalidValues or validValues rule. */
    private void recordChecks(OdcsQuality quality, String metric, String element, String field, String name,
            boolean arrayElements, boolean warning) {
        if (metric.equals("nullValues")) {
            if (arrayElements) {
                unsupported(metric, field, element, "array elements cannot be required one by one");
                return;
            }
            int dot = field.lastIndexOf('.');
            add(name, element, Source.QUALITY, field, new Required(dot < 0 ? null : field.substring(0, dot)), warning);
            return;
        }
        if (metric.equals("missingValues")) {
            missingValues(quality, element, field, name, arrayElements, warning);
            return;
        }
        Object validValues = quality.validValuesArgument();
        if (validValues != null) {
            add(name, element, Source.QUALITY, field, new In(typedValues((List<?>) validValues), false), warning);
        }
        Object pattern = quality.patternArgument();
        if (pattern != null) {
            add(name, element, Source.QUALITY, field, new Regex((String) pattern, null, true), warning);
        }
    }

    /**
     * Null when the rule tolerates no failing record (no comparison, {@code mustBe: 0},
     * {@code mustBeLessOrEqualTo: 0}, or fewer than one row); else the comparison, for the report.
     */
    private static String threshold(OdcsQuality quality) {
        boolean percent = quality.unit() != null && quality.unit().trim().equalsIgnoreCase("percent");
        String unit = quality.unit() == null ? "" : " " + quality.unit().trim();
        if (quality.mustBe() != null) {
            BigDecimal value = OdcsChecksValidator.decimal(quality.mustBe());
            return value != null && value.signum() == 0 ? null : "mustBe: " + quality.mustBe() + unit;
        }
        if (quality.mustBeLessOrEqualTo() != null) {
            return quality.mustBeLessOrEqualTo().signum() == 0 ? null
                    : "mustBeLessOrEqualTo: " + quality.mustBeLessOrEqualTo().toPlainString() + unit;
        }
        if (quality.mustBeLessThan() != null) {
            BigDecimal value = quality.mustBeLessThan();
            boolean zero = !percent && value.signum() > 0 && value.compareTo(BigDecimal.ONE) <= 0;
            return zero ? null : "mustBeLessThan: " + value.toPlainString() + unit;
        }
        List<String> operators = OdcsChecksValidator.operators(quality);
        return operators.isEmpty() ? null : operators.get(0);
    }

    private static boolean isWarning(String severity) {
        if (severity == null) {
            return false;
        }
        String s = severity.trim().toLowerCase(Locale.ROOT);
        return s.equals("warning") || s.equals("warn") || s.equals("info");
    }

    /**
     * {@code missingValues}: the values that count as missing ({@code null} among them makes a null or absent
     * value missing too); with a threshold of zero, a record whose value is one of them fails.
     */
    private void missingValues(OdcsQuality quality, String element, String field, String name, boolean arrayElements,
            boolean warning) {
        Object listed = quality.arguments() == null ? null : quality.arguments().get("missingValues");
        if (!(listed instanceof List)) {
            unsupported("missingValues", field, element, "names no arguments.missingValues to check");
            return;
        }
        List<?> values = (List<?>) listed;
        if (values.contains(null)) {
            if (arrayElements) {
                unsupported("missingValues", field, element, "array elements cannot be required one by one");
            } else {
                int dot = field.lastIndexOf('.');
                add(name, element, Source.QUALITY, field, new Required(dot < 0 ? null : field.substring(0, dot)),
                        warning);
            }
        }
        List<Object> present = typedValues(values);
        if (!present.isEmpty()) {
            add(name, element, Source.QUALITY, field, new In(present, true), warning);
        }
    }

    /** The listed values but null, each with its type as written: text, a number, a boolean. */
    private static List<Object> typedValues(List<?> values) {
        List<Object> typed = new ArrayList<>();
        for (Object value : values) {
            if (value != null) {
                typed.add(typed(value));
            }
        }
        return typed;
    }

    /** A value as written: numbers as decimals (2 and 2.0 are one value), strings and booleans as they are. */
    private static Object typed(Object value) {
        BigDecimal number = OdcsChecksValidator.decimal(value);
        return number != null ? number : value;
    }

    // ------------------------------------------------------------------------------------------ output

    private void add(String name, String element, Source source, String field, Check check, boolean warning) {
        String unique = name;
        for (int n = 2; !names.add(unique); n++) {
            unique = name + "#" + n;
        }
        target.add(new ContractRule(unique, element, source, field, check, warning));
    }

    private void unsupported(String rule, String field, String element, String reason) {
        unsupported.add(new UnsupportedRule(rule, field, element, reason));
    }
}
