package dev.truthline.cli.keys;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

import com.google.crypto.tink.KeysetHandle;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truthline keys rotate FILE}: adds a new primary key; every older key stays. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Adds a new key of the primary's kind to the keyset in FILE and makes it the primary, in place. "
                + "Older keys stay, so token and encrypt values protected under them still reveal; restart the "
                + "connectors that read the file (their ConfigProvider reads it at start). An fpe keyset is refused "
                + "unless --force: fpe values carry no key id, so values protected under the old primary no longer "
                + "reveal with the rotated keyset (re-protect them; see docs/privacy.md).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rotated", "1:not a keyset, or an fpe keyset without --force",
                "2:the file could not be read or written"})
final class RotateKeysCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A keyset file (Tink JSON), rewritten in place.")
    Path file;

    @Option(names = "--force", description = "Rotate an fpe keyset although its old values will not reveal with it.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws GeneralSecurityException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KeysetHandle keyset;
        try {
            keyset = KeysCommand.read(file);
        } catch (IOException e) {
            err.printf("%s: cannot read it: %s%n", file, e.getMessage());
            return KeysCommand.IO_ERROR;
        } catch (KeyedConfigException e) {
            err.printf("%s: %s%n", file, KeysCommand.problem(e));
            return KeysCommand.REFUSED;
        }
        Method method = Keysets.methodOf(keyset);
        if (method == Method.FPE && !force) {
            err.printf("%s: an fpe keyset: fpe values carry no key id, so after a rotation the values protected under "
                    + "the old primary no longer reveal. Re-protect them, or keep this file to reveal them; "
                    + "--force rotates anyway.%n", file);
            return KeysCommand.REFUSED;
        }
        int old = keyset.getPrimary().getId();
        KeysetHandle rotated = Keysets.rotate(keyset);
        try {
            KeysCommand.writeSecret(file, Keysets.toJson(rotated) + "\n");
        } catch (IOException e) {
            err.printf("%s: cannot write it: %s%n", file, e.getMessage());
            return KeysCommand.IO_ERROR;
        }
        out.printf("%s: %s keyset rotated: primary key id %s (was %s), %d keys%n", file,
                method == null ? "a" : method.label(), Integer.toUnsignedString(rotated.getPrimary().getId()),
                Integer.toUnsignedString(old), rotated.size());
        out.flush();
        return 0;
    }
}
