package dev.truthline.ops;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The PromQL a Grafana dashboard runs: every panel's (and nested row panel's) targets, and query variables. */
final class GrafanaDashboard {

    private GrafanaDashboard() {
    }

    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                String q = variable.path("query").isTextual() ? variable.path("query").asText()
                        : variable.path("query").path("query").asText();
                // label_values(metric, label): the metric is what must exist.
                queries.add(q.replaceAll("^label_values\\(([^,]+),.*\\)$", "$1"));
            }
        }
        return queries;
    }

    private static void collect(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
            collect(panel.path("panels"), queries);
        }
    }
}
