package dev.truthline.cli;

import dev.truthline.cli.contracts.ContractsCommand;
import dev.truthline.cli.deploy.DeployCommand;
import dev.truthline.cli.keys.KeysCommand;
import dev.truthline.cli.keys.RevealCommand;
import dev.truthline.cli.lint.LintCommand;
import dev.truthline.connect.core.TruthlineVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code truthline} command. */
@Command(name = "truthline", mixinStandardHelpOptions = true, versionProvider = Truthline.Version.class,
        description = "Truthline: Kafka Connect plugins that keep streaming data clean, de-duplicated and auditable.",
        subcommands = {DemoCommand.class, AuditCommand.class, TriageCommand.class, ReplayCommand.class,
                LintCommand.class,
                DeployCommand.class, ContractsCommand.class, KeysCommand.class, RevealCommand.class,
                CommandLine.HelpCommand.class})
public final class Truthline {

    public static void main(String[] args) {
        // Hibernate Validator (contracts, lint) logs through JBoss Logging, which would fall back to
        // java.util.logging and print its INFO banner; through SLF4J it obeys simplelogger.properties.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code main} runs it; tests use it too. */
    public static CommandLine commandLine() {
        return new CommandLine(new Truthline()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"truthline " + TruthlineVersion.get()};
        }
    }
}
