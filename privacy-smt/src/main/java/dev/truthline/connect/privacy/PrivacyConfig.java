package dev.truthline.connect.privacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

import com.google.crypto.tink.KeysetHandle;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.config.KeyedConfig;

/**
 * The configuration of {@link ProtectFields} and {@link RevealFields}: {@code rules} names the rules, each
 * configured under {@code rules.<name>.*} with the keys of {@link #RULE_CONFIG_DEF}. Every mistake is a
 * {@link KeyedConfigException} naming the full key; no message shows a keyset.
 */
public final class PrivacyConfig {

    public static final String RULES = "rules";
    public static final String RULES_PREFIX = "rules.";
    public static final String FIELDS = "fields";
    public static final String METHOD = "method";
    public static final String KEYSET = "keyset";
    public static final String ALPHABET = "alphabet";
    public static final String KEEP_LAST = "keep.last";
    public static final String CONTRACT_FILE = "contract.file";
    public static final String CONTRACT_TEXT = "contract.text";
    public static final String CONTRACT_SCHEMA = "contract.schema";
    public static final String ENVELOPE = "envelope";
    public static final String CLASSIFICATION_PREFIX = "classification.";

    private static final String CONTRACT_GROUP = "contract";

    private static final int MAX_RULE_NAME = 64;

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(RULES, Type.LIST, List.of(), ConfigDef.LambdaValidator.with(
                    PrivacyConfig::checkRuleNames, () -> "unique names of letters, digits, _ and -"), Importance.HIGH,
                    "Names of the rules, comma-separated; each is configured under rules.<name>.* (fields, method "
                            + "and the method's parameters; see the rule keys below). RevealFields takes the same "
                            + "rules as the ProtectFields it undoes, with the same keysets. Not needed when a "
                            + "contract's classifications choose the fields (classification.<value>).")
            .define(CONTRACT_FILE, Type.STRING, null, Importance.HIGH,
                    "Path to an ODCS v3 data contract (YAML) on every worker whose properties' classification "
                            + "(e.g. restricted) and tags (e.g. pii) say what is sensitive: each property whose "
                            + "classification or one of whose tags is mapped by a classification.<value>=<method> key "
                            + "is protected by that method. Nested properties are dotted paths, array items [*]; an "
                            + "object or array classified as a whole protects each of its leaves. Each mapped value is "
                            + "a rule of its own, named after it: give its keyset and other parameters as "
                            + "rules.<value>.keyset etc. (it needs no entry in rules, no fields and no method). Not "
                            + "with contract.text.",
                    CONTRACT_GROUP, 1, ConfigDef.Width.NONE, CONTRACT_FILE)
            .define(CONTRACT_TEXT, Type.STRING, null, Importance.HIGH,
                    "The YAML text of an ODCS v3 data contract, read exactly as contract.file; set one of the two.",
                    CONTRACT_GROUP, 2, ConfigDef.Width.NONE, CONTRACT_TEXT)
            .define(CONTRACT_SCHEMA, Type.STRING, null, Importance.MEDIUM,
                    "The name of the contract's schema object whose properties are read. Required when the contract "
                            + "has more than one.",
                    CONTRACT_GROUP, 3, ConfigDef.Width.NONE, CONTRACT_SCHEMA)
            .define(ENVELOPE, Type.STRING, "none", CaseInsensitiveValidString.in("none", "debezium"), Importance.MEDIUM,
                    "Where the contract's properties are in a record. none: in the value (or key) itself. debezium: "
                            + "in both row images of a Debezium change event, so a property p protects before.p and "
                            + "after.p. Inline rules always name their paths in full.",
                    CONTRACT_GROUP, 4, ConfigDef.Width.NONE, ENVELOPE);

    /** The {@code classification.<value>} keys, documented as one. */
    public static final ConfigDef CLASSIFICATION_CONFIG_DEF = new ConfigDef()
            .define("<value>", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, CaseInsensitiveValidString.in(Method.labels()),
                    Importance.HIGH,
                    "The method (token, encrypt, fpe, hash, mask or redact) for every property of the contract "
                            + "(contract.file or contract.text) whose classification, or one of whose tags, is "
                            + "<value>, e.g. classification.restricted=token or classification.pii=encrypt. The value "
                            + "names a rule: its keyset is rules.<value>.keyset. A value that matches no property, "
                            + "or a property matched by two mapped values, is a configuration error.");

