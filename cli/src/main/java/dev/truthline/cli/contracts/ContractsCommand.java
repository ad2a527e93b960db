package dev.truthline.cli.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;

/** {@code truthline contracts}: the data contract as a product artifact, checked before it ships. */
@Command(name = "contracts", mixinStandardHelpOptions = true,
        description = "Validates contracts, checks contract changes for compatibility (ODCS v3 .odcs.yaml, Avro .avsc) "
                + "and turns their thresholds into Prometheus alert rules.",
        subcommands = {CheckCommand.class, ValidateCommand.class, AlertsCommand.class})
public final class ContractsCommand {

    /** Exit code: a contract is invalid, or a change breaks the compatibility asked for. */
    static final int BROKEN = 1;
    /** Exit code: something could not be judged (unreadable file, unsupported format, git failure). */
    static final int NOT_JUDGED = 2;

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
