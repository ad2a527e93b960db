package dev.truthline.connect.lineage;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

/**
 * Builds the OpenLineage run events of one connector run. Job = connector (namespace: the Connect cluster); the
 * inputs carry, per ValidateContract transform, a {@code dataQualityAssertions} facet (one assertion per contract
 * rule: did it hold since the previous event) and a {@code dataQualityMetrics} facet (records validated); the run
 * carries Truthline's own facets: {@code truthline_validation} (counts by verdict and violations by rule) and
 * {@code truthline_deduplication} (Deduplicate's counts).
 */
final class RunEvents {

    static final URI PRODUCER = URI.create("https://github.com/truthline/truthline/tree/main/lineage");
    static final String FACET_SCHEMAS = "https://github.com/truthline/truthline/blob/main/docs/lineage/";
    static final URI VALIDATION_FACET_SCHEMA = URI.create(FACET_SCHEMAS
            + "TruthlineValidationRunFacet.json#/$defs/TruthlineValidationRunFacet");
    static final URI DEDUPLICATION_FACET_SCHEMA = URI.create(FACET_SCHEMAS
            + "TruthlineDeduplicationRunFacet.json#/$defs/TruthlineDeduplicationRunFacet");
    static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";
    static final List<String> VALIDATION_COUNTERS = List.of("records-total", "records-valid", "records-invalid",
            "records-warned", "records-quarantined", "records-dropped", "records-failed", "records-dead-lettered",
            "records-skipped");
    static final List<String> DEDUPE_COUNTERS = List.of("records-total", "records-passed", "duplicates-total",
            "stale-total", "stale-tombstones-total", "replays-total", "missing-id-total", "records-skipped",
            "window-entries", "window-max-entries", "window-evictions-total");

    private final OpenLineage ol = new OpenLineage(PRODUCER);
    private final String jobNamespace;
    private final String engineVersion;
    private final String truthlineVersion;

    RunEvents(String jobNamespace, String engineVersion, String truthlineVersion) {
        this.jobNamespace = jobNamespace;
        this.engineVersion = engineVersion;
        this.truthlineVersion = truthlineVersion;
    }

    /**
     * @param previous the metrics of the previous event of this run, to tell which rules were violated since
     *        (null: none yet, every violation counts)
     */
    OpenLineage.RunEvent event(EventType type, UUID runId, String connector, Map<String, String> config,
            Datasets.Io io, TransformMetrics metrics, TransformMetrics previous, String error, ZonedDateTime now) {
        OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder()
                .processing_engine(ol.newProcessingEngineRunFacet(engineVersion, "kafka-connect", truthlineVersion));
        if (error != null) {
            runFacets.errorMessage(ol.newErrorMessageRunFacet(firstLine(error), "java", error));
        }
        List<String> validations = aliases(config, Datasets.VALIDATE);
        List<String> dedupes = aliases(config, DEDUPLICATE);
        if (metrics != null && !validations.isEmpty()) {
            runFacets.put("truthline_validation", facet(VALIDATION_FACET_SCHEMA, validationCounts(validations, config,
                    metrics)));
        }
        if (metrics != null && !dedupes.isEmpty()) {
            Map<String, Object> byAlias = new LinkedHashMap<>();
            for (String alias : dedupes) {
                Map<String, Object> counts = new LinkedHashMap<>();
                DEDUPE_COUNTERS.forEach(c -> counts.put(camel(c), metrics.get(alias, c)));
                byAlias.put(alias, counts);
            }
            runFacets.put("truthline_deduplication", facet(DEDUPLICATION_FACET_SCHEMA, Map.of("transforms", byAlias)));
        }
        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        for (Datasets.Dataset d : io.inputs()) {
            OpenLineage.InputDatasetInputFacetsBuilder facets = ol.newInputDatasetInputFacetsBuilder();
            if (metrics != null && !validations.isEmpty()) {
                facets.dataQualityAssertions(assertions(validations, config, metrics, previous));
                facets.dataQualityMetrics(ol.newDataQualityMetricsInputDatasetFacetBuilder()
                        .rowCount(validations.stream().mapToLong(a -> metrics.get(a, "records-total")).max().orElse(0))
                        .columnMetrics(ol.newDataQualityMetricsInputDatasetFacetColumnMetricsBuilder().build())
                        .build());
            }
            inputs.add(ol.newInputDatasetBuilder().namespace(d.namespace()).name(d.name())
                    .facets(datasetFacets(d)).inputFacets(facets.build()).build());
        }
        List<OpenLineage.OutputDataset> outputs = io.outputs().stream().map(d -> ol.newOutputDatasetBuilder()
                .namespace(d.namespace()).name(d.name()).facets(datasetFacets(d)).build()).toList();
        OpenLineage.JobFacets jobFacets = ol.newJobFacetsBuilder()
                .jobType(ol.newJobTypeJobFacet("STREAMING", "KAFKA_CONNECT", "CONNECTOR", null))
                .build();
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(now)
                .run(ol.newRun(runId, runFacets.build()))
                .job(ol.newJob(jobNamespace, connector, jobFacets))
                .inputs(inputs)
                .outputs(outputs)
                .build();
    }

