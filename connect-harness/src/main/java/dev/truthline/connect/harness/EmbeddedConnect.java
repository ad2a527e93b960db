package dev.truthline.connect.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Connect's own {@link EmbeddedConnectCluster} (in-process KRaft broker and workers) with the project's worker
 * settings ({@link WorkerSettings}) and broker settings: no initial rebalance delay, and transactions on one
 * broker. Tests add their plugin.path, REST extension and own settings, then {@link Builder#start()}.
 */
public final class EmbeddedConnect {

    private EmbeddedConnect() {
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Builds and starts an embedded cluster. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> workerProps;
        private final Properties brokerProps = new Properties();
        private int workers = 1;

        private Builder(String name) {
            this.name = name;
            // Internal topics named connect-…, as Connect names them by default (tests tell them from their own topics so).
            this.workerProps = WorkerSettings.forGroup("connect-cluster-" + name);
            brokerProps.put("group.initial.rebalance.delay.ms", "0");
            brokerProps.put("transaction.state.log.replication.factor", "1");
            brokerProps.put("transaction.state.log.min.isr", "1");
        }

        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        /** The workers' plugin.path (otherwise plugins come from the class path). */
        public Builder pluginPath(Path path) {
            return workerProp("plugin.path", path.toAbsolutePath().toString());
        }

        /** Truthline's REST extension ({@code rest.extension.classes}). */
        public Builder truthlineRestExtension() {
            return workerProp("rest.extension.classes", WorkerSettings.REST_EXTENSION);
        }

        public Builder workerProp(String key, String value) {
            workerProps.put(key, value);
            return this;
        }

        /** Topics are created by the tests, never on first use. */
        public Builder noTopicAutoCreation() {
            return brokerProp("auto.create.topics.enable", "false");
        }

        public Builder brokerProp(String key, String value) {
            brokerProps.put(key, value);
            return this;
        }

        /** The worker settings as built so far (forked workers joining this cluster start from them). */
        public Map<String, String> workerProps() {
            return new LinkedHashMap<>(workerProps);
        }

        public EmbeddedConnectCluster build() {
            return new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).numBrokers(1)
                    .workerProps(new LinkedHashMap<>(workerProps)).brokerProps(brokerProps).build();
        }

        /** Builds and starts the cluster; returns once every worker is up. */
        public EmbeddedConnectCluster start() throws InterruptedException {
            EmbeddedConnectCluster cluster = build();
            long started = System.nanoTime();
            cluster.start();
            cluster.assertions().assertExactlyNumWorkersAreUp(workers, "The Connect workers of " + name + " did not start");
            System.getLogger(EmbeddedConnect.class.getName()).log(System.Logger.Level.INFO,
                    "Broker and {0} Connect worker(s) of {1} up in {2} ms", workers, name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return cluster;
        }
    }
}
