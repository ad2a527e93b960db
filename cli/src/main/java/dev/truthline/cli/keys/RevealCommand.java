package dev.truthline.cli.keys;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.KeysetHandle;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.privacy.Alphabet;
import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import dev.truthline.connect.privacy.PrivacyConfig;
import dev.truthline.connect.privacy.RevealFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code truthline reveal}: one protected value, or the protected fields of a JSON record, in clear, for an operator
 * who holds the keyset. Runs {@link RevealFields} itself, so it reveals exactly what a sink would.
 */
@Command(name = "reveal", mixinStandardHelpOptions = true,
        description = "Reveals a value that ProtectFields protected (token, encrypt or fpe; the method is the "
                + "keyset's kind), or with --fields the named fields of a JSON record, and prints it. Prints nothing "
                + "else: the output is clear personal data.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:revealed", "1:not revealable with this keyset (wrong key, not a protected value, a hash "
                + "keyset)", "2:a file or the record could not be read"})
public final class RevealCommand implements Callable<Integer> {

    private static final String VALUE_FIELD = "value";
    private static final String RULE = "cli";

    @Parameters(paramLabel = "INPUT", description = "The protected value; with --fields a JSON record; - reads it "
            + "from standard input.")
    String input;

    @Option(names = "--keyset", required = true, paramLabel = "FILE", description = "The keyset file (Tink JSON).")
    Path keysetFile;

    @Option(names = "--fields", split = ",", paramLabel = "PATH", description = "Reveal these fields of the JSON "
            + "record INPUT (paths as in rules.<name>.fields: dots, [*]).")
    List<String> fields;

    @Option(names = "--alphabet", description = "fpe: the rule's alphabet (default digits).")
    String alphabet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String keysetJson;
        String text;
        try {
            keysetJson = Files.readString(keysetFile, StandardCharsets.UTF_8);
            text = input.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip() : input;
        } catch (IOException e) {
            err.printf("cannot read %s: %s%n", input.equals("-") ? "standard input" : keysetFile, e.getMessage());
            return KeysCommand.IO_ERROR;
        }
        Method method;
        try {
            KeysetHandle keyset = Keysets.parse(keysetJson, keysetFile.toString());
            method = Keysets.methodOf(keyset);
        } catch (KeyedConfigException e) {
            err.printf("%s: %s%n", keysetFile, e.problem());
            return KeysCommand.REFUSED;
        }
        if (method == null || !method.reversible()) {
            err.printf("%s: a %s keyset: what it protected cannot be revealed%n", keysetFile,
                    method == null ? "non-Truthline" : method.label());
            return KeysCommand.REFUSED;
        }
        Map<String, Object> record;
        boolean whole = fields != null && !fields.isEmpty();
        ObjectMapper json = new ObjectMapper();
        if (whole) {
            try {
                record = json.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (JsonProcessingException e) {
                err.printf("the record is not a JSON object: %s%n", e.getOriginalMessage());
                return KeysCommand.IO_ERROR;
            }
        } else {
            record = new HashMap<>(Map.of(VALUE_FIELD, text));
        }
        Map<String, String> props = new HashMap<>();
        props.put(PrivacyConfig.RULES, RULE);
        String prefix = PrivacyConfig.RULES_PREFIX + RULE + ".";
        props.put(prefix + PrivacyConfig.FIELDS, whole ? String.join(",", fields) : VALUE_FIELD);
        props.put(prefix + PrivacyConfig.METHOD, method.label());
        props.put(prefix + PrivacyConfig.KEYSET, keysetJson);
        if (method == Method.FPE) {
            props.put(prefix + PrivacyConfig.ALPHABET, alphabet == null ? Alphabet.DIGITS.label() : alphabet);
        }
        try (RevealFields.Value<SinkRecord> reveal = new RevealFields.Value<>()) {
            reveal.configure(props);
            Map<?, ?> revealed = (Map<?, ?>) reveal.apply(new SinkRecord("cli", 0, null, null, null, record, 0L)).value();
            out.println(whole ? json.writeValueAsString(revealed) : render(revealed.get(VALUE_FIELD)));
            out.flush();
            return 0;
        } catch (KeyedConfigException e) {
            err.printf("%s: %s%n", e.key().replace(prefix, "--"), e.problem());
            return KeysCommand.REFUSED;
        } catch (DataException e) {
            err.println(e.getMessage().replace(" of rule " + RULE, "").replace(" by rule " + RULE, ""));
            return KeysCommand.REFUSED;
        } catch (JsonProcessingException e) {
            err.printf("cannot print the record: %s%n", e.getOriginalMessage());
            return KeysCommand.IO_ERROR;
        }
    }

    private static String render(Object value) {
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        return String.valueOf(value);
    }
}
