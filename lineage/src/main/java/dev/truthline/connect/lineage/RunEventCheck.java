package dev.truthline.connect.lineage;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks emitted OpenLineage run events against the spec, as written in the OpenLineage/OpenLineage repository:
 * spec/OpenLineage.json ({@code RunEvent}, {@code BaseFacet}), spec/OpenLineage.md (custom facet naming, the run
 * cycle) and spec/Naming.md (dataset namespaces). What a test or the demo runs over a file of events, so the same
 * rules judge the lineage of any pipeline; each problem names the event and the clause it breaks.
 */
public final class RunEventCheck {

    /** spec/OpenLineage.json, RunEvent.eventType. */
    static final Set<String> EVENT_TYPES = Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");
    /** spec/OpenLineage.md, Run cycle: the events that end a run. */
    static final Set<String> TERMINAL = Set.of("COMPLETE", "ABORT", "FAIL");
    /** The standard run facets this extension emits (spec/facets/ProcessingEngineRunFacet.json, ErrorMessageRunFacet.json). */
    static final Set<String> STANDARD_RUN_FACETS = Set.of("processing_engine", "errorMessage");

    private RunEventCheck() {
    }

    /** The problems of one event on its own; empty when it conforms. */
    public static List<String> problems(JsonNode event) {
        List<String> problems = new ArrayList<>();
        String at = describe(event);
        // RunEvent: eventTime is a date-time (RFC 3339), producer and schemaURL are URIs.
        try {
            OffsetDateTime.parse(event.path("eventTime").asText());
        } catch (DateTimeParseException e) {
            problems.add(at + ": eventTime is not an RFC 3339 date-time (OpenLineage.json RunEvent.eventTime)");
        }
        if (!absoluteUri(event.path("producer").asText())) {
            problems.add(at + ": producer is not an absolute URI (OpenLineage.json BaseEvent.producer)");
        }
        String schemaUrl = event.path("schemaURL").asText();
        if (!schemaUrl.startsWith("https://openlineage.io/spec/") || !schemaUrl.endsWith("#/$defs/RunEvent")) {
            problems.add(at + ": schemaURL " + schemaUrl + " does not name the spec's RunEvent definition");
        }
        if (!EVENT_TYPES.contains(event.path("eventType").asText())) {
            problems.add(at + ": eventType is not one of " + EVENT_TYPES + " (OpenLineage.json RunEvent.eventType)");
        }
        try {
            UUID.fromString(event.path("run").path("runId").asText());
        } catch (IllegalArgumentException e) {
            problems.add(at + ": run.runId is not a UUID (OpenLineage.json Run.runId)");
        }
        if (event.path("job").path("namespace").asText().isBlank() || event.path("job").path("name").asText().isBlank()) {
            problems.add(at + ": job.namespace and job.name are required (OpenLineage.json Job)");
        }
        // OpenLineage.md, Custom Facet Naming: a custom facet's name is prefixed by the project that defines it.
        List<JsonNode> facets = new ArrayList<>();
        event.path("run").path("facets").properties().forEach(f -> {
            facets.add(f.getValue());
            if (!f.getKey().startsWith("truthline_") && !STANDARD_RUN_FACETS.contains(f.getKey())) {
                problems.add(at + ": run facet " + f.getKey() + " is neither a standard facet nor prefixed truthline_");
            }
        });
        event.path("job").path("facets").forEach(facets::add);
        for (String side : List.of("inputs", "outputs")) {
            for (JsonNode dataset : event.path(side)) {
                dataset.path("facets").forEach(facets::add);
                dataset.path("inputFacets").forEach(facets::add);
                dataset.path("outputFacets").forEach(facets::add);
                problems.addAll(naming(at, side, dataset));
            }
        }
        // BaseFacet: _producer and _schemaURL are required URIs.
        for (JsonNode facet : facets) {
            if (!absoluteUri(facet.path("_producer").asText()) || !absoluteUri(facet.path("_schemaURL").asText())) {
                problems.add(at + ": a facet lacks an absolute _producer or _schemaURL (OpenLineage.json BaseFacet)");
            }
        }
        return problems;
    }

