package dev.truthline.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.truthline.cli.CliRun;

/** What contract tests share: reading the breaking changes a run printed, and a scratch git repository. */
final class ContractRuns {

    private static final Pattern BREAK = Pattern.compile("^  (BACKWARD|FORWARD) +(.+?): ([A-Z_]+): .* \\[(.*)\\]$");

    private ContractRuns() {
    }

    /** The breaking changes a run printed, as "DIRECTION KIND at path". */
    static List<String> breaks(CliRun run) {
        List<String> found = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            Matcher m = BREAK.matcher(line);
            if (m.matches()) {
                found.add(m.group(1) + " " + m.group(3) + " at " + m.group(2));
            }
        }
        return found;
    }

    static List<String> labelled(String direction, List<String> changes) {
        return changes.stream().map(c -> direction + " " + c).toList();
    }

    static void commit(Path repo, String message) throws Exception {
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=Truthline Test", "-c", "user.email=test@truthline.dev", "-c", "commit.gpgsign=false",
                "commit", "-q", "-m", message);
    }

    static void git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes());
        assertThat(git.waitFor()).as("git " + String.join(" ", args) + ": " + output).isZero();
    }
}
