package dev.truthline.connect.validation;

import java.util.List;
import java.util.Set;

import dev.truthline.connect.contract.ContractRule;

/**
 * One kind of rule, declared once, beside the rule class that checks it: its label in
 * {@code rules.<name>.type}, the parameters it takes, how it is built from the connector's
 * {@code rules.<name>.*} keys, and which check of a contract it enforces and how it is built from that.
 * {@link RuleDefinitions} derives the accepted labels and the per-type parameter checks from these
 * declarations; adding a rule type is writing one.
 */
abstract class RuleType {

    /** The rule types of Truthline, in the order the docs list them. */
    static List<RuleType> all() {
        return All.TYPES;
    }

    /**
     * Holds the list apart from this class, so it is built on first use: each rule class declares its type as a
     * subclass of this one, and a rule class initialised first (a CEL rule built directly, say) must not find a
     * list of types that refers back to its own, not yet assigned, {@code TYPE}.
     */
    private static final class All {
        static final List<RuleType> TYPES = List.of(RequiredRule.TYPE, TypeRule.TYPE, RangeRule.TYPE, RegexRule.TYPE,
                InRule.TYPE, LengthRule.TYPE, IsoCodeRule.COUNTRY, IsoCodeRule.CURRENCY, CelRule.TYPE);
    }

    private final String label;
    private final Set<String> parameters;
    private final Class<? extends ContractRule.Check> check;

    /**
     * @param check      the contract check this type enforces, or null when contracts never ask for it
     * @param parameters the keys it takes below {@code rules.<name>.}, besides type, message and severity
     */
    RuleType(String label, Class<? extends ContractRule.Check> check, String... parameters) {
        this.label = label;
        this.check = check;
        this.parameters = Set.of(parameters);
    }

    final String label() {
        return label;
    }

    final Set<String> parameters() {
        return parameters;
    }

    /** Whether this type builds the rules of a contract check of this kind. */
    final boolean enforces(ContractRule.Check contractCheck) {
        return check != null && check.isInstance(contractCheck);
    }

    /**
     * Builds the rule that {@code rules.<name>.*} configures.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the full key of the first mistake
     */
    abstract Rule fromConfig(RuleConfig config);

    /**
     * Builds the rule a contract asks for, with the same semantics as the inline rule of this type.
     *
     * @throws IllegalArgumentException saying why it cannot be built (a pattern or expression that does not compile)
     */
    Rule fromContract(ContractRule rule, RuleSeverity severity) {
        throw new IllegalStateException("rule type " + label + " is not built from contracts");
    }

    /**
     * Whether a rule of this type built from {@code a} refuses a value that one built from {@code b}
     * accepts. By default two checks are told apart by equality only: different ones cannot be proven
     * compatible, so each refuses something the other accepts.
     *
     * @param integersOnly whether the values in question are integers only (the field's type says so)
     */
    boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
        return !a.equals(b);
    }

    /** How a newer check of this type compares with an older one; see {@link RuleCompatibility}. */
    final RuleCompatibility compare(ContractRule.Check older, ContractRule.Check newer, boolean olderIntegersOnly,
            boolean newerIntegersOnly) {
        return RuleCompatibility.of(refusesMore(newer, older, olderIntegersOnly),
                refusesMore(older, newer, newerIntegersOnly));
    }
}
