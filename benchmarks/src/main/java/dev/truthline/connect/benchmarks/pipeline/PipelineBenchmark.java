package dev.truthline.connect.benchmarks.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.connect.harness.ForkedJvm;
import dev.truthline.connect.harness.KafkaCluster;
import dev.truthline.connect.harness.WorkerSettings;

/**
 * What the Truthline chain costs where users run it: a forked KRaft broker and a forked distributed Connect worker
 * (Kafka's own main classes on {@code demo-kafka/target/libs}, the packaged plugin on plugin.path, as the demo runs
 * them) read a pre-filled topic of Debezium orders change events into a sink that discards and/or the real Iceberg
 * sink ({@link Sink}, {@code --sink}), once per configuration of {@link Chain}, for each {@link WireFormat}; every
 * configuration is a fresh connector with its own consumer group (and, into Iceberg, its own table), and the
 * configurations take turns within each round (the order rotates from round to round). Prints a
 * table and writes JSON ({@link PipelineReport}). Run from the repository root after
 * {@code ./mvnw -pl benchmarks -am package -DskipTests}:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.truthline.connect.benchmarks.pipeline.PipelineBenchmark --records 2000000</pre>
 */
public final class PipelineBenchmark {

    /** The run's settings; {@link #parse} reads them from {@code --name value} arguments. */
    public static final class Options {
        public long records = 1_000_000;
        public int rounds = 1;
        /** Rounds run first and left out of the report: the worker's JIT compiles the consumer, converter and SMTs. */
        public int warmupRounds = 1;
        public int tasks = 2;
        /** The wire formats; null: every one all {@link #sinks} can write. */
        public List<WireFormat> formats;
        /** The configurations; null: every one all {@link #sinks} run. */
        public List<Chain> chains;
        /**
         * Where the connectors write: a discarding sink, the real Iceberg sink (a table per pass), or both side by side
         * in the same run (every configuration into each).
         */
        public List<Sink> sinks = List.of(Sink.DISCARD);
        /** The configurations run into Iceberg; null: {@link #chains()} (Iceberg passes are slow: run fewer there). */
        public List<Chain> icebergChains;
        /** The Iceberg sink's {@code iceberg.control.commit.interval-ms}. */
        public long commitIntervalMs = 10_000;
        /** The repository root: where demo-kafka/, packaging/ and benchmarks/target/ are. */
        public Path repo = Path.of(".");
        public Path work;
        public Path json;
        public String workerHeap = "1g";
        /**
         * Deduplicate's {@code window.max.entries} in every configuration that runs it (the reference silver
         * connector's by default): how the window's size, not only its rule, sets the cost of a record.
         */
        public int windowEntries = Chain.REFERENCE_WINDOW;
        /**
         * Records of each pass read before its first sample: with {@code tasks × window entries} the de-duplication
         * windows are full when sampling starts, so a configuration with Deduplicate is measured in its steady state
         * (evicting as it remembers) rather than while its window fills and grows; every configuration skips as many.
         */
        public long skipRecords;
        /** Record the worker with JFR (profile settings) to work/worker.jfr. */
        public boolean jfr;

        /** The settings of {@code --name value} arguments; fails when the sink cannot run the formats or configs. */
        static Options parse(String[] args) {
            Options o = new Options();
            Option.each(args, () -> o.jfr = true, (name, value) -> {
                switch (name) {
                    case "--records" -> o.records = Long.parseLong(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--warmup" -> o.warmupRounds = Integer.parseInt(value);
                    case "--tasks" -> o.tasks = Integer.parseInt(value);
                    case "--formats" -> o.formats = Stream.of(value.split(",")).map(WireFormat::of).toList();
                    case "--configs" -> o.chains = Stream.of(value.split(",")).map(Chain::of).toList();
                    case "--iceberg-configs" -> o.icebergChains = Stream.of(value.split(",")).map(Chain::of).toList();
                    case "--repo" -> o.repo = Path.of(value);
                    case "--work" -> o.work = Path.of(value);
                    case "--json" -> o.json = Path.of(value);
                    case "--worker-heap" -> o.workerHeap = value;
                    case "--sink" -> o.sinks = Stream.of(value.split(",")).map(Sink::of).distinct().toList();
                    case "--commit-interval-ms" -> o.commitIntervalMs = Long.parseLong(value);
                    case "--window-entries" -> o.windowEntries = Integer.parseInt(value);
                    case "--skip-records" -> o.skipRecords = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + " (--records, --rounds, "
                            + "--warmup, --tasks, --formats, --configs, --iceberg-configs, --sink, --commit-interval-ms, --window-entries, "
                            + "--skip-records, "
                            + "--repo, --work, "
                            + "--json, --worker-heap, --jfr)");
                }
            });
            o.check();
            return o;
        }