    /**
     * The problems of a stream of events in the order emitted: each of them on its own, then per run (runId) the run
     * cycle of spec/OpenLineage.md — a run starts with START, nothing follows its COMPLETE/ABORT/FAIL, event times do
     * not go back, and every event of a run names the same job.
     *
     * @param ended whether the emitter has stopped, so every run must have its terminal event
     */
    public static List<String> streamProblems(List<JsonNode> events, boolean ended) {
        List<String> problems = new ArrayList<>();
        Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
        for (JsonNode e : events) {
            problems.addAll(problems(e));
            runs.computeIfAbsent(e.path("run").path("runId").asText(), k -> new ArrayList<>()).add(e);
        }
        runs.forEach((runId, run) -> {
            String job = run.get(0).path("job").path("name").asText();
            if (!"START".equals(run.get(0).path("eventType").asText())) {
                problems.add("run " + runId + " of " + job + " begins with " + run.get(0).path("eventType").asText()
                        + ", not START (OpenLineage.md, Run cycle)");
            }
            for (int i = 1; i < run.size(); i++) {
                JsonNode before = run.get(i - 1);
                JsonNode e = run.get(i);
                if (TERMINAL.contains(before.path("eventType").asText())) {
                    problems.add("run " + runId + " of " + job + " has a " + e.path("eventType").asText() + " event after its "
                            + before.path("eventType").asText() + " (OpenLineage.md, Run cycle)");
                }
                if (!job.equals(e.path("job").path("name").asText())) {
                    problems.add("run " + runId + " changes its job from " + job + " to " + e.path("job").path("name").asText());
                }
                if (time(e).isBefore(time(before))) {
                    problems.add("run " + runId + " of " + job + " goes back in time at its event " + (i + 1));
                }
            }
            if (ended && !TERMINAL.contains(run.get(run.size() - 1).path("eventType").asText())) {
                problems.add("run " + runId + " of " + job + " never ended: it is required to send a COMPLETE, FAIL or ABORT "
                        + "event (OpenLineage.md, Run cycle)");
            }
        });
        return problems;
    }

    /**
     * spec/Naming.md: Kafka {@code kafka://{bootstrap host}:{port}} / {@code {topic}}; PostgreSQL
     * {@code postgres://{host}:{port}} / {@code {database}.{schema}.{table}}; local file system {@code file} /
     * {@code {path}}; S3 {@code s3://{bucket}} / {@code {object key}}.
     */
    static List<String> naming(String at, String side, JsonNode dataset) {
        String namespace = dataset.path("namespace").asText();
        String name = dataset.path("name").asText();
        String what = at + ": " + side + " dataset " + namespace + " / " + name;
        List<String> problems = new ArrayList<>();
        if (name.isBlank()) {
            problems.add(what + " has no name (OpenLineage.json Dataset.name)");
        } else if (namespace.startsWith("kafka://")) {
            if (!namespace.matches("kafka://[^/:]+:\\d+") || name.contains("/")) {
                problems.add(what + " is not kafka://{host}:{port} / {topic} (Naming.md, Kafka)");
            }
        } else if (namespace.startsWith("postgres://")) {
            if (!namespace.matches("postgres://[^/:]+:\\d+") || !name.matches("[^.]+\\.[^.]+\\.[^.]+")) {
                problems.add(what + " is not postgres://{host}:{port} / {database}.{schema}.{table} (Naming.md, Postgres)");
            }
        } else if ("file".equals(namespace)) {
            if (!name.startsWith("/")) {
                problems.add(what + " is not file / {absolute path} (Naming.md, Local file system)");
            }
        } else if (namespace.startsWith("s3://")) {
            if (!namespace.matches("s3://[^/]+") || name.startsWith("/")) {
                problems.add(what + " is not s3://{bucket} / {object key} (Naming.md, S3)");
            }
        } else {
            problems.add(what + " has a namespace scheme this check does not know (Naming.md)");
        }
        return problems;
    }

    private static OffsetDateTime time(JsonNode e) {
        try {
            return OffsetDateTime.parse(e.path("eventTime").asText());
        } catch (DateTimeParseException ex) {
            return OffsetDateTime.MIN;
        }
    }

    private static boolean absoluteUri(String text) {
        try {
            return !text.isBlank() && new URI(text).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String describe(JsonNode event) {
        return event.path("eventType").asText("?") + " of " + event.path("job").path("name").asText("?") + " at "
                + event.path("eventTime").asText("?");
    }
}
