package dev.truthline.connect.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one schema object of a contract asks of each record.
 *
 * @param id          the contract's id
 * @param version     the contract's version
 * @param schema      the name of the schema object
 * @param rules       the checks that run on every record, in document order
 * @param unsupported what the contract asks for that cannot be checked record by record, in document order
 * @param thresholds  the rules among {@code unsupported} that tolerate some failing records and can be counted
 *                    record by record instead ({@link #withThresholdsAsWarnings()})
 */
public record ContractRules(String id, String version, String schema, List<ContractRule> rules,
        List<UnsupportedRule> unsupported, List<ContractThreshold> thresholds) {

    public ContractRules {
        rules = List.copyOf(rules);
        unsupported = List.copyOf(unsupported);
        thresholds = List.copyOf(thresholds);
    }

    public ContractRules(String id, String version, String schema, List<ContractRule> rules,
            List<UnsupportedRule> unsupported) {
        this(id, version, schema, rules, unsupported, List.of());
    }

    /**
     * These rules with each threshold's checks among them as warnings (in document order) and the thresholds no
     * longer unsupported: every record is checked and its failures counted, none fails for them; the thresholds
     * themselves become alert rules over those counts.
     */
    public ContractRules withThresholdsAsWarnings() {
        List<ContractRule> merged = new ArrayList<>(rules);
        for (int i = thresholds.size() - 1; i >= 0; i--) { // positions count the rules before each threshold
            merged.addAll(thresholds.get(i).position(), thresholds.get(i).rules());
        }
        Set<String> counted = thresholds.stream().map(ContractThreshold::element).collect(Collectors.toSet());
        List<UnsupportedRule> left = unsupported.stream().filter(u -> !counted.contains(u.element())).toList();
        return new ContractRules(id, version, schema, merged, left, thresholds);
    }
}