    private OpenLineage.DatasetFacets datasetFacets(Datasets.Dataset d) {
        if (d.symlinkName() == null) {
            return null;
        }
        return ol.newDatasetFacetsBuilder().symlinks(ol.newSymlinksDatasetFacet(List.of(
                ol.newSymlinksDatasetFacetIdentifiers(d.symlinkNamespace(), d.symlinkName(), "TABLE")))).build();
    }

    /** One assertion per rule of every ValidateContract transform: it held when it had no new violation. */
    private OpenLineage.DataQualityAssertionsDatasetFacet assertions(List<String> validations, Map<String, String> config,
            TransformMetrics metrics, TransformMetrics previous) {
        List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> list = new ArrayList<>();
        for (String alias : validations) {
            for (Map.Entry<String, Long> rule : metrics.violationsByAlias().getOrDefault(alias, Map.of()).entrySet()) {
                long before = previous == null ? 0
                        : previous.violationsByAlias().getOrDefault(alias, Map.of()).getOrDefault(rule.getKey(), 0L);
                String prefix = "transforms." + alias + ".rules." + rule.getKey() + ".";
                list.add(ol.newDataQualityAssertionsDatasetFacetAssertionsBuilder()
                        .assertion(rule.getKey())
                        .success(rule.getValue() - before == 0)
                        .column(config.get(prefix + "field"))
                        .severity(config.getOrDefault(prefix + "severity", "error"))
                        .description(config.get(prefix + "type") == null ? null : config.get(prefix + "type") + " rule")
                        .actual(Long.toString(rule.getValue() - before))
                        .expected("0")
                        .build());
            }
        }
        return ol.newDataQualityAssertionsDatasetFacet(list);
    }

    private static Map<String, Object> validationCounts(List<String> validations, Map<String, String> config,
            TransformMetrics metrics) {
        Map<String, Object> byAlias = new LinkedHashMap<>();
        for (String alias : validations) {
            Map<String, Object> counts = new LinkedHashMap<>();
            String prefix = "transforms." + alias + ".";
            if (config.get(prefix + "contract.id") != null) {
                counts.put("contract", config.get(prefix + "contract.id") + "@"
                        + config.getOrDefault(prefix + "contract.version", ""));
            }
            VALIDATION_COUNTERS.forEach(c -> counts.put(camel(c), metrics.get(alias, c)));
            counts.put("violationsByRule", metrics.violationsByAlias().getOrDefault(alias, Map.of()));
            byAlias.put(alias, counts);
        }
        return Map.of("transforms", byAlias);
    }

    private OpenLineage.RunFacet facet(URI schema, Map<String, Object> fields) {
        OpenLineage.RunFacet facet = new CustomRunFacet(PRODUCER, schema);
        facet.getAdditionalProperties().putAll(fields);
        return facet;
    }

    /** A custom run facet: {@code _producer}, {@code _schemaURL} and its fields. */
    static final class CustomRunFacet extends OpenLineage.DefaultRunFacet {
        private final URI schemaUrl;

        CustomRunFacet(URI producer, URI schemaUrl) {
            super(producer);
            this.schemaUrl = schemaUrl;
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl;
        }
    }

    /** The aliases of a connector's transforms of one class (or class prefix, for $Key/$Value). */
    static List<String> aliases(Map<String, String> config, String typePrefix) {
        return Datasets.list(config.get("transforms")).stream()
                .filter(a -> String.valueOf(config.get("transforms." + a + ".type")).startsWith(typePrefix)).toList();
    }

    private static String camel(String metric) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : metric.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
