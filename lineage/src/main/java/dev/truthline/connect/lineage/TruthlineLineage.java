package dev.truthline.connect.lineage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.core.TruthlineVersion;
import io.openlineage.client.Clients;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;

/**
 * Emits OpenLineage run events for the connectors of this Connect worker. A REST extension, because that is the
 * one plugin a worker gives its cluster state ({@link org.apache.kafka.connect.health.ConnectClusterState}: every
 * connector's config and its connector and task states) and runs for the worker's whole life; it reads the
 * Truthline transforms' KIP-877 metrics in-process from the worker's MBean server. An SMT could not: it sees only
 * its own records, never the connector's state or the other transforms.
 *
 * <p>Enable it with {@code rest.extension.classes=dev.truthline.connect.lineage.TruthlineLineage} (a comma-separated
 * list with {@code dev.truthline.connect.rest.TruthlineConfigValidation}); it is installed with the Truthline plugin
 * directory. Where events go is the OpenLineage client's configuration (see {@link LineageConfig}).
 */
public class TruthlineLineage implements ConnectRestExtension, Versioned {

    private static final Logger log = LoggerFactory.getLogger(TruthlineLineage.class);

    private Map<String, ?> workerProps = Map.of();
    private LineageConfig config;
    private OpenLineageClient client;
    private ScheduledExecutorService scheduler;

    public static ConfigDef configDef() {
        return LineageConfig.CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.workerProps = Map.copyOf(configs);
        this.config = new LineageConfig(configs);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        String clientConfig = config.getString(LineageConfig.CLIENT_CONFIG);
        client = clientConfig.isBlank() ? Clients.newClient() : Clients.newClient(() -> List.of(Path.of(clientConfig)));
        String namespace = config.jobNamespace(workerProps);
        RunEvents events = new RunEvents(namespace, AppInfoParser.getVersion(), TruthlineVersion.get());
        ConnectorRuns runs = new ConnectorRuns(events, workerId(workerProps),
                String.valueOf(workerProps.get("bootstrap.servers")), System::getenv, TransformMetrics::read,
                this::emit, Clock.systemUTC());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "truthline-lineage");
            t.setDaemon(true);
            return t;
        });
        long interval = config.getLong(LineageConfig.INTERVAL_MS);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runs.poll(context.clusterState());
            } catch (RuntimeException e) {
                // The herder answers only once the worker has joined its group; a failed poll is retried next time.
                log.debug("Lineage poll failed: {}", e.toString());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        log.info("Truthline lineage: OpenLineage run events for this worker's connectors every {} ms, job namespace {}",
                interval, namespace);
    }

    private void emit(OpenLineage.RunEvent event) {
        try {
            client.emit(event);
        } catch (RuntimeException e) {
            log.warn("OpenLineage event {} of {} not sent: {}", event.getEventType(), event.getJob().getName(),
                    e.toString());
        }
    }

    /** This worker's id as Connect forms it: advertised (or listener) host and port. */
    static String workerId(Map<String, ?> props) {
        Object listeners = props.get("listeners");
        String listener = listeners == null ? "http://:8083" : Datasets.list(String.valueOf(listeners)).get(0);
        URI uri = URI.create(listener.replace("://:", "://0.0.0.0:"));
        Object advertisedHost = props.get("rest.advertised.host.name");
        Object advertisedPort = props.get("rest.advertised.port");
        String host = advertisedHost != null ? String.valueOf(advertisedHost) : uri.getHost();
        if (host == null || host.equals("0.0.0.0")) {
            return null; // Connect then uses the machine's name: do not guess, report every connector
        }
        return host + ":" + (advertisedPort != null ? advertisedPort : uri.getPort());
    }

    @Override
    public String version() {
        return TruthlineVersion.get();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                log.debug("Closing the OpenLineage client: {}", e.toString());
            }
        }
    }
}
