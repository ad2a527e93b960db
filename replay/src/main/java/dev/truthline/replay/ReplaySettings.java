package dev.truthline.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.OptionException;
import dev.truthline.audit.defects.TriageSettings;

/**
 * What one {@code truthline replay} is asked to do, as {@code name=value} arguments (the command line passes its
 * options so to the replay's own JVM). Where the pipeline is — {@code connectUrl} or {@code connectors},
 * {@code envFile}, {@code env.NAME}, {@code landing}, {@code bootstrapServers} — is read as the audit reads it
 * ({@link AuditSettings}); {@code since} as triage reads it ({@link TriageSettings#since}); the rest is the replay's. A
 * problem with an option is an {@link OptionException} naming it.
 */
public final class ReplaySettings {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Where the pipeline is, read by the audit's own settings. */
    public AuditSettings pipeline;
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
        List<String> pipeline = new ArrayList<>();
        for (String arg : args) {
            AuditSettings.Setting setting = AuditSettings.Setting.parse(arg);
            String name = setting.name();
            String value = setting.value();
            switch (name) {
                case "cause" -> s.selection.causes.addAll(parts(value));
                case "position" -> parts(value).forEach(p -> s.selection.positions.add(PositionRange.parse(p)));
                case "key" -> s.selection.keys.add(value);
                case "since" -> s.selection.sinceMs = TriageSettings.since(value, now).toEpochMilli();
                case "all" -> s.selection.all = Boolean.parseBoolean(value);
                case "again" -> s.again = Boolean.parseBoolean(value);
                case "dryRun" -> s.dryRun = Boolean.parseBoolean(value);
                case "beyondWindow" -> s.beyondWindow = Boolean.parseBoolean(value);
                case "replayId" -> s.replayId = value;
                case "operator" -> s.operator = value;
                case "format" -> s.format = value;
                case "jsonOutput" -> s.jsonOutput = Path.of(value);
                case "connectUrl", "connectors", "envFile", "landing", "bootstrapServers" -> pipeline.add(arg);
                default -> {
                    if (!name.startsWith("env.")) {
                        throw new IllegalArgumentException("unknown setting " + name);
                    }
                    pipeline.add(arg);
                }
            }
        }
        s.pipeline = AuditSettings.fromArguments(pipeline);
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
}
