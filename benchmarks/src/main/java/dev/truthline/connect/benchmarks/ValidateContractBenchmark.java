package dev.truthline.connect.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.truthline.connect.benchmarks.OrderData.Defect;
import dev.truthline.connect.validation.CelRuleRunner;
import dev.truthline.connect.validation.ValidateContract;
import io.debezium.transforms.Filter;

/**
 * Cost per record of validating one 12-field order against the same eight checks: ValidateContract
 * with eight inline rules, ValidateContract with one CEL rule, ValidateContract with the checks as a
 * Bean Validation class, a hand-written predicate (the floor), and Debezium's Groovy scripting Filter
 * (the usual alternative).
 *
 * <p>All of them read the same {@value OrderData#SIZE} non-null records in the same order, ~10% of
 * them invalid in one field (see {@link OrderData}). Scores are average time per record in ns/op;
 * records per second on one thread = 1e9 / score. Every {@code @Setup} first checks that its
 * subject really judges the records as expected, so a misconfigured transform fails the run
 * instead of measuring nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ValidateContractBenchmark {

    static final String CONTRACT_ID = "orders";
    static final String CONTRACT_VERSION = "1";
    static final String CONTRACT_LABEL = CONTRACT_ID + "@" + CONTRACT_VERSION;

    /** The CEL rule of {@link #validateContractCel}: fails {@link Defect#failsCel()} records only. */
    static final String CEL_EXPR = "value.amount >= 0 && value.currency in ['EUR', 'USD', 'GBP'] && value.quantity > 0";

    /**
     * The Groovy condition of {@link #groovyScriptingFilter}: the eight checks, true for a valid record
     * (Filter keeps a record when the condition is true). Written to give Groovy its best case: the
     * sets and the pattern are built once, in static fields of the compiled script class, and
     * {@code value} (the Struct; {@code value.x} calls {@code Struct.get("x")}) is read from the
     * bindings once.
     */
    static final String GROOVY_CONDITION = String.join("\n",
            "@groovy.transform.Field static final Set STATUSES = ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as Set",
            "@groovy.transform.Field static final Set CURRENCIES = java.util.Currency.availableCurrencies*.currencyCode as Set",
            "@groovy.transform.Field static final Set COUNTRIES = java.util.Locale.getISOCountries() as Set",
            "@groovy.transform.Field static final java.util.regex.Pattern SKU = ~/[A-Z]{3}-[0-9]{4}/",
            "def v = value",
            "def amount = v.amount",
            "def email = v.email",
            "v.order_id != null",
            "  && (amount == null || (amount >= 0 && amount <= 100000))",
            "  && (v.status == null || v.status in STATUSES)",
            "  && (v.currency == null || v.currency in CURRENCIES)",
            "  && (v.country == null || v.country in COUNTRIES)",
            "  && (v.sku == null || SKU.matcher(v.sku).matches())",
            "  && (email == null || email.codePointCount(0, email.length()) in 3..254)",
            "  && (v.quantity == null || v.quantity instanceof Integer)");

    /**
     * The Groovy condition of {@link #groovyScriptingFilterPlain}: the same eight checks written the
     * plain way a Filter condition usually is, as one expression with its lists, ISO tables and
     * pattern inline (evaluated on every record).
     */
    static final String GROOVY_PLAIN_CONDITION = String.join("\n",
            "value.order_id != null",
            "  && (value.amount == null || (value.amount >= 0 && value.amount <= 100000))",
            "  && (value.status == null || value.status in ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'])",
            "  && (value.currency == null || value.currency in java.util.Currency.availableCurrencies*.currencyCode)",
            "  && (value.country == null || value.country in java.util.Locale.getISOCountries())",
            "  && (value.sku == null || value.sku ==~ /[A-Z]{3}-[0-9]{4}/)",
            "  && (value.email == null || value.email.codePointCount(0, value.email.length()) in 3..254)",
            "  && (value.quantity == null || value.quantity instanceof Integer)");

    /** The connector configuration of {@link #validateContract8Rules}. */
    static Map<String, String> eightRules() {
        Map<String, String> props = baseConfig();
        props.put("rules", "order_id_required,amount_range,status_in,currency_iso,country_iso,sku_format,"
                + "email_length,quantity_type");
        rule(props, "order_id_required", "required", "order_id");
        rule(props, "amount_range", "range", "amount");
        props.put("rules.amount_range.min", "0");
        props.put("rules.amount_range.max", "100000");
        rule(props, "status_in", "in", "status");
        props.put("rules.status_in.values", String.join(",", OrderData.STATUSES));
        rule(props, "currency_iso", "iso_currency", "currency");
        rule(props, "country_iso", "iso_country", "country");
        rule(props, "sku_format", "regex", "sku");
        props.put("rules.sku_format.pattern", "[A-Z]{3}-[0-9]{4}");
        rule(props, "email_length", "length", "email");
        props.put("rules.email_length.min", "3");
        props.put("rules.email_length.max", "254");
        rule(props, "quantity_type", "type", "quantity");
        props.put("rules.quantity_type.expected", "int");
        return props;
    }

    /** The connector configuration of {@link #validateContractBeanClass}: the eight checks as {@link OrderContract}. */
    static Map<String, String> beanClass() {
        Map<String, String> props = baseConfig();
        props.put("contract.class", OrderContract.class.getName());
        return props;
    }

    /** The rule {@link #beanClass()} reports for each defect: the constraint that catches it. */
    static String beanRule(Defect defect) {
        switch (defect) {
            case ORDER_ID_NULL:
                return "bean:NotNull";
            case AMOUNT_NEGATIVE:
                return "bean:DecimalMin";
            case AMOUNT_TOO_HIGH:
                return "bean:DecimalMax";
            case STATUS_UNKNOWN:
            case SKU_MALFORMED:
                return "bean:Pattern";
            case CURRENCY_NOT_ISO:
                return "bean:IsoCurrency";
            case COUNTRY_NOT_ISO:
                return "bean:IsoCountry";
            case EMAIL_TOO_SHORT:
                return "bean:Size";
            default:
                return null;
        }
    }

    /** The connector configuration of {@link #validateContractCel}. */
    static Map<String, String> celRule() {
        Map<String, String> props = baseConfig();
        props.put("rules", "order_rules");
        props.put("rules.order_rules.type", "cel");
        props.put("rules.order_rules.expr", CEL_EXPR);
        return props;
    }

    private static Map<String, String> baseConfig() {
        Map<String, String> props = new HashMap<>();
        props.put("contract.id", CONTRACT_ID);
        props.put("contract.version", CONTRACT_VERSION);
        // Invalid records are tagged and passed on, so the benchmark sees no exceptions.
        props.put("on.failure", "tag");
        return props;
    }

    private static void rule(Map<String, String> props, String name, String type, String field) {
        props.put("rules." + name + ".type", type);
        props.put("rules." + name + ".field", field);
    }

    /** The records and the cursor over them. One per thread, as one Connect task runs one transform chain. */
    @State(Scope.Thread)
    public static class Input {
        SinkRecord[] records;
        int next;

        @Setup(Level.Trial)
        public void setup() {
            records = OrderData.get().records;
        }

        SinkRecord next() {
            return records[next++ & OrderData.MASK];
        }
    }

    @State(Scope.Thread)
    public static class EightRules {
        ValidateContract.Value<SinkRecord> smt;

        @Setup(Level.Trial)
        public void setup() {
            smt = new ValidateContract.Value<>();
            smt.configure(eightRules());
            Checks.validateContract("validateContract8Rules", smt, d -> d != Defect.NONE, d -> d.rule);
        }

        @TearDown(Level.Trial)
        public void close() {
            smt.close();
        }
    }

    @State(Scope.Thread)
    public static class CelRule {
        ValidateContract.Value<SinkRecord> smt;

        @Setup(Level.Trial)
        public void setup() {
            smt = new ValidateContract.Value<>();
            smt.configure(celRule());
            Checks.validateContract("validateContractCel", smt, Defect::failsCel, d -> "order_rules");
        }

        @TearDown(Level.Trial)
        public void close() {
            smt.close();
        }
    }

    /** The CEL rule alone, on the compiled checks and on cel-java, each checked to judge every record as expected. */
    @State(Scope.Thread)
    public static class CelPaths {
        CelRuleRunner compiled;
        CelRuleRunner celJava;

        @Setup(Level.Trial)
        public void setup() {
            compiled = CelRuleRunner.compiled("order_rules", CEL_EXPR);
            celJava = CelRuleRunner.celJava("order_rules", CEL_EXPR);
            OrderData data = OrderData.get();
            for (int i = 0; i < OrderData.SIZE; i++) {
                int expected = data.defects[i].failsCel() ? 1 : 0;
                if (compiled.violations(data.records[i]) != expected || celJava.violations(data.records[i]) != expected) {
                    throw new IllegalStateException("celRule is misconfigured: record " + i + " (defect "
                            + data.defects[i] + ") is not judged as expected");
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class BeanClass {
        ValidateContract.Value<SinkRecord> smt;

        @Setup(Level.Trial)
        public void setup() {
            smt = new ValidateContract.Value<>();
            smt.configure(beanClass());
            Checks.validateContract("validateContractBeanClass", smt, d -> d != Defect.NONE,
                    ValidateContractBenchmark::beanRule);
        }

        @TearDown(Level.Trial)
        public void close() {
            smt.close();
        }
    }

    @State(Scope.Thread)
    public static class Floor {
        HandWrittenOrderCheck check;

        @Setup(Level.Trial)
        public void setup() {
            check = new HandWrittenOrderCheck(OrderData.VALUE_SCHEMA, CONTRACT_LABEL);
            Checks.tagging("handWrittenFloor", check::apply, d -> d != Defect.NONE, null);
        }
    }

    /** Debezium's scripting Filter with a Groovy condition, checked to keep exactly the valid records. */
    static Filter<SinkRecord> groovyFilter(String benchmark, String condition) {
        Filter<SinkRecord> filter = new Filter<>();
        Map<String, String> props = new HashMap<>();
        props.put("language", "jsr223.groovy");
        props.put("condition", condition);
        filter.configure(props);
        Checks.filtering(benchmark, filter);
        return filter;
    }

    @State(Scope.Thread)
    public static class Groovy {
        Filter<SinkRecord> filter;

        @Setup(Level.Trial)
        public void setup() {
            filter = groovyFilter("groovyScriptingFilter", GROOVY_CONDITION);
        }

        @TearDown(Level.Trial)
        public void close() {
            filter.close();
        }
    }

    @State(Scope.Thread)
    public static class GroovyPlain {
        Filter<SinkRecord> filter;

        @Setup(Level.Trial)
        public void setup() {
            filter = groovyFilter("groovyScriptingFilterPlain", GROOVY_PLAIN_CONDITION);
        }

        @TearDown(Level.Trial)
        public void close() {
            filter.close();
        }
    }

    /** a. ValidateContract$Value, eight inline built-in rules, on.failure=tag. */
    @Benchmark
    public SinkRecord validateContract8Rules(Input in, EightRules s) {
        return s.smt.apply(in.next());
    }

    /** b. ValidateContract$Value, one CEL rule, on.failure=tag. */
    @Benchmark
    public SinkRecord validateContractCel(Input in, CelRule s) {
        return s.smt.apply(in.next());
    }

    /** b1. The CEL rule of b alone (no SMT around it), as compiled checks. */
    @Benchmark
    public int celRuleCompiled(Input in, CelPaths s) {
        return s.compiled.violations(in.next());
    }

    /** b1'. The same rule on the same records on cel-java: b1's baseline. */
    @Benchmark
    public int celRuleCelJava(Input in, CelPaths s) {
        return s.celJava.violations(in.next());
    }

    /**
     * b2. ValidateContract$Value with the eight checks as a Bean Validation class (contract.class): each record
     * is bound to {@link OrderContract} with Jackson and validated with Hibernate Validator.
     */
    @Benchmark
    public SinkRecord validateContractBeanClass(Input in, BeanClass s) {
        return s.smt.apply(in.next());
    }

    /** c. The same eight checks by hand, plus copying headers, two header writes and newRecord. */
    @Benchmark
    public SinkRecord handWrittenFloor(Input in, Floor s) {
        return s.check.apply(in.next());
    }

    /** d. Debezium's scripting Filter with the eight checks in Groovy: returns the record, or null to drop it. */
    @Benchmark
    public SinkRecord groovyScriptingFilter(Input in, Groovy s) {
        return s.filter.apply(in.next());
    }

    /** e. As d, with the condition written plainly (lists and ISO tables inline). */
    @Benchmark
    public SinkRecord groovyScriptingFilterPlain(Input in, GroovyPlain s) {
        return s.filter.apply(in.next());
    }

    /** The setup-time checks that keep a misconfigured subject from being measured. */
    static final class Checks {

        private Checks() {
        }

        interface ExpectedInvalid {
            boolean test(Defect defect);
        }

        interface ExpectedRule {
            String of(Defect defect);
        }

        interface Subject {
            SinkRecord apply(SinkRecord record);
        }

        /** A ValidateContract must tag every record with the right status, contract and failed rule. */
        static void validateContract(String benchmark, Transformation<SinkRecord> smt, ExpectedInvalid invalid,
                ExpectedRule rule) {
            tagging(benchmark, smt::apply, invalid, rule);
        }

        static void tagging(String benchmark, Subject subject, ExpectedInvalid invalid, ExpectedRule rule) {
            OrderData data = OrderData.get();
            int invalids = 0;
            for (int i = 0; i < OrderData.SIZE; i++) {
                SinkRecord in = data.records[i];
                int headersBefore = count(in);
                SinkRecord out = subject.apply(in);
                Defect defect = data.defects[i];
                boolean expectInvalid = invalid.test(defect);
                invalids += expectInvalid ? 1 : 0;
                if (out == null) {
                    fail(benchmark, i, defect, "returned null; on.failure=tag must pass every record on");
                }
                if (out.value() != in.value() || !in.topic().equals(out.topic())) {
                    fail(benchmark, i, defect, "changed the value or the topic");
                }
                if (count(in) != headersBefore) {
                    fail(benchmark, i, defect, "wrote into the input record's headers");
                }
                expectHeader(benchmark, i, defect, out, "dq.status", expectInvalid ? "invalid" : "valid");
                expectHeader(benchmark, i, defect, out, "dq.contract", CONTRACT_LABEL);
                if (rule != null) {
                    expectHeader(benchmark, i, defect, out, "dq.rules", expectInvalid ? rule.of(defect) : null);
                }
            }
            if (invalids == 0 || invalids == OrderData.SIZE) {
                throw new IllegalStateException(benchmark + ": expected a mix of valid and invalid records, got "
                        + invalids + " invalid of " + OrderData.SIZE);
            }
        }

        /** The Groovy Filter must keep every valid record (the same instance) and drop every invalid one. */
        static void filtering(String benchmark, Transformation<SinkRecord> filter) {
            OrderData data = OrderData.get();
            for (int i = 0; i < OrderData.SIZE; i++) {
                SinkRecord in = data.records[i];
                Defect defect = data.defects[i];
                SinkRecord out = filter.apply(in);
                if (defect == Defect.NONE && out != in) {
                    fail(benchmark, i, defect, "dropped or replaced a valid record");
                }
                if (defect != Defect.NONE && out != null) {
                    fail(benchmark, i, defect, "kept an invalid record");
                }
            }
        }

        private static void expectHeader(String benchmark, int i, Defect defect, SinkRecord out, String name,
                String expected) {
            Header header = out.headers().lastWithName(name);
            Object actual = header == null ? null : header.value();
            if (expected == null ? actual != null : !expected.equals(actual)) {
                fail(benchmark, i, defect, "header " + name + " is " + actual + ", expected " + expected);
            }
        }

        private static int count(SinkRecord record) {
            return record.headers().size();
        }

        private static void fail(String benchmark, int i, Defect defect, String problem) {
            throw new IllegalStateException(benchmark + " is misconfigured: record " + i + " (defect " + defect
                    + ") " + problem);
        }
    }
}