    /** The keys of one rule, without the {@code rules.<name>.} prefix. */
    public static final ConfigDef RULE_CONFIG_DEF = new ConfigDef()
            .define(FIELDS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "The fields the rule protects, comma-separated paths: dots for nesting (customer.email), [*] for "
                            + "every element of an array or every value of a map (items[*].sku, attributes[*]); in a "
                            + "map a name selects that key. A null or absent field, or one under a null parent, is "
                            + "left as it is.")
            .define(METHOD, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, CaseInsensitiveValidString.in(Method.labels()),
                    Importance.HIGH,
                    "token: deterministic authenticated encryption (AES-SIV): equal values give equal tokens under "
                            + "one keyset, in every topic and task, so tokens join; reversible. encrypt: randomized "
                            + "authenticated encryption (AES-GCM): reversible, equal values differ. fpe: format-"
                            + "preserving encryption (NIST FF1, AES-256) of strings over rules.<name>.alphabet: same "
                            + "length and alphabet, other characters kept in place; reversible with the keyset's "
                            + "primary key only. hash: keyed HMAC-SHA256, not reversible. mask: keep the last "
                            + "rules.<name>.keep.last characters, * for the rest. redact: null, or the empty value of a "
                            + "required field. token, encrypt and hash turn a non-bytes field into a string "
                            + "(URL-safe Base64) and bytes into bytes; mask turns it into a string; the schema of "
                            + "a protected field records the original in the parameters truthline.protected.method, "
                            + "truthline.protected.type and truthline.protected.name, from which RevealFields "
                            + "restores it.")
            .define(KEYSET, Type.PASSWORD, null, Importance.HIGH,
                    "token, encrypt, fpe and hash: a Tink keyset in Tink's JSON format (a primary key and older "
                            + "keys), from 'truthline keys create --method <method>'. Give it through a "
                            + "ConfigProvider (${file:...}, ${env:...}), never inline: it is the secret that protects "
                            + "the data. token and encrypt: AES-SIV or AES-GCM keysets; the output names the key, so "
                            + "after 'truthline keys rotate' new values use the new primary and older keys still "
                            + "reveal old ones. hash: an HMAC keyset (new hashes use the primary). fpe: an HMAC-SHA256 "
                            + "PRF keyset; the FF1 key derives from its primary key.")
            .define(ALPHABET, Type.STRING, Alphabet.DIGITS.label(), CaseInsensitiveValidString.in(Alphabet.labels()),
                    Importance.MEDIUM,
                    "fpe: the characters that are encrypted: digits, hex (0-9a-f), lowercase, uppercase, letters or "
                            + "alphanumeric (0-9A-Za-z). Every other character is kept in place. A value needs at "
                            + "least 6 digits (5 hex, 5 letters of one case, 4 letters or alphanumerics).")
            .define(KEEP_LAST, Type.INT, 4, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "mask: how many characters at the end stay in clear.");

    private PrivacyConfig() {
    }

    /** A compiled rule: its name, its field paths and what it does. */
    record ConfiguredRule(String name, List<String> fields, Protection protection) {
    }

    /** The rules named by {@code rules}, then those a contract's classifications make, from {@code originals}. */
    static List<ConfiguredRule> rules(Map<String, ?> originals) {
        KeyedConfig config = new KeyedConfig(CONFIG_DEF, originals);
        List<String> names = config.getList(RULES);
        Map<String, Method> classes = classifications(originals);
        Map<String, List<String>> classified = classified(config, classes);
        if (names.isEmpty() && classified.isEmpty()) {
            throw new KeyedConfigException(RULES, "", "list at least one rule (each is configured under rules.<name>.*), "
                    + "or map a contract's classifications with classification.<value>=<method>");
        }
        for (String value : classified.keySet()) {
            if (names.contains(value)) {
                throw new KeyedConfigException(CLASSIFICATION_PREFIX + value, null, "rule " + value + " is also listed "
                        + "in 'rules'; a mapped classification is a rule of its own: remove it from 'rules'");
            }
        }
        List<String> all = new ArrayList<>(names);
        all.addAll(classified.keySet());
        checkNoStrayKeys(all, originals);
        List<ConfiguredRule> rules = new ArrayList<>(all.size());
        for (String name : names) {
            rules.add(compile(name, originals, null, null));
        }
        classified.forEach((value, paths) -> rules.add(compile(value, originals, classes.get(value), paths)));
        return rules;
    }

