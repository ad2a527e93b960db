package dev.truthline.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConnectorConfigs;
import dev.truthline.audit.OptionException;

/**
 * What one {@code truthline replay} is asked to do, as {@code name=value} arguments (the command line passes its
 * options so to the replay's own JVM). A problem with an option is an {@link OptionException} naming it.
 */
public final class ReplaySettings {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    public String connectUrl;
    public Path connectors;
    public Path envFile;
    public Map<String, String> env = new LinkedHashMap<>();
    public String bootstrapServers;
    /** The connector whose {@code topics} is the change topic, when discovery finds more than one. */
    public String landing;
    /** The selectors: any given must match (causes, positions and keys each match when one of theirs does). */
    public final Selection selection = new Selection();
    public boolean again;
    public boolean dryRun;
    public boolean beyondWindow;
    public String replayId;
    public String operator;
    /** {@code console} or {@code json}. */
    public String format = "console";
    public Path jsonOutput;

    public static ReplaySettings fromArguments(List<String> args) {
        return fromArguments(args, Instant.now());
    }

    static ReplaySettings fromArguments(List<String> args, Instant now) {
        ReplaySettings s = new ReplaySettings();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not name=value: " + arg);
            }
            String name = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "connectUrl" -> s.connectUrl = value;
                case "connectors" -> s.connectors = Path.of(value);
                case "envFile" -> s.envFile = Path.of(value);
                case "bootstrapServers" -> s.bootstrapServers = value;
                case "landing" -> s.landing = value;
                case "cause" -> s.selection.causes.addAll(parts(value));
                case "position" -> parts(value).forEach(p -> s.selection.positions.add(PositionRange.parse(p)));
                case "key" -> s.selection.keys.add(value);
                case "since" -> s.selection.sinceMs = time("--since", value);
                case "all" -> s.selection.all = Boolean.parseBoolean(value);
                case "again" -> s.again = Boolean.parseBoolean(value);
                case "dryRun" -> s.dryRun = Boolean.parseBoolean(value);
                case "beyondWindow" -> s.beyondWindow = Boolean.parseBoolean(value);
                case "replayId" -> s.replayId = value;
                case "operator" -> s.operator = value;
                case "format" -> s.format = value;
                case "jsonOutput" -> s.jsonOutput = Path.of(value);
                default -> {
                    if (name.startsWith("env.")) {
                        s.env.put(name.substring(4), value);
                    } else {
                        throw new IllegalArgumentException("unknown setting " + name);
                    }
                }
            }
        }
        if ((s.connectUrl == null) == (s.connectors == null)) {
            throw new OptionException("--connect-url", "give either the Connect REST URL or --connectors files, "
                    + "not both or none");
        }
        if (!s.selection.given()) {
            throw new OptionException("--all", "give at least one selector (--cause, --position, --key, --since), "
                    + "or --all to replay every defect");
        }
        if (!"console".equals(s.format) && !"json".equals(s.format)) {
            throw new OptionException("--format", "console or json, not " + s.format);
        }
        if (s.replayId == null) {
            s.replayId = "replay-" + ID_TIME.format(now);
        } else if (!s.replayId.matches("[A-Za-z0-9._-]{1,200}")) {
            // It becomes part of a transactional.id and of a header: letters, digits, '.', '_' and '-'.
            throw new OptionException("--replay-id", "letters, digits, '.', '_' and '-' only (at most 200)");
        }
        if (s.operator == null || s.operator.isBlank()) {
            s.operator = System.getProperty("user.name", "unknown");
        }
        return s;
    }

    /** Values the command line joined with ';' (a repeated option). */
    private static List<String> parts(String value) {
        List<String> out = new ArrayList<>();
        for (String p : value.split(";")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    /** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}), a UTC date-time without zone, or epoch milliseconds. */
    static long time(String option, String value) {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException notLocal) {
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new OptionException(option, "an ISO-8601 instant or epoch milliseconds, not " + value);
                }
            }
        }
    }

    /** The pipeline's connector configs, unresolved. */
    public Map<String, Map<String, String>> connectorConfigs() throws CannotJudgeException {
        return connectUrl != null ? ConnectorConfigs.fromRest(connectUrl) : ConnectorConfigs.fromFiles(connectors);
    }

    /** The operator's {@code ${env:…}} values: the env file's lines, then the ones given one by one. */
    public Map<String, String> operatorValues() throws java.io.IOException {
        AuditSettings audit = new AuditSettings();
        audit.envFile = envFile;
        audit.env = env;
        return audit.operatorValues();
    }
}
