package dev.truthline.cli.contracts;

import static dev.truthline.cli.contracts.OdcsCompatibility.*;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

import dev.truthline.connect.contract.ContractRule;

/**
 * Rules of one kind in both versions: those with the same text in both are unchanged; of the rest,
 * those with the same name are changed, and what is left is added or removed.
 */
final class RulePairs {
    final List<ContractRule[]> changed = new ArrayList<>();
    final List<ContractRule> added = new ArrayList<>();
    final List<ContractRule> removed = new ArrayList<>();

    /**
     * @param pairRest whether rules left over on both sides are paired as changed too (the patterns of one
     *                 field: one replaced by another), rather than added and removed
     */
    static RulePairs of(List<ContractRule> before, List<ContractRule> after, Function<ContractRule, String> text,
            boolean pairRest) {
        RulePairs pairs = new RulePairs();
        List<ContractRule> left = new ArrayList<>(before);
        List<ContractRule> right = new ArrayList<>(after);
        takeMatches(left, right, (a, b) -> text.apply(a).equals(text.apply(b)), null);
        takeMatches(left, right, (a, b) -> a.name().equals(b.name()), pairs.changed);
        while (pairRest && !left.isEmpty() && !right.isEmpty()) {
            pairs.changed.add(new ContractRule[] {left.remove(0), right.remove(0)});
        }
        pairs.added.addAll(right);
        pairs.removed.addAll(left);
        return pairs;
    }

    private static void takeMatches(List<ContractRule> left, List<ContractRule> right,
            BiPredicate<ContractRule, ContractRule> same, List<ContractRule[]> matched) {
        for (Iterator<ContractRule> it = left.iterator(); it.hasNext();) {
            ContractRule a = it.next();
            for (Iterator<ContractRule> jt = right.iterator(); jt.hasNext();) {
                ContractRule b = jt.next();
                if (same.test(a, b)) {
                    if (matched != null) {
                        matched.add(new ContractRule[] {a, b});
                    }
                    it.remove();
                    jt.remove();
                    break;
                }
            }
        }
    }
}