        List<WireFormat> formats() {
            return formats != null ? formats
                    : List.of(WireFormat.values()).stream().filter(f -> sinks.stream().allMatch(s -> s.formats().contains(f))).toList();
        }

        List<Chain> chains() {
            return chains != null ? chains
                    : List.of(Chain.values()).stream().filter(c -> sinks.stream().allMatch(s -> s.chains().contains(c))).toList();
        }

        /** The configurations run into {@code sink}. */
        List<Chain> chains(Sink sink) {
            return sink == Sink.ICEBERG && icebergChains != null ? icebergChains : chains();
        }

        boolean iceberg() {
            return sinks.contains(Sink.ICEBERG);
        }

        void check() {
            if (windowEntries < 1) {
                throw new IllegalArgumentException("--window-entries must be at least 1, not " + windowEntries);
            }
            if (skipRecords < 0 || skipRecords >= records) {
                throw new IllegalArgumentException("--skip-records must be at least 0 and below --records (" + records
                        + "), not " + skipRecords);
            }
            sinks.forEach(s -> s.check(formats(), chains(s)));
        }

        Path work() {
            return (work != null ? work : repo.resolve("target/pipeline-benchmark")).toAbsolutePath();
        }

        Path json() {
            return json != null ? json : work().resolve("pipeline-benchmark.json");
        }
    }

    /**
     * Kafka's own group.initial.rebalance.delay.ms (the harness sets 0 for quick tests): a pass's tasks start a few
     * milliseconds apart, and without the delay the first takes every partition and reads until the second joins;
     * the partition moved to it is then read again from the last committed offset — into Iceberg, which commits
     * offsets only with a table commit, up to a whole commit interval of records counted twice. One task has nobody
     * to wait for.
     */
    static final Map<String, String> BROKER = Map.of("group.initial.rebalance.delay.ms", "3000");

