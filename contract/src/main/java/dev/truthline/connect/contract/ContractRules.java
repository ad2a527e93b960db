package dev.truthline.connect.contract;

import java.util.List;

/**
 * What one schema object of a contract asks of each record.
 *
 * @param id          the contract's id
 * @param version     the contract's version
 * @param schema      the name of the schema object
 * @param rules       the checks that run on every record, in document order
 * @param unsupported what the contract asks for that cannot be checked record by record, in document order
 */
public record ContractRules(String id, String version, String schema, List<ContractRule> rules,
        List<UnsupportedRule> unsupported) {

    public ContractRules {
        rules = List.copyOf(rules);
        unsupported = List.copyOf(unsupported);
    }
}
