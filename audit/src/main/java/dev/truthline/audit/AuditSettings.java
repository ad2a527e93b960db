package dev.truthline.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code truthline audit} is asked to do, as {@code name=value} arguments (the command line passes its
 * options so to the audit's own JVM).
 */
public final class AuditSettings {

    /** Connect's REST API to discover the pipeline from (or {@link #connectors}). */
    public String connectUrl;
    /** Connector files to discover the pipeline from (a folder or one file). */
    public Path connectors;
    /** NAME=VALUE lines for {@code ${env:NAME}} references (over the process environment). */
    public Path envFile;
    /** Operator values given one by one ({@code env.NAME=VALUE}). */
    public Map<String, String> env = new LinkedHashMap<>();
    /** The landing connector, when discovery finds more than one. */
    public String landing;
    /** The Kafka cluster, when the landing sink does not name it. */
    public String bootstrapServers;
    /** Where the audited range starts and ends: a record time, offsets or a landing-table snapshot each. */
    public AuditRange.Bound since = AuditRange.Bound.NONE;
    public AuditRange.Bound until = AuditRange.Bound.NONE;
    /** Where the last audit stopped; advanced after an audit that explains everything. */
    public Path checkpoint;
    /** {@code console}, {@code json} or {@code html} (the page on standard output). */
    public String format = "console";
    /** Write the JSON report here as well. */
    public Path jsonOutput;
    /** Write the HTML page here as well (also when the audit cannot judge). */
    public Path htmlOutput;
    /** DuckDB's memory limit. */
    public String memoryLimit = "512MB";
    /** Where DuckDB spills. */
    public Path workDir = Path.of("target", "audit");
    /** Unexplained events and rows listed one by one. */
    public int listLimit = 20;
    /**
     * Current-state reconciliation: on when asked ({@code reconcile=true}) or when any of its tables is given; what
     * is not given is discovered ({@link CurrentStateDiscovery}). Values may hold {@code ${env:…}} references.
     */
    public boolean reconcile;
    public String sourceJdbc;
    public String sourceTable;
    public String sourceUser;
    public String sourcePassword;
    public String currentJdbc;
    public String currentTable;
    public String currentUser;
    public String currentPassword;
    /** The current table's source-position column (default {@code __source_lsn}). */
    public String lsnColumn;

    /** One {@code name=value} argument, as the command line passes its options to a child JVM. */
    public record Setting(String name, String value) {

        /** @throws IllegalArgumentException when {@code arg} is not {@code name=value} */
        public static Setting parse(String arg) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not name=value: " + arg);
            }
            return new Setting(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    public static AuditSettings fromArguments(List<String> args) {
        AuditSettings s = new AuditSettings();
        for (String arg : args) {
            Setting setting = Setting.parse(arg);
            String name = setting.name();
            String value = setting.value();
            switch (name) {
                case "connectUrl" -> s.connectUrl = value;
                case "connectors" -> s.connectors = Path.of(value);
                case "envFile" -> s.envFile = Path.of(value);
                case "landing" -> s.landing = value;
                case "bootstrapServers" -> s.bootstrapServers = value;
                case "since" -> s.since = s.start(AuditRange.Bound.time("--since", AuditRange.time("--since", value)));
                case "until" -> s.until = s.end(AuditRange.Bound.time("--until", AuditRange.time("--until", value)));
                case "sinceOffsets" -> s.since = s.start(AuditRange.Bound.offsets("--since-offsets",
                        AuditRange.offsets("--since-offsets", value)));
                case "untilOffsets" -> s.until = s.end(AuditRange.Bound.offsets("--until-offsets",
                        AuditRange.offsets("--until-offsets", value)));
                case "sinceSnapshot" -> s.since = s.start(AuditRange.Bound.snapshot("--since-snapshot",
                        AuditRange.snapshotId("--since-snapshot", value)));
                case "untilSnapshot" -> s.until = s.end(AuditRange.Bound.snapshot("--until-snapshot",
                        AuditRange.snapshotId("--until-snapshot", value)));
                case "checkpoint" -> s.checkpoint = Path.of(value);
                case "format" -> s.format = value;
                case "jsonOutput" -> s.jsonOutput = Path.of(value);
                case "htmlOutput" -> s.htmlOutput = Path.of(value);
                case "memoryLimit" -> s.memoryLimit = value;
                case "workDir" -> s.workDir = Path.of(value);
                case "listLimit" -> s.listLimit = Integer.parseInt(value);
                case "reconcile" -> s.reconcile = Boolean.parseBoolean(value);
                case "sourceJdbc" -> s.sourceJdbc = value;
                case "sourceTable" -> s.sourceTable = value;
                case "sourceUser" -> s.sourceUser = value;
                case "sourcePassword" -> s.sourcePassword = value;
                case "currentJdbc" -> s.currentJdbc = value;
                case "currentTable" -> s.currentTable = value;
                case "currentUser" -> s.currentUser = value;
                case "currentPassword" -> s.currentPassword = value;
                case "lsnColumn" -> s.lsnColumn = value;
                default -> {
                    if (name.startsWith("env.")) {
                        s.env.put(name.substring(4), value);
                    } else {
                        throw new IllegalArgumentException("unknown setting " + name);
                    }
                }
            }
        }
        s.range();
        if (s.sourceJdbc != null || s.sourceTable != null || s.currentJdbc != null || s.currentTable != null) {
            s.reconcile = true;
        }
        if (s.reconcile && (!s.range().whole() || s.checkpoint != null)) {
            // A key's explaining change may lie anywhere in the topics' history: a range would call it unexplained.
            throw new OptionException("--reconcile", "the reconciliation judges every change the topics hold: give "
                    + "no range (--since…, --until…) or --checkpoint with it");
        }
        if ((s.connectUrl == null) == (s.connectors == null)) {
            throw new IllegalArgumentException("give either the Connect REST URL or connector files, not both or none");
        }
        if (!"console".equals(s.format) && !"json".equals(s.format) && !"html".equals(s.format)) {
            throw new IllegalArgumentException("format is console, json or html, not " + s.format);
        }
        if (!s.memoryLimit.matches("[0-9]+(\\.[0-9]+)?\\s*[KMGT]?i?B")) {
            throw new IllegalArgumentException("memory limit as 512MB or 2GB, not " + s.memoryLimit);
        }
        return s;
    }

    /** The pipeline's connector configs, unresolved: from Connect's REST API, or from the connector files. */
    public Map<String, Map<String, String>> connectorConfigs() throws CannotJudgeException {
        return connectUrl != null ? ConnectorConfigs.fromRest(connectUrl) : ConnectorConfigs.fromFiles(connectors);
    }

    /** The audited range (the checkpoint, where it names a partition, wins over its start). */
    public AuditRange range() {
        return new AuditRange(since, until);
    }

    private AuditRange.Bound start(AuditRange.Bound b) {
        if (!since.none()) {
            throw new OptionException(b.option(), "the range starts once: " + since.option() + " is given too");
        }
        return b;
    }

    private AuditRange.Bound end(AuditRange.Bound b) {
        if (!until.none()) {
            throw new OptionException(b.option(), "the range ends once: " + until.option() + " is given too");
        }
        return b;
    }

    /** What the operator gave for the reconciliation; null parts are discovered. */
    public CurrentStateDiscovery.Given reconcileGiven() {
        return new CurrentStateDiscovery.Given(sourceJdbc, sourceTable, sourceUser, sourcePassword, currentJdbc,
                currentTable, currentUser, currentPassword, lsnColumn);
    }

    /** The operator's values: the env file's {@code NAME=VALUE} lines, then the ones given one by one. */
    public Map<String, String> operatorValues() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (envFile != null) {
            for (String line : Files.readAllLines(envFile)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                if (t.startsWith("export ")) {
                    t = t.substring("export ".length()).strip();
                }
                int eq = t.indexOf('=');
                if (eq > 0) {
                    values.put(t.substring(0, eq).strip(), unquote(t.substring(eq + 1).strip()));
                }
            }
        }
        values.putAll(env);
        return values;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
