package dev.truthline.audit.defects;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.OptionException;

/**
 * What one {@code truthline triage} is asked to do, as {@code name=value} arguments (the command line passes its
 * options so to triage's own JVM). Where the pipeline is — {@code connectUrl} or {@code connectors}, {@code envFile},
 * {@code env.NAME}, {@code landing}, {@code bootstrapServers} — is read as the audit reads it ({@link AuditSettings});
 * the rest is triage's: {@code since}, {@code format} ({@code console} or {@code json}), {@code htmlOutput},
 * {@code jsonOutput}.
 */
public final class TriageSettings {

    /** Where the pipeline is, read by the audit's own settings. */
    public final AuditSettings pipeline;
    /** The window's start, or null for everything the topics hold. */
    public final Instant since;
    /** {@code console} or {@code json}. */
    public final String format;
    public final Path htmlOutput;
    public final Path jsonOutput;

    private TriageSettings(AuditSettings pipeline, Instant since, String format, Path htmlOutput, Path jsonOutput) {
        this.pipeline = pipeline;
        this.since = since;
        this.format = format;
        this.htmlOutput = htmlOutput;
        this.jsonOutput = jsonOutput;
    }

    /**
     * @param now what {@code since=7d} counts back from
     * @throws IllegalArgumentException or {@link OptionException} for a setting triage cannot take
     */
    public static TriageSettings fromArguments(List<String> args, Instant now) {
        List<String> pipeline = new ArrayList<>();
        Instant since = null;
        String format = "console";
        Path html = null;
        Path json = null;
        for (String arg : args) {
            AuditSettings.Setting setting = AuditSettings.Setting.parse(arg);
            String name = setting.name();
            String value = setting.value();
            switch (name) {
                case "since" -> since = since(value, now);
                case "format" -> format = value;
                case "htmlOutput" -> html = Path.of(value);
                case "jsonOutput" -> json = Path.of(value);
                case "connectUrl", "connectors", "envFile", "landing", "bootstrapServers" -> pipeline.add(arg);
                default -> {
                    if (!name.startsWith("env.")) {
                        throw new IllegalArgumentException("unknown setting " + name);
                    }
                    pipeline.add(arg);
                }
            }
        }
        if (!"console".equals(format) && !"json".equals(format)) {
            throw new IllegalArgumentException("format is console or json, not " + format);
        }
        return new TriageSettings(AuditSettings.fromArguments(pipeline), since, format, html, json);
    }

    /**
     * {@code --since}: a duration back from {@code now} ({@code 7d}, {@code 24h}, {@code 90m}, or ISO-8601
     * {@code PT1H} / {@code P7D}), an ISO-8601 instant, or epoch milliseconds.
     */
    public static Instant since(String value, Instant now) {
        String v = value.strip();
        if (v.length() > 1 && "dhms".indexOf(v.charAt(v.length() - 1)) >= 0
                && v.substring(0, v.length() - 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            Duration d = switch (v.charAt(v.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            return now.minus(d);
        }
        if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return now.minus(Duration.parse(v));
            } catch (DateTimeParseException notDuration) {
                throw new OptionException("--since", "a duration (7d, 24h, PT1H), an ISO-8601 instant or epoch "
                        + "milliseconds, not " + value);
            }
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notInstant) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new OptionException("--since", "a duration (7d, 24h, PT1H), an ISO-8601 instant or epoch "
                        + "milliseconds, not " + value);
            }
        }
    }
}
