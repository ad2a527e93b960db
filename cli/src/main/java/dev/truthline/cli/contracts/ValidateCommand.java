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

/** {@code truthline contracts validate FILE...}: each contract parses and holds only what is supported. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks that each contract file is valid for its format: an ODCS v3 contract (.odcs.yaml, "
                + ".odcs.yml) parses, follows the standard (each problem named by its element), and compiles to rules "
                + "ValidateContract can check record by record, every one of them; .avsc is parsed by Avro (names, "
                + "types, defaults that fit their types).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every contract is valid", "1:a contract is invalid",
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
                String summary = format.validate(ContractsCommand.read(file));
                out.printf("%s: valid %s (%s)%n", file, format.description(), summary);
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
