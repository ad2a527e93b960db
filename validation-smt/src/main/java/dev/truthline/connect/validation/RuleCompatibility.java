package dev.truthline.connect.validation;

import java.util.List;

import dev.truthline.connect.contract.ContractRule;

/**
 * How a newer version of a rule compares with an older one, as the rule's own type judges it
 * ({@code RuleType#refusesMore}, declared beside each rule class): whether the newer one refuses a
 * value the older one accepts (it is <em>tighter</em>), accepts one the older one refuses (it is
 * <em>looser</em>), neither, or both (it cannot be proven compatible).
 */
public enum RuleCompatibility {
    EQUAL, TIGHTER, LOOSER, UNPROVABLE;

    /** Whether the newer rule refuses a value the older one accepts (this breaks BACKWARD). */
    public boolean tightens() {
        return this == TIGHTER || this == UNPROVABLE;
    }

    /** Whether the newer rule accepts a value the older one refuses (this breaks FORWARD). */
    public boolean loosens() {
        return this == LOOSER || this == UNPROVABLE;
    }

    static RuleCompatibility of(boolean tightens, boolean loosens) {
        if (tightens) {
            return loosens ? UNPROVABLE : TIGHTER;
        }
        return loosens ? LOOSER : EQUAL;
    }

    /**
     * Compares two contract checks of the same kind, judged by the rule type that enforces them.
     * A check that leaves a bound open passes null for it ({@code Range(null, false, 10, false)}).
     *
     * @param olderIntegersOnly whether the older version's field takes integers only (so bounds compare on integers)
     * @param newerIntegersOnly the same for the newer version
     * @throws IllegalArgumentException when the checks are of different kinds
     */
    public static RuleCompatibility of(ContractRule.Check older, ContractRule.Check newer, boolean olderIntegersOnly,
            boolean newerIntegersOnly) {
        return of(older, newer, olderIntegersOnly, newerIntegersOnly, RuleType.all());
    }

    static RuleCompatibility of(ContractRule.Check older, ContractRule.Check newer, boolean olderIntegersOnly,
            boolean newerIntegersOnly, List<RuleType> types) {
        if (older.getClass() != newer.getClass()) {
            throw new IllegalArgumentException("cannot compare a " + older.getClass().getSimpleName() + " check with a "
                    + newer.getClass().getSimpleName() + " check");
        }
        for (RuleType type : types) {
            if (type.enforces(older)) {
                return type.compare(older, newer, olderIntegersOnly, newerIntegersOnly);
            }
        }
        throw new IllegalArgumentException("no rule type enforces " + older.getClass().getSimpleName() + " checks");
    }
}
