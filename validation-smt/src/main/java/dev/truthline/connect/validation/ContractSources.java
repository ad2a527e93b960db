package dev.truthline.connect.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import dev.truthline.connect.contract.InvalidContractException;
import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRules;
import dev.truthline.connect.contract.OdcsCompiler;
import dev.truthline.connect.contract.OdcsContract;
import dev.truthline.connect.contract.OdcsParser;
import dev.truthline.connect.contract.UnsupportedRule;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * The contract keys: reading an ODCS contract from {@code contract.file} or {@code contract.text} into
 * rules, and the checks Connect's {@code config/validate} runs on them.
 *
 * <p>A key's validator sees only its own value, so it checks what the contract is on its own: it parses,
 * follows ODCS v3, and every schema object compiles. What depends on other keys (which schema object,
 * whether unsupported rules may be skipped, keys that exclude each other) is checked by a
 * {@link ConfigDef.Recommender}, which {@code ConfigDef.validate} calls with every parsed value and
 * whose {@link ConfigException} it reports as an error of that key. {@code configure} repeats all of it.
 */
public final class ContractSources {

    public static final String CONTRACT_FILE = "contract.file";
    public static final String CONTRACT_TEXT = "contract.text";
    public static final String CONTRACT_SCHEMA = "contract.schema";
    public static final String CONTRACT_UNSUPPORTED = "contract.unsupported";
    public static final String CONTRACT_CLASS = "contract.class";
    public static final String CONTRACT_THRESHOLDS = "contract.thresholds";

    enum Unsupported { FAIL, SKIP }

    /** What to do with quality rules that tolerate some failing records: see {@code contract.thresholds}. */
    enum Thresholds { UNSUPPORTED, ALERT }

    /** An ODCS contract's rules, ready to run, with what the contract asked for but is skipped. */
    record OdcsRules(ContractRules contract, List<Rule> rules, List<UnsupportedRule> skipped) {
    }

    private ContractSources() {
    }

    // ------------------------------------------------------------------------------------------ validators

    /** The validator of {@code contract.file} and {@code contract.text}. */
    static ConfigDef.Validator odcsValidator() {
        return ConfigDef.LambdaValidator.with(ContractSources::checkOdcs,
                () -> "an ODCS v3 contract whose schema objects compile");
    }

