package dev.truthline.cli.contracts;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code truthline contracts validate FILE...}: for an ODCS contract, one of three answers: not ODCS v3; ODCS
 * with nothing to check record by record; ODCS whose rules run in-stream (with those that cannot listed).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks each contract file for its format. An ODCS v3 contract (.odcs.yaml, .odcs.yml) gets one "
                + "of three answers: not ODCS v3 (each departure from the standard named by its element); valid, with "
                + "nothing to enforce in-stream (no schema objects, or only checks that need many records); valid, "
                + "with rules ValidateContract checks record by record (every one of them built as a worker builds "
                + "it), and the checks that cannot run in-stream listed (a worker refuses those unless "
                + "contract.unsupported=skip). .avsc is parsed by Avro (names, types, defaults that fit their types).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every contract is valid (with or without rules that run in-stream)",
                "1:a contract is invalid: not ODCS v3, or a rule that cannot be built",
                "2:a file could not be read or its format is not supported"})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Contract files: .odcs.yaml / .odcs.yml (ODCS v3 data contract), .avsc (Avro schema).")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int exit = 0;
        for (Path file : files) {
            ContractFormat format = ContractFormats.forFile(file.getFileName().toString());
            if (format == null) {
                out.printf("%s: not a contract file (known: %s)%n", file, ContractFormats.knownExtensions());
                exit = Math.max(exit, ContractsCommand.NOT_JUDGED);
                continue;
            }
            try {
                Validity validity = format.validate(ContractsCommand.read(file));
                out.printf("%s: valid %s%s (%s)%n", file, format.description(),
                        validity.inStream() ? "" : " with nothing to enforce in-stream", validity.summary());
                if (!validity.notes().isEmpty()) {
                    out.printf("    not checked record by record (a worker needs contract.unsupported=skip):%n");
                    validity.notes().forEach(note -> out.printf("    %s%n", note));
                }
            } catch (ContractException.Invalid e) {
                out.printf("%s: invalid: %s%n", file, e.getMessage());
                exit = Math.max(exit, ContractsCommand.BROKEN);
            } catch (ContractException e) {
                out.printf("%s: %s%n", file, e.getMessage());
                exit = Math.max(exit, ContractsCommand.NOT_JUDGED);
            } catch (IOException e) {
                out.printf("%s: cannot read it: %s%n", file, e.getMessage());
                exit = Math.max(exit, ContractsCommand.NOT_JUDGED);
            }
        }
        out.flush();
        return exit;
    }
}
