package dev.truthline.connect.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Each rule of {@link RunEventCheck} on an event that keeps it and on one that breaks it. */
class RunEventCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = "0193a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b";

    private static ObjectNode event(String type, String time) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"eventTime": "%s", "eventType": "%s",
                 "producer": "https://github.com/truthline/truthline/lineage",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                 "run": {"runId": "%s", "facets": {
                     "processing_engine": {"_producer": "https://truthline.dev", "_schemaURL": "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json", "version": "4.3.1"},
                     "truthline_validation": {"_producer": "https://truthline.dev", "_schemaURL": "https://truthline.dev/spec/ValidationRunFacet.json"}}},
                 "job": {"namespace": "kafka-connect://demo", "name": "orders-silver"},
                 "inputs": [{"namespace": "kafka://localhost:9092", "name": "orders.events.v1"}],
                 "outputs": [{"namespace": "file", "name": "/data/lake/silver/orders"},
                             {"namespace": "postgres://db.example:5432", "name": "postgres.public.orders_current"},
                             {"namespace": "s3://lake", "name": "warehouse/bronze/orders"}]}
                """.formatted(time, type, RUN));
    }

    @Test
    void aConformingEventHasNoProblem() throws Exception {
        assertThat(RunEventCheck.problems(event("RUNNING", "2026-12-04T18:00:00.123Z"))).isEmpty();
    }

    /** OpenLineage.json RunEvent: eventTime date-time, producer URI, eventType enum, run.runId uuid, job name. */
    @Test
    void theRunEventsRequiredFieldsAreChecked() throws Exception {
        ObjectNode e = event("FINISHED", "yesterday");
        e.put("producer", "truthline");
        ((ObjectNode) e.path("run")).put("runId", "run-1");
        ((ObjectNode) e.path("job")).put("name", "");
        e.put("schemaURL", "https://example.com/schema.json");
        assertThat(String.join("\n", RunEventCheck.problems(e))).contains("eventTime", "producer", "schemaURL",
                "eventType", "run.runId", "job.name");
    }

    /** OpenLineage.md, Custom Facet Naming; OpenLineage.json BaseFacet: _producer and _schemaURL. */
    @Test
    void customFacetsArePrefixedAndEveryFacetNamesItsProducerAndSchema() throws Exception {
        ObjectNode e = event("RUNNING", "2026-12-04T18:00:00Z");
        ObjectNode facets = (ObjectNode) e.path("run").path("facets");
        facets.set("dedupe", JSON.readTree("{\"_producer\": \"https://truthline.dev\", \"_schemaURL\": \"https://x/y.json\"}"));
        ((ObjectNode) facets.path("truthline_validation")).remove("_schemaURL");
        List<String> problems = RunEventCheck.problems(e);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("run facet dedupe");
        assertThat(problems.get(1)).contains("_schemaURL");
    }

    /** Naming.md: Kafka, Postgres, local file system and S3 namespaces and names. */
    @Test
    void datasetsAreNamedByTheNamingSpec() throws Exception {
        ObjectNode e = event("RUNNING", "2026-12-04T18:00:00Z");
        e.set("inputs", JSON.readTree("""
                [{"namespace": "kafka://localhost", "name": "orders"},
                 {"namespace": "kafka://localhost:9092", "name": "a/b"},
                 {"namespace": "postgres://db:5432", "name": "public.orders"},
                 {"namespace": "file", "name": "relative/path"},
                 {"namespace": "s3://lake/warehouse", "name": "silver/orders"},
                 {"namespace": "hdfs://nn:8020", "name": "/x"},
                 {"namespace": "kafka://localhost:9092", "name": ""}]"""));
        assertThat(RunEventCheck.problems(e)).hasSize(7).allMatch(p -> p.contains("inputs dataset"));
    }

    /** OpenLineage.md, Run cycle: START first, nothing after the end, time forward, one job per run, an end. */
    @Test
    void theRunCycleIsChecked() throws Exception {
        List<JsonNode> good = List.of(event("START", "2026-12-04T18:00:00Z"), event("RUNNING", "2026-12-04T18:00:05Z"),
                event("COMPLETE", "2026-12-04T18:00:09Z"));
        assertThat(RunEventCheck.streamProblems(good, true)).isEmpty();

        List<JsonNode> open = List.of(event("START", "2026-12-04T18:00:00Z"), event("RUNNING", "2026-12-04T18:00:05Z"));
        assertThat(RunEventCheck.streamProblems(open, false)).isEmpty();
        assertThat(RunEventCheck.streamProblems(open, true)).singleElement().asString().contains("never ended");

        ObjectNode otherJob = event("RUNNING", "2026-12-04T18:00:06Z");
        ((ObjectNode) otherJob.path("job")).put("name", "orders-bronze");
        List<JsonNode> bad = List.of(event("RUNNING", "2026-12-04T18:00:05Z"), event("FAIL", "2026-12-04T18:00:04Z"),
                otherJob);
        assertThat(String.join("\n", RunEventCheck.streamProblems(bad, false))).contains("begins with RUNNING",
                "goes back in time", "after its FAIL", "changes its job");
    }
}