    /** The {@code classification.<value>=<method>} keys. */
    private static Map<String, Method> classifications(Map<String, ?> originals) {
        Map<String, Method> classes = new java.util.TreeMap<>();
        for (Map.Entry<String, ?> e : originals.entrySet()) {
            if (!e.getKey().startsWith(CLASSIFICATION_PREFIX)) {
                continue;
            }
            String value = e.getKey().substring(CLASSIFICATION_PREFIX.length());
            if (!isRuleName(value)) {
                throw new KeyedConfigException(e.getKey(), e.getValue(), "the classification value '" + value
                        + "' must be 1 to " + MAX_RULE_NAME + " letters, digits, '_' or '-' (it names a rule)");
            }
            String method = e.getValue() == null ? "" : e.getValue().toString().trim();
            if (!java.util.Arrays.asList(Method.labels()).contains(method.toLowerCase(Locale.ROOT))) {
                throw new KeyedConfigException(e.getKey(), e.getValue(), "must be one of "
                        + String.join(", ", Method.labels()));
            }
            classes.put(value, Method.of(method));
        }
        return classes;
    }

    /** For each mapped classification value, the paths of the contract's properties it marks. */
    private static Map<String, List<String>> classified(KeyedConfig config, Map<String, Method> classes) {
        String file = blankToNull(config.getString(CONTRACT_FILE));
        String text = blankToNull(config.getString(CONTRACT_TEXT));
        if (file != null && text != null) {
            throw KeyedConfigException.hidingValue(CONTRACT_TEXT, "contract", "set contract.file or contract.text, "
                    + "not both");
        }
        if (classes.isEmpty()) {
            if (file != null || text != null) {
                throw KeyedConfigException.hidingValue(file != null ? CONTRACT_FILE : CONTRACT_TEXT, "contract",
                        "a contract chooses fields only through classification.<value>=<method>: map at least one of "
                                + "its classifications or tags");
            }
            return Map.of();
        }
        if (file == null && text == null) {
            throw new KeyedConfigException(CLASSIFICATION_PREFIX + classes.keySet().iterator().next(), null,
                    "needs a contract whose properties carry the classification: set contract.file or contract.text");
        }
        List<String> prefixes = config.getString(ENVELOPE).equalsIgnoreCase("debezium")
                ? List.of("before.", "after.") : List.of("");
        return ContractClassification.fields(file, text, blankToNull(config.getString(CONTRACT_SCHEMA)),
                classes.keySet(), prefixes);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * @param classMethod the method of a rule made by {@code classification.<name>}, or null for a listed rule
     * @param classFields the contract's paths for such a rule, or null
     */
    private static ConfiguredRule compile(String name, Map<String, ?> originals, Method classMethod, List<String> classFields) {
        String prefix = RULES_PREFIX + name + ".";
        Map<String, Object> own = new HashMap<>();
        originals.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                own.put(k, v);
            }
        });
        if (classMethod != null) {
            for (String parameter : List.of(METHOD, FIELDS)) {
                if (own.containsKey(prefix + parameter)) {
                    throw KeyedConfigException.hidingValue(prefix + parameter, "parameter", "rule " + name + " is made by "
                            + CLASSIFICATION_PREFIX + name + ", which sets its " + parameter + " from the contract");
                }
            }
            own.put(prefix + METHOD, classMethod.label());
            own.put(prefix + FIELDS, String.join(",", classFields));
        }
        Map<String, Object> values = parse(prefix, own);
        Method method = Method.of((String) values.get(METHOD));
        checkParameter(own, prefix, KEYSET, method, method.keyed());
        checkParameter(own, prefix, ALPHABET, method, method == Method.FPE);
        checkParameter(own, prefix, KEEP_LAST, method, method == Method.MASK);
        @SuppressWarnings("unchecked")
        List<String> fields = (List<String>) values.get(FIELDS);
        if (fields.isEmpty() || fields.stream().anyMatch(String::isBlank)) {
            throw new KeyedConfigException(prefix + FIELDS, String.join(",", fields), "list at least one field path, "
                    + "without empty entries");
        }
        String keysetKey = prefix + KEYSET;
        Password keyset = (Password) values.get(KEYSET);
        KeysetHandle handle = method.keyed() ? Keysets.parse(keyset == null ? null : keyset.value(), keysetKey) : null;
        Protection protection;
        switch (method) {
            case TOKEN:
                protection = CipherProtection.token(name, Keysets.deterministicAead(handle, keysetKey));
                break;
            case ENCRYPT:
                protection = CipherProtection.encrypt(name, Keysets.aead(handle, keysetKey));
                break;
            case HASH:
                protection = new HashProtection(name, Keysets.mac(handle, keysetKey));
                break;
            case FPE:
                Alphabet alphabet = Alphabet.valueOf(((String) values.get(ALPHABET)).trim().toUpperCase(Locale.ROOT));
                protection = new FpeProtection(name, alphabet, Keysets.fpeKey(handle, keysetKey));
                break;
            case MASK:
                protection = new MaskProtection(name, (Integer) values.get(KEEP_LAST));
                break;
            case REDACT:
                protection = new RedactProtection(name);
                break;
            default:
                throw new IllegalStateException("unhandled method " + method);
        }
        return new ConfiguredRule(name, fields, protection);
    }

    /** The rule's keys, defined under their full names so that every error names the full key. */
    private static Map<String, Object> parse(String prefix, Map<String, Object> own) {
        ConfigDef def = new ConfigDef();
        for (ConfigDef.ConfigKey key : RULE_CONFIG_DEF.configKeys().values()) {
            def.define(prefix + key.name, key.type, key.defaultValue, key.validator, key.importance, key.documentation);
        }
        KeyedConfig config = new KeyedConfig(def, own);
        Map<String, Object> values = new HashMap<>();
        values.put(FIELDS, config.getList(prefix + FIELDS));
        values.put(METHOD, config.getString(prefix + METHOD));
        values.put(KEYSET, config.getPassword(prefix + KEYSET));
        values.put(ALPHABET, config.getString(prefix + ALPHABET));
        values.put(KEEP_LAST, config.getInt(prefix + KEEP_LAST));
        return values;
    }

    private static void checkParameter(Map<String, Object> own, String prefix, String parameter, Method method,
            boolean takes) {
        String key = prefix + parameter;
        if (!takes && own.containsKey(key)) {
            // The value may be a keyset: never shown.
            throw KeyedConfigException.hidingValue(key, "parameter", "method " + method.label() + " does not take "
                    + parameter + (parameter.equals(KEYSET) ? " (mask and redact need no key)" : ""));
        }
    }

    private static void checkNoStrayKeys(List<String> names, Map<String, ?> originals) {
        for (String key : originals.keySet()) {
            if (!key.startsWith(RULES_PREFIX)) {
                continue;
            }
            String rest = key.substring(RULES_PREFIX.length());
            String rule = names.stream().filter(n -> rest.startsWith(n + ".")).findFirst().orElse(null);
            if (rule == null) {
                throw KeyedConfigException.hidingValue(key, "key", "configures a rule that is not listed in 'rules' "
                        + names);
            }
            String parameter = rest.substring(rule.length() + 1);
            if (!RULE_CONFIG_DEF.configKeys().containsKey(parameter)) {
                throw KeyedConfigException.hidingValue(key, "key", "unknown rule parameter '" + parameter
                        + "'; a rule takes " + new TreeSet<>(RULE_CONFIG_DEF.names()));
            }
        }
    }

    private static boolean isRuleName(String name) {
        return !name.isEmpty() && name.length() <= MAX_RULE_NAME
                && name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'));
    }

    private static void checkRuleNames(String key, Object value) {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) value;
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!isRuleName(name)) {
                throw new KeyedConfigException(key, value, "rule name '" + name + "' must be 1 to " + MAX_RULE_NAME
                        + " letters, digits, '_' or '-' (it becomes part of the keys rules.<name>.*)");
            }
            if (!seen.add(name)) {
                throw new KeyedConfigException(key, value, "rule name '" + name + "' is listed twice");
            }
        }
    }
}