    private static void checkOdcs(String key, Object value) {
        if (isUnset(value)) {
            return;
        }
        OdcsContract contract = read(key, (String) value);
        if (contract.schemaNames().isEmpty()) {
            throw invalid(key, (String) value, List.of(NOTHING_TO_CHECK));
        }
        List<String> problems = new ArrayList<>();
        for (String schema : contract.schemaNames()) {
            ContractRules rules = OdcsCompiler.compile(contract, schema);
            for (ContractRule rule : rules.rules()) {
                try {
                    RuleDefinitions.fromContract(rule);
                } catch (IllegalArgumentException e) {
                    problems.add(rule.element() + ": " + why(e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(key, (String) value, problems);
        }
    }

    /** Checks the contract keys together; see the class comment. */
    static final ConfigDef.Recommender CHECKS_TOGETHER = new ConfigDef.Recommender() {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsed) {
            checkTogether(name, parsed);
            return new ArrayList<>();
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsed) {
            return true;
        }
    };

    private static void checkTogether(String name, Map<String, Object> parsed) {
        Object file = parsed.get(CONTRACT_FILE);
        Object text = parsed.get(CONTRACT_TEXT);
        String odcsKey = !isUnset(file) ? CONTRACT_FILE : !isUnset(text) ? CONTRACT_TEXT : null;
        switch (name) {
            case CONTRACT_TEXT:
                if (!isUnset(file) && !isUnset(text)) {
                    throw invalid(CONTRACT_TEXT, (String) text, List.of("set contract.file or contract.text, not both"));
                }
                checkUnsupported(CONTRACT_TEXT, parsed);
                return;
            case CONTRACT_FILE:
                if (isUnset(text)) {
                    checkUnsupported(CONTRACT_FILE, parsed);
                }
                return;
            case CONTRACT_SCHEMA:
                if (odcsKey != null) {
                    OdcsContract contract;
                    try {
                        contract = read(odcsKey, (String) parsed.get(odcsKey));
                    } catch (ConfigException e) {
                        return; // reported on the contract's key
                    }
                    if (!contract.schemaNames().isEmpty()) { // else reported on the contract's key
                        select(contract, (String) parsed.get(CONTRACT_SCHEMA));
                    }
                }
                return;
            case CONTRACT_CLASS:
                if (!isUnset(parsed.get(CONTRACT_CLASS)) && odcsKey != null) {
                    throw new KeyedConfigException(CONTRACT_CLASS, parsed.get(CONTRACT_CLASS), ONE_CONTRACT);
                }
                return;
            default:
        }
    }

    /** Fails on the contract's unsupported rules unless contract.unsupported=skip. */
    private static void checkUnsupported(String key, Map<String, Object> parsed) {
        Object value = parsed.get(key);
        if (isUnset(value)) {
            return;
        }
        ContractRules rules;
        try {
            rules = thresholds(OdcsCompiler.compile(read(key, (String) value), (String) parsed.get(CONTRACT_SCHEMA)),
                    parsed.get(CONTRACT_THRESHOLDS));
        } catch (InvalidContractException | ConfigException e) {
            return; // the key's own validator, or contract.schema, reports it
        }
        if (!rules.unsupported().isEmpty() && unsupported(parsed.get(CONTRACT_UNSUPPORTED)) == Unsupported.FAIL) {
            throw invalid(key, (String) value, List.of(unsupportedProblem(rules.unsupported())));
        }
    }

    static final String ONE_CONTRACT = "set contract.class or an ODCS contract (contract.file, contract.text), "
            + "not both; inline rules combine with either";

    // ------------------------------------------------------------------------------------------ configure

    /**
     * Reads, compiles and builds the ODCS contract the configuration names.
     *
     * @return null when the configuration names no ODCS contract
     * @throws ConfigException naming the key of the first problem
     */
    static OdcsRules odcs(ValidateContractConfig config) {
        String file = config.getString(CONTRACT_FILE);
        String text = config.getString(CONTRACT_TEXT);
        if (!isUnset(file) && !isUnset(text)) {
            throw invalid(CONTRACT_TEXT, text, List.of("set contract.file or contract.text, not both"));
        }
        String key = !isUnset(file) ? CONTRACT_FILE : !isUnset(text) ? CONTRACT_TEXT : null;
        if (key == null) {
            if (!isUnset(config.getString(CONTRACT_SCHEMA))) {
                throw new KeyedConfigException(CONTRACT_SCHEMA, config.getString(CONTRACT_SCHEMA),
                        "names a schema object, but neither contract.file nor contract.text names a contract");
            }
            return null;
        }
        if (!isUnset(config.getString(CONTRACT_CLASS))) {
            throw new KeyedConfigException(CONTRACT_CLASS, config.getString(CONTRACT_CLASS), ONE_CONTRACT);
        }
        String value = key.equals(CONTRACT_FILE) ? file : text;
        OdcsContract contract = read(key, value);
        if (contract.schemaNames().isEmpty()) {
            throw invalid(key, value, List.of(NOTHING_TO_CHECK));
        }
        ContractRules compiled = thresholds(select(contract, config.getString(CONTRACT_SCHEMA)),
                config.getString(CONTRACT_THRESHOLDS));
        Unsupported policy = unsupported(config.getString(CONTRACT_UNSUPPORTED));
        if (!compiled.unsupported().isEmpty() && policy == Unsupported.FAIL) {
            throw invalid(key, value, List.of(unsupportedProblem(compiled.unsupported())));
        }
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ContractRule rule : compiled.rules()) {
            try {
                rules.add(RuleDefinitions.fromContract(rule));
            } catch (IllegalArgumentException e) {
                problems.add(rule.element() + ": " + why(e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(key, value, problems);
        }
        return new OdcsRules(compiled, List.copyOf(rules), compiled.unsupported());
    }

    /** The line logged when a contract's unsupported rules are skipped. */
    static String skippedLine(List<UnsupportedRule> skipped) {
        return skipped.size() + (skipped.size() == 1 ? " rule" : " rules")
                + " of the contract cannot be checked record by record and are skipped (contract.unsupported=skip): "
                + skipped.stream().map(UnsupportedRule::describe).collect(Collectors.joining("; "));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static ContractRules select(OdcsContract contract, String schema) {
        try {
            return OdcsCompiler.compile(contract, schema);
        } catch (InvalidContractException e) {
            throw new KeyedConfigException(CONTRACT_SCHEMA, schema,
                    e.getMessage() + (isUnset(schema) ? " with contract.schema" : ""));
        }
    }

    private static final String NOTHING_TO_CHECK = "the contract has no schema objects, so nothing to check record by "
            + "record";

    /**
     * The contracts read last, by their text. Connect's config/validate runs the validators of several keys on one
     * contract, and configure runs them again before it compiles: each reads the contract once. Contracts are
     * immutable, so sharing them is safe.
     */
    private static final Map<String, OdcsContract> PARSED = Collections.synchronizedMap(
            new LinkedHashMap<>(8, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, OdcsContract> eldest) {
                    return size() > 4;
                }
            });

    private static OdcsContract read(String key, String value) {
        String text = readText(key, value);
        OdcsContract contract = PARSED.get(text);
        if (contract != null) {
            return contract;
        }
        try {
            contract = OdcsParser.parse(text).contract();
        } catch (InvalidContractException e) {
            throw invalid(key, value, e.problems());
        }
        PARSED.put(text, contract);
        return contract;
    }

    private static String readText(String key, String value) {
        if (!key.equals(CONTRACT_FILE)) {
            return value;
        }
        Path path;
        try {
            path = Paths.get(value.trim());
        } catch (RuntimeException e) {
            throw invalid(key, value, List.of("not a file path: " + e.getMessage()));
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw invalid(key, value, List.of("cannot read the contract file (it must be on every worker; "
                    + "contract.text carries the contract in the connector configuration instead): " + e));
        }
    }

    private static String unsupportedProblem(List<UnsupportedRule> unsupported) {
        return "the contract asks for " + unsupported.size() + (unsupported.size() == 1 ? " check" : " checks")
                + " that cannot be made record by record: "
                + unsupported.stream().map(UnsupportedRule::describe).collect(Collectors.joining("; "))
                + ". Remove " + (unsupported.size() == 1 ? "it" : "them")
                + " from the contract, or set contract.unsupported=skip to enforce the rest";
    }

    /**
     * A contract error on its key. The file's path is shown as the invalid value; a contract's text is
     * not, being the whole YAML document.
     */
    private static ConfigException invalid(String key, String value, List<String> problems) {
        String why = problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems: " + String.join("; ", problems);
        if (key.equals(CONTRACT_FILE)) {
            return new KeyedConfigException(key, value, why);
        }
        return KeyedConfigException.hidingValue(key, "contract", why);
    }

    /** With contract.thresholds=alert, the rules with their thresholds' checks as warnings; else as they are. */
    private static ContractRules thresholds(ContractRules rules, Object policy) {
        return policy != null && policy.toString().trim().equalsIgnoreCase(Thresholds.ALERT.name())
                ? rules.withThresholdsAsWarnings() : rules;
    }

    private static Unsupported unsupported(Object value) {
        return value == null ? Unsupported.FAIL : Unsupported.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
    }

    static boolean isUnset(Object value) {
        return value == null || value.toString().isBlank();
    }

    private static String why(String message) {
        return message == null ? "cannot be built" : message;
    }
}
