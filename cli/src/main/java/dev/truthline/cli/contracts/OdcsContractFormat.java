package dev.truthline.cli.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import dev.truthline.connect.validation.ValidateContract;
import dev.truthline.connect.validation.contract.ContractRules;
import dev.truthline.connect.validation.contract.OdcsCompiler;
import dev.truthline.connect.validation.contract.UnsupportedRule;

/**
 * ODCS v3 data contracts ({@code .odcs.yaml}, {@code .odcs.yml}), read and compiled exactly as
 * ValidateContract reads {@code contract.file}: valid means a worker would accept the contract, every
 * rule included. Changes are judged by {@link OdcsCompatibility}.
 */
final class OdcsContractFormat implements ContractFormat {

    private static final String CONTRACT_TEXT = "contract.text";

    /**
     * ValidateContract's own check of a contract's text: every rule it compiles to can be built (RE2
     * patterns, CEL expressions that compile), as Connect's config/validate would check it.
     */
    private static final ConfigDef.Validator RULES_BUILD =
            new ValidateContract.Value().config().configKeys().get(CONTRACT_TEXT).validator;

    private static final String CONFIG_PREFIX = "Invalid contract in configuration " + CONTRACT_TEXT + ": ";

    @Override
    public String description() {
        return "ODCS v3 data contract";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.endsWith(".odcs.yaml") || fileName.endsWith(".odcs.yml");
    }

    @Override
    public String validate(String text) throws ContractException {
        OdcsDocument document = OdcsDocument.parse(text, "");
        try {
            RULES_BUILD.ensureValid(CONTRACT_TEXT, text);
        } catch (ConfigException e) {
            String message = String.valueOf(e.getMessage());
            throw new ContractException.Invalid("a rule cannot be built: "
                    + (message.startsWith(CONFIG_PREFIX) ? message.substring(CONFIG_PREFIX.length()) : message), e);
        }
        List<String> objects = new ArrayList<>();
        List<UnsupportedRule> unsupported = new ArrayList<>();
        for (String schema : document.contract.schemaNames()) {
            ContractRules rules = OdcsCompiler.compile(document.contract, schema);
            unsupported.addAll(rules.unsupported());
            objects.add(schema + " (" + rules.rules().size() + (rules.rules().size() == 1 ? " rule)" : " rules)"));
        }
        if (!unsupported.isEmpty()) {
            // As ValidateContract words it: it refuses such a contract unless contract.unsupported=skip.
            throw new ContractException.Invalid(unsupported.size() + (unsupported.size() == 1 ? " check" : " checks")
                    + " of the contract cannot be made record by record, so ValidateContract refuses it unless "
                    + "contract.unsupported=skip:" + unsupported.stream().map(u -> "\n    " + u.describe())
                            .collect(Collectors.joining()), null);
        }
        return document.contract.id() + "@" + document.contract.version() + ", schema object"
                + (objects.size() == 1 ? " " : "s ") + String.join(", ", objects);
    }

    @Override
    public List<BreakingChange> compare(String oldText, String newText, Compatibility compatibility) throws ContractException {
        OdcsDocument oldDocument = OdcsDocument.parse(oldText, "old ");
        OdcsDocument newDocument = OdcsDocument.parse(newText, "new ");
        return OdcsCompatibility.breaking(OdcsCompatibility.changes(oldDocument, newDocument), compatibility);
    }
}
