package dev.truthline.cli.keys;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truthline keys create --method token|encrypt|fpe|hash}: a new keyset of one key. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Prints a new Tink keyset (JSON) for a method, or writes it to --out (owner-only permissions): "
                + "token: AES256_SIV; encrypt: AES256_GCM; hash: HMAC_SHA256 (256-bit tag); fpe: HMAC_SHA256 PRF "
                + "(the FF1 key derives from it).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:keyset created", "1:the method takes no keyset", "2:the file could not be written"})
final class CreateKeysCommand implements Callable<Integer> {

    /** The methods that take a keyset. */
    enum KeyedMethod { TOKEN, ENCRYPT, FPE, HASH }

    @Option(names = "--method", required = true, description = "token, encrypt, fpe or hash.")
    KeyedMethod method;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the keyset to FILE instead of printing it.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws GeneralSecurityException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        var keyset = Keysets.create(Method.valueOf(method.name()));
        String json = Keysets.toJson(keyset);
        if (out == null) {
            stdout.println(json);
            stdout.flush();
            return 0;
        }
        try {
            KeysCommand.writeSecret(out, json + "\n");
        } catch (IOException e) {
            stderr.printf("%s: cannot write it: %s%n", out, e.getMessage());
            return KeysCommand.IO_ERROR;
        }
        stdout.printf("%s: new %s keyset, primary key id %s%n", out, method.name().toLowerCase(java.util.Locale.ROOT),
                Integer.toUnsignedString(keyset.getPrimary().getId()));
        stdout.flush();
        return 0;
    }
}