    static final String LOG4J = String.join("\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = WARN",
            "rootLogger.appenderRef.console.ref = console",
            "");

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Option.parseOrExit(Options::parse, args);
        PipelineReport report = run(options, System.out);
        System.out.println();
        System.out.print(report.table());
        System.out.println("JSON: " + options.json());
    }

    /** Runs the benchmark; progress lines go to {@code out}; the report is also written to {@link Options#json()}. */
    public static PipelineReport run(Options o, java.io.PrintStream out) throws Exception {
        o.check();
        Path repo = o.repo.toAbsolutePath().normalize();
        Path libs = require(repo.resolve("demo-kafka/target/libs"));
        Path work = o.work();
        Files.createDirectories(work);
        for (String stale : List.of("kafka", "connect", "plugins", "postgres", "warehouse")) {
            dev.truthline.connect.harness.Folders.deleteRecursively(work.resolve(stale));
        }
        // plugin.path as a platform engineer lays it out, one folder per plugin (links to the built ones).
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path built = repo.resolve("benchmarks/target/pipeline-plugins");
        Files.createSymbolicLink(plugins.resolve("truthline"), packagedPlugin(repo));
        // The discarding sink with Debezium's scripting Filter and Groovy beside it, as Debezium's documentation
        // deploys them (in the connector's folder): the JSR 223 engine is looked up on the connector's class loader.
        Path sink = Files.createDirectories(plugins.resolve("discard"));
        linkJars(require(built.resolve("discard")), sink);
        linkJars(require(built.resolve("groovy-filter")), sink);
        filterManifest(sink);
        Path icebergPlugin = null;
        if (o.iceberg()) {
            icebergPlugin = require(repo.resolve("iceberg-plugin/target/plugins/iceberg-kafka-connect"));
            Files.createSymbolicLink(plugins.resolve("iceberg-kafka-connect"), icebergPlugin);
        }
        Path log4j = work.resolve("log4j2.properties");
        // The Iceberg sink's commits (requests, responses, table commits, coordinator changes) in the worker's log:
        // what to read when a table comes up short.
        Files.writeString(log4j, LOG4J + (o.iceberg() ? String.join("\n", "logger.iceberg.name = org.apache.iceberg.connect",
                "logger.iceberg.level = INFO", "") : ""));
        String classPath = ForkedJvm.folderClassPath(libs);
        String loadBefore = loadAverage();
        List<Measurement> measurements = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // PostgreSQL and the catalog start while the broker starts and the topics fill.
        Path icebergFolder = icebergPlugin;
        java.util.concurrent.CompletableFuture<IcebergCatalog> catalog = icebergPlugin == null ? null
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return IcebergCatalog.start(work, icebergFolder, libs);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        try (AutoCloseable stopCatalog = () -> {
                    if (catalog != null) {
                        catalog.get().close();
                    }
                };
                KafkaCluster broker = KafkaCluster.start(1, classPath, work.resolve("kafka"), log4j,
                        List.of(), o.tasks > 1 ? BROKER : Map.of());
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<WireFormat, String> topics = new TreeMap<>();
            for (WireFormat format : o.formats()) {
                String topic = "orders.events." + format.id();
                long start = System.nanoTime();
                OrderChanges.fill(broker.bootstrapServers(), topic, o.tasks, o.records, format);
                out.printf("filled %s: %,d changes of %,d bytes in %.1f s%n", topic, o.records,
                        OrderChanges.valueBytes(format), (System.nanoTime() - start) / 1e9);
                topics.put(format, topic);
            }
            Map<String, String> props = new TreeMap<>(WorkerSettings.forGroup("truthline-bench"));
            props.put("bootstrap.servers", broker.bootstrapServers());
            props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("plugin.path", plugins.toString());
            // The reference silver contract names its dead-letter brokers by ${env:TRUTHLINE_KAFKA_BOOTSTRAP}, as the
            // reference worker resolves it: an invalid change would be dead-lettered into this broker.
            props.put("config.providers", "env");
            props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
            List<String> jvm = new ArrayList<>(List.of("-Xms" + o.workerHeap, "-Xmx" + o.workerHeap,
                    "-Dlog4j2.configurationFile=" + log4j));
            if (o.jfr) {
                jvm.add("-XX:StartFlightRecording=filename=" + work.resolve("worker.jfr") + ",settings=profile,dumponexit=true");
            }
            IcebergCatalog iceberg = catalog == null ? null : catalog.get();
            List<Measurement> warmups = new ArrayList<>();
            out.printf("sinks: %s%s%n", String.join(",", o.sinks.stream().map(Sink::id).toList()), iceberg != null
                    ? " (Iceberg: JdbcCatalog on PostgreSQL " + iceberg.uri() + ", commit interval " + o.commitIntervalMs
                            + " ms)" : "");
            try (ForkedConnectWorker worker = ForkedConnectWorker.start(classPath, work.resolve("connect"), props, jvm,
                    Map.of("TRUTHLINE_KAFKA_BOOTSTRAP", broker.bootstrapServers()))) {
                ConnectorRun runs = new ConnectorRun(worker, broker.node(1).jvm().pid(), admin, iceberg,
                        broker.bootstrapServers(), o.commitIntervalMs, o.windowEntries, o.skipRecords);
                for (int round = 1 - o.warmupRounds; round <= o.rounds; round++) {
                    for (WireFormat format : o.formats()) {
                        for (Sink sinkKind : o.sinks) {
                            for (Chain chain : rotate(o.chains(sinkKind), round - 1)) {
                                Measurement m = runs.measure(sinkKind, format, chain, round, topics.get(format),
                                        o.records, o.tasks);
                                out.println(progress(m, o.records));
                                (round >= 1 ? measurements : warmups).add(m);
                            }
                        }
                    }
                }
            }
            if (iceberg != null) {
                List<Measurement> all = new ArrayList<>(warmups);
                all.addAll(measurements);
                all.removeIf(m -> m.table() == null);
                Map<String, IcebergCatalog.TableStats> tables = iceberg.read(all.stream().map(Measurement::table).toList());
                for (Measurement m : all) {
                    IcebergCatalog.TableStats t = tables.get(m.table());
                    // A benchmark that loses (or doubles) rows measures nothing: every record is valid and unique.
                    if (t.rows() != o.records || t.distinctOffsets() != o.records) {
                        failures.add(String.format("%s holds %,d rows from %,d distinct offsets; the topic has %,d records",
                                m.table(), t.rows(), t.distinctOffsets(), o.records));
                    }
                }
                measurements.replaceAll(m -> m.table() == null ? m : m.withIceberg(tables.get(m.table())));
            }
        }
        Map<WireFormat, Integer> sizes = new TreeMap<>();
        o.formats().forEach(f -> sizes.put(f, OrderChanges.valueBytes(f)));
        PipelineReport report = new PipelineReport(o, measurements, sizes, loadBefore, loadAverage());
        Files.createDirectories(o.json().toAbsolutePath().getParent());
        Files.writeString(o.json(), report.json());
        if (!failures.isEmpty()) {
            throw new IllegalStateException("rows lost or doubled in Iceberg (report in " + o.json() + "): "
                    + String.join("; ", failures));
        }
        return report;
    }

    private static String progress(Measurement m, long records) {
        return String.format("%s %-8s %-20s %-10s %,10.0f records/s  %6.2f µs CPU/record  read %,d sent %,d%s%s%s",
                m.round() < 1 ? "warm-up" : "round " + m.round(), m.sink().id(), m.format().id(), m.chain().id(),
                m.readRate(), m.workerCpuNanos() / 1000, m.recordsRead(), m.recordsSent(), m.table() == null ? ""
                        : String.format("  all rows committed %.1f s after the last read", m.commitSeconds()),
                m.steady() ? "" : "  (not steady: too short)",
                m.recordsRead() > records ? String.format("  (%,d read again after a rebalance: records/s too high)",
                        m.recordsRead() - records) : "");
    }

    /**
     * debezium-scripting 2.7 carries no META-INF/services manifest, so a worker with service-loader discovery does not
     * see its Filter: the folder gets a manifest jar naming it, which is what Kafka's
     * {@code connect-plugin-path.sh sync-manifests} would add.
     */
    private static void filterManifest(Path folder) throws IOException {
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(
                Files.newOutputStream(folder.resolve("manifests.jar")))) {
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/services/org.apache.kafka.connect.transforms.Transformation"));
            out.write("io.debezium.transforms.Filter\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static void linkJars(Path jars, Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(jars)) {
            for (Path jar : entries.toList()) {
                Files.createSymbolicLink(folder.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
    }

    private static List<Chain> rotate(List<Chain> chains, int by) {
        List<Chain> order = new ArrayList<>(chains);
        java.util.Collections.rotate(order, -(by % Math.max(1, chains.size())));
        return order;
    }

    static Path packagedPlugin(Path repo) throws IOException {
        Path target = require(repo.resolve("packaging/target"));
        try (Stream<Path> entries = Files.list(target)) {
            return entries.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("truthline-"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no packaged plugin in " + target + ": build it with ./mvnw -pl benchmarks -am package"));
        }
    }

    static Path require(Path path) {
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(path + " is missing: build it with ./mvnw -pl benchmarks -am package "
                    + "-DskipTests (run from the repository root, or pass --repo)");
        }
        return path;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
