package dev.truthline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where a running pipeline is, as the audit and triage find it: its connector configs (Connect's REST API or files),
 * the operator's values for their {@code ${env:…}} references, the landing connector and the Kafka cluster. A picocli
 * mixin; its options become the child JVM's {@code name=value} settings ({@code dev.truthline.audit.AuditSettings}).
 */
final class PipelineOptions {

    /** Where the pipeline's connector configs come from: one of the two. */
    static final class Source {
        @Option(names = "--connect-url", paramLabel = "URL", required = true,
                description = "Connect's REST API: GET /connectors?expand=info.")
        String connectUrl;

        @Option(names = "--connectors", paramLabel = "PATH", required = true,
                description = "Connector files: a folder of {\"name\",\"config\"} JSON files, or one file.")
        Path connectors;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "NAME=VALUE lines for the configs' $${env:NAME} references (over this process's environment).")
    Path envFile;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "One $${env:NAME} value.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--landing", paramLabel = "CONNECTOR",
            description = "The sink whose table counts as landed (default: the Iceberg sink with Deduplicate); its "
                    + "topic is the change topic.")
    String landing;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "The Kafka cluster (default: the landing sink's iceberg.kafka.bootstrap.servers).")
    String bootstrapServers;

    /** The source, the env file, the landing connector and the cluster as settings (the {@code --env} values: see {@link #envArguments}). */
    List<String> settingsArguments() {
        List<String> a = new ArrayList<>();
        if (source.connectUrl != null) {
            a.add("connectUrl=" + source.connectUrl);
        } else {
            a.add("connectors=" + source.connectors.toAbsolutePath());
        }
        add(a, "envFile", envFile == null ? null : envFile.toAbsolutePath().toString());
        add(a, "landing", landing);
        add(a, "bootstrapServers", bootstrapServers);
        return a;
    }

    /** The {@code --env} values as {@code env.NAME=VALUE} settings. */
    List<String> envArguments() {
        List<String> a = new ArrayList<>();
        env.forEach((k, v) -> a.add("env." + k + "=" + v));
        return a;
    }

    static void add(List<String> a, String name, String value) {
        if (value != null) {
            a.add(name + "=" + value);
        }
    }
}
