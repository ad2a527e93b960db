package dev.truthline.cli.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import com.google.crypto.tink.KeysetHandle;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.privacy.Keysets;
import picocli.CommandLine.Command;

/** {@code truthline keys}: the Tink keysets ProtectFields and RevealFields use. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Creates and rotates the Tink keysets (JSON) of ProtectFields / RevealFields. A keyset is a "
                + "secret: keep it in a file only the Connect workers can read and give it to the connector through a "
                + "ConfigProvider (${file:...}), never inline.",
        subcommands = {CreateKeysCommand.class, RotateKeysCommand.class})
public final class KeysCommand {

    /** Exit code: the input is not a usable keyset, or the operation was refused. */
    static final int REFUSED = 1;
    /** Exit code: a file could not be read or written. */
    static final int IO_ERROR = 2;

    private KeysCommand() {
    }

    static KeysetHandle read(Path file) throws IOException {
        return Keysets.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Replaces {@code file} with {@code text} in one move, readable and writable by its owner only. */
    static void writeSecret(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, ".keyset", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the directory's defaults
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A keyset problem in words, without the keyset. */
    static String problem(KeyedConfigException e) {
        return e.problem();
    }
}
