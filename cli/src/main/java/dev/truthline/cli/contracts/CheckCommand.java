package dev.truthline.cli.contracts;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code truthline contracts check}: whether a new version of a contract breaks the readers or
 * writers of the old one. Two files, or (for CI) every contract in a folder against its version at
 * a git revision.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks that a contract change keeps the compatibility asked for, and prints every breaking change "
                + "with the element's path.",
                "  truthline contracts check OLD NEW --compatibility BACKWARD",
                "  truthline contracts check --dir DIR --against REV   (every contract in DIR against its version at a "
                        + "git revision; new files are fine, deleted ones break)",
                "BACKWARD: the new contract reads data written under the old one (upgrade consumers first). "
                        + "FORWARD: the old contract reads data written under the new one (upgrade producers first). "
                        + "FULL: both.",
                "ODCS contracts (.odcs.yaml, .odcs.yml) are judged on the rules ValidateContract enforces: tightening "
                        + "a check (a record valid under the old contract fails the new one) breaks BACKWARD, loosening "
                        + "it breaks FORWARD; a change that cannot be judged exactly (another pattern or CEL expression) "
                        + "breaks both. Avro schemas (.avsc) are judged with Avro's own SchemaCompatibility."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compatible", "1:a breaking change, a deleted contract or an invalid contract",
                "2:something could not be judged (unreadable file, unsupported format, git failure)"})
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "OLD NEW", arity = "0..2", description = "The old and the new version of one contract.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--compatibility", defaultValue = "BACKWARD",
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Compatibility compatibility;

    @Option(names = "--dir", paramLabel = "DIR", description = "A folder of contracts (searched recursively), for --against.")
    Path dir;

    @Option(names = "--against", paramLabel = "REV", description = "The git revision to compare the folder's contracts with (e.g. origin/main).")
    String against;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        try {
            if (dir != null || against != null) {
                if (dir == null || against == null || !files.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "--dir and --against go together, without OLD NEW");
                }
                return checkFolder();
            }
            if (files.size() != 2) {
                throw new ParameterException(spec.commandLine(), "give OLD and NEW, or --dir DIR --against REV");
            }
            return checkPair(files.get(0), files.get(1));
        } finally {
            out.flush();
        }
    }

    private int checkPair(Path oldFile, Path newFile) {
        ContractFormat format = ContractFormats.forFile(newFile.getFileName().toString());
        ContractFormat oldFormat = ContractFormats.forFile(oldFile.getFileName().toString());
        if (format == null || format != oldFormat) {
            out.printf("%s, %s: both must be contracts of one format (%s)%n", oldFile, newFile, ContractFormats.knownExtensions());
            return ContractsCommand.NOT_JUDGED;
        }
        String oldText;
        String newText;
        try {
            oldText = ContractsCommand.read(oldFile);
            newText = ContractsCommand.read(newFile);
        } catch (IOException e) {
            out.printf("cannot read %s%n", e.getMessage());
            return ContractsCommand.NOT_JUDGED;
        }
        return judge(newFile + " against " + oldFile, format, oldText, newText);
    }

    /** Compares and prints one contract's change; returns its exit code. */
    private int judge(String label, ContractFormat format, String oldText, String newText) {
        List<BreakingChange> changes;
        try {
            changes = format.compare(oldText, newText, compatibility);
        } catch (ContractException.Invalid e) {
            out.printf("%s: invalid: %s%n", label, e.getMessage());
            return ContractsCommand.BROKEN;
        } catch (ContractException e) {
            out.printf("%s: %s%n", label, e.getMessage());
            return ContractsCommand.NOT_JUDGED;
        }
        if (changes.isEmpty()) {
            out.printf("%s: compatible (%s)%n", label, compatibility);
            return 0;
        }
        out.printf("%s: %d breaking change%s (%s)%n", label, changes.size(), changes.size() == 1 ? "" : "s", compatibility);
        for (BreakingChange c : changes) {
            out.printf("  %-8s %s: %s: %s [%s]%n", c.direction().label, c.path(), c.kind(), c.message(), c.location());
        }
        return ContractsCommand.BROKEN;
    }

    private int checkFolder() {
        if (!Files.isDirectory(dir)) {
            out.printf("%s: not a folder%n", dir);
            return ContractsCommand.NOT_JUDGED;
        }
        GitRevision revision;
        Set<String> before = new TreeSet<>();
        try {
            revision = new GitRevision(dir, against);
            for (String f : revision.files()) {
                if (ContractFormats.forFile(f) != null && !hidden(f)) {
                    before.add(f);
                }
            }
        } catch (GitRevision.GitException e) {
            out.printf("truthline contracts check: %s%n", e.getMessage());
            return ContractsCommand.NOT_JUDGED;
        }
        Set<String> now = contractsIn(dir);
        int exit = 0;
        int compatible = 0;
        int broken = 0;
        int added = 0;
        int deleted = 0;
        int notJudged = 0;
        for (String file : now) {
            if (!before.contains(file)) {
                out.printf("%s: new since %s%n", file, against);
                added++;
                continue;
            }
            int result;
            try {
                result = judge(file, ContractFormats.forFile(file), revision.show(file), ContractsCommand.read(dir.resolve(file)));
            } catch (GitRevision.GitException | IOException e) {
                out.printf("%s: %s%n", file, e.getMessage());
                result = ContractsCommand.NOT_JUDGED;
            }
            exit = Math.max(exit, result);
            compatible += result == 0 ? 1 : 0;
            broken += result == ContractsCommand.BROKEN ? 1 : 0;
            notJudged += result == ContractsCommand.NOT_JUDGED ? 1 : 0;
        }
        for (String file : before) {
            if (!now.contains(file)) {
                out.printf("%s: deleted since %s: its consumers lose their contract%n", file, against);
                deleted++;
                exit = Math.max(exit, ContractsCommand.BROKEN);
            }
        }
        out.printf("%d contract%s against %s (%s): %d compatible, %d breaking, %d new, %d deleted, %d not judged%n",
                now.size() + deleted, now.size() + deleted == 1 ? "" : "s", against, compatibility, compatible, broken,
                added, deleted, notJudged);
        return exit;
    }

    /** Contract files under the folder, relative to it, '/'-separated; hidden files and folders (.git) are skipped. */
    private static Set<String> contractsIn(Path dir) {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .filter(name -> ContractFormats.forFile(name) != null && !hidden(name))
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Whether a '/'-separated relative path is in, or is, a hidden file or folder. */
    private static boolean hidden(String relativePath) {
        return relativePath.startsWith(".") || relativePath.contains("/.");
    }
}
