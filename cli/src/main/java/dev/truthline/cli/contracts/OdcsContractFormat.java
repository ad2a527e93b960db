package dev.truthline.cli.contracts;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.config.ConfigDef;

import dev.truthline.connect.contract.ContractRules;
import dev.truthline.connect.contract.InvalidContractException;
import dev.truthline.connect.contract.OdcsCompiler;
import dev.truthline.connect.contract.OdcsContract;
import dev.truthline.connect.contract.OdcsDocument;
import dev.truthline.connect.contract.OdcsParser;
import dev.truthline.connect.contract.UnsupportedRule;
import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.validation.ContractSources;
import dev.truthline.connect.validation.ValidateContract;

/**
 * ODCS v3 data contracts ({@code .odcs.yaml}, {@code .odcs.yml}), read and compiled as ValidateContract
 * reads {@code contract.file}. Validating one gives one of three answers: it is not ODCS v3 (each problem
 * by its path); it is, and has nothing to check record by record (no schema objects, or only rules that
 * compare many records); or it is, and its rules run in-stream, with those that cannot listed. Changes are
 * judged by {@link OdcsCompatibility}.
 */
final class OdcsContractFormat implements ContractFormat {

    /** ValidateContract's own check of a contract's text: every rule it compiles to builds (RE2, CEL). */
    private static final ConfigDef.Validator RULES_BUILD =
            ValidateContract.CONFIG_DEF.configKeys().get(ContractSources.CONTRACT_TEXT).validator;

    @Override
    public String description() {
        return "ODCS v3 data contract";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.endsWith(".odcs.yaml") || fileName.endsWith(".odcs.yml");
    }

    @Override
    public Validity validate(String text) throws ContractException {
        OdcsContract contract = parse(text, "").contract();
        String identity = contract.id() + "@" + contract.version();
        if (contract.schemaNames().isEmpty()) {
            return Validity.nothingInStream(identity + ": no schema objects");
        }
        List<String> objects = new ArrayList<>();
        List<UnsupportedRule> unsupported = new ArrayList<>();
        int rules = 0;
        for (String schema : contract.schemaNames()) {
            ContractRules compiled = OdcsCompiler.compile(contract, schema);
            unsupported.addAll(compiled.unsupported());
            rules += compiled.rules().size();
            objects.add(schema + " (" + compiled.rules().size() + (compiled.rules().size() == 1 ? " rule)" : " rules)"));
        }
        List<String> notes = unsupported.stream().map(UnsupportedRule::describe).toList();
        if (rules == 0) {
            return Validity.nothingInStream(identity + ": only checks that need many records", notes);
        }
        try {
            RULES_BUILD.ensureValid(ContractSources.CONTRACT_TEXT, text);
        } catch (KeyedConfigException e) {
            throw new ContractException.Invalid("a rule cannot be built: " + e.problem(), e);
        }
        return Validity.inStream(identity + ", schema object" + (objects.size() == 1 ? " " : "s ")
                + String.join(", ", objects), notes);
    }

    @Override
    public List<BreakingChange> compare(String oldText, String newText, Compatibility compatibility) throws ContractException {
        OdcsDocument oldDocument = parse(oldText, "old ");
        OdcsDocument newDocument = parse(newText, "new ");
        return OdcsCompatibility.breaking(OdcsCompatibility.changes(oldDocument, newDocument), compatibility);
    }

    /**
     * Reads and checks a contract.
     *
     * @param which "old ", "new " or "" for messages
     * @throws ContractException.Invalid listing every problem, each with its element
     */
    static OdcsDocument parse(String text, String which) throws ContractException.Invalid {
        try {
            return OdcsParser.parse(text);
        } catch (InvalidContractException e) {
            String what = e.notOdcs() ? "the " + which + "contract is not ODCS v3"
                    : "the " + which + "contract is not a valid ODCS v3 contract";
            throw new ContractException.Invalid(problems(what, e.problems()), e);
        }
    }

    /** {@code <what>: <problem>} for one problem, else {@code <what>:} and one indented line per problem. */
    static String problems(String what, List<String> problems) {
        if (problems.size() == 1) {
            return what + ": " + problems.get(0);
        }
        StringBuilder text = new StringBuilder(what).append(" (").append(problems.size()).append(" problems):");
        for (String problem : problems) {
            text.append("\n    ").append(problem);
        }
        return text.toString();
    }
}
