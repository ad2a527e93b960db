package dev.truthline.connect.benchmarks.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.connect.harness.ForkedJvm;
import dev.truthline.connect.harness.KafkaCluster;
import dev.truthline.connect.harness.Waits;
import dev.truthline.connect.harness.WorkerSettings;
import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The source side of the pipeline: Debezium PostgreSQL → Kafka, with and without Truthline's source-side transforms
 * ({@link SourceChain}). An embedded PostgreSQL ({@code wal_level=logical}) holds the reference {@code orders} table
 * ({@code connector-configs/orders/orders.sql}); one logical replication slot per pass is made first, then the changes
 * are written (inserts, then updates of the same orders), so every pass streams the same changes from its own slot's
 * WAL position, with no snapshot. The reference source connector runs in a forked Connect worker (exactly-once source
 * support on, as production) on a forked KRaft broker; each pass is sampled every {@value ConnectorRun#SAMPLE_MILLIS}
 * ms — the task's {@code source-record-write-total} over JMX and the CPU time of the worker and the broker — until
 * every change is written; PostgreSQL's WAL sender serving the slot (started for the pass) is charged its whole CPU
 * time over the changes.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.truthline.connect.benchmarks.pipeline.SourceBenchmark --changes 200000 --rounds 3</pre>
 */
public final class SourceBenchmark {

    /** The run's settings; {@link #parse} reads them from {@code --name value} arguments. */
    public static final class Options {
        public long changes = 200_000;
        public int rounds = 1;
        public int warmupRounds = 1;
        public List<SourceChain> chains = List.of(SourceChain.values());
        public Path repo = Path.of(".");
        public Path work;
        public Path json;
        public String workerHeap = "1g";
        /** Record the worker with JFR (profile settings) to work/worker.jfr. */
        public boolean jfr;
        /**
         * The Debezium PostgreSQL connector's plugin folder; null: the one the build unpacks (the project's Debezium
         * version). Another version's folder measures what an upgrade changes.
         */
        public Path debeziumPlugin;

        static Options parse(String[] args) {
            Options o = new Options();
            Option.each(args, () -> o.jfr = true, (name, value) -> {
                switch (name) {
                    case "--changes" -> o.changes = Long.parseLong(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--warmup" -> o.warmupRounds = Integer.parseInt(value);
                    case "--configs" -> o.chains = Stream.of(value.split(",")).map(SourceChain::of).toList();
                    case "--repo" -> o.repo = Path.of(value);
                    case "--work" -> o.work = Path.of(value);
                    case "--json" -> o.json = Path.of(value);
                    case "--worker-heap" -> o.workerHeap = value;
                    case "--debezium-plugin" -> o.debeziumPlugin = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + " (--changes, --rounds, "
                            + "--warmup, --configs, --repo, --work, --json, --worker-heap, --debezium-plugin, --jfr)");
                }
            });
            if (o.changes < 1 || o.rounds < 1 || o.warmupRounds < 0) {
                throw new IllegalArgumentException("--changes and --rounds must be at least 1, --warmup at least 0");
            }
            return o;
        }

        Path work() {
            return (work != null ? work : repo.resolve("target/source-benchmark")).toAbsolutePath();
        }

        Path json() {
            return json != null ? json : work().resolve("source-benchmark.json");
        }
    }

    /**
     * One pass: records/s written to Kafka (worker), and CPU per record of the worker, the broker and the WAL
     * sender; {@code steady} false when the pass was too short for two samples inside it.
     */
    public record Pass(SourceChain chain, int round, double rate, double workerCpuNanos, double brokerCpuNanos,
            double walSenderCpuNanos, long written, double seconds, boolean steady) {
    }

    /** Orders in the table: the first change of each is its insert, the later ones updates. */
    static final int ORDERS = 100_000;
    private static final String PUBLICATION = "bench_orders";

    private SourceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Option.parseOrExit(Options::parse, args);
        List<Pass> passes = run(options, System.out);
        System.out.println();
        System.out.print(table(options, passes));
        System.out.println("JSON: " + options.json());
    }

    /** Runs the benchmark; progress lines go to {@code out}; the report is also written to {@link Options#json()}. */
    public static List<Pass> run(Options o, PrintStream out) throws Exception {
        Path repo = o.repo.toAbsolutePath().normalize();
        Path libs = PipelineBenchmark.require(repo.resolve("demo-kafka/target/libs"));
        Path debezium = PipelineBenchmark.require(o.debeziumPlugin != null ? o.debeziumPlugin.toAbsolutePath()
                : repo.resolve("benchmarks/target/pipeline-plugins/debezium-postgres/debezium-connector-postgres"));
        Path work = o.work();
        for (String stale : List.of("kafka", "connect", "plugins", "postgres")) {
            dev.truthline.connect.harness.Folders.deleteRecursively(work.resolve(stale));
        }
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.createSymbolicLink(plugins.resolve("truthline"), PipelineBenchmark.packagedPlugin(repo));
        Files.createSymbolicLink(plugins.resolve("debezium-connector-postgres"), debezium);
        Path log4j = work.resolve("log4j2.properties");
        Files.writeString(log4j, PipelineBenchmark.LOG4J);
        String loadBefore = PipelineBenchmark.loadAverage();
        List<Pass> passes = new ArrayList<>();
        Files.createDirectories(work.resolve("postgres"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.resolve("postgres/binaries").toFile())
                .setDataDirectory(work.resolve("postgres/data"))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "8")
                .setServerConfig("max_replication_slots", "64")
                .start();
                KafkaCluster broker = KafkaCluster.start(1, ForkedJvm.folderClassPath(libs), work.resolve("kafka"), log4j)) {
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            List<String> slots = new ArrayList<>();
            for (int round = 1 - o.warmupRounds; round <= o.rounds; round++) {
                for (SourceChain chain : o.chains) {
                    slots.add(slot(chain, round));
                }
            }
            long start = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
                prepare(c, slots);
                write(c, o.changes);
            }
            out.printf("Debezium PostgreSQL connector: %s%n", connectorJar(debezium));
            out.printf("wrote %,d changes of public.orders (%,d orders) in %.1f s; %d slots hold them%n", o.changes,
                    Math.min(ORDERS, o.changes), (System.nanoTime() - start) / 1e9, slots.size());
            Map<String, String> props = new TreeMap<>(WorkerSettings.forGroup("truthline-source-bench"));
            props.put("bootstrap.servers", broker.bootstrapServers());
            props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("plugin.path", plugins.toString());
            props.put("exactly.once.source.support", "enabled");
            props.put("config.providers", "env");
            props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("TRUTHLINE_PG_HOST", "localhost");
            env.put("TRUTHLINE_PG_PORT", String.valueOf(pg.getPort()));
            env.put("TRUTHLINE_PG_USER", "postgres");
            env.put("TRUTHLINE_PG_PASSWORD", "postgres");
            env.put("TRUTHLINE_PG_DB", "postgres");
            env.put("TRUTHLINE_REPLICATION_FACTOR", "1");
            env.put("TRUTHLINE_MIN_ISR", "1");
            env.put("TRUTHLINE_ORDERS_TOKEN_KEYSET", Keysets.toJson(Keysets.create(Method.TOKEN)));
            List<String> jvm = new ArrayList<>(List.of("-Xms" + o.workerHeap, "-Xmx" + o.workerHeap,
                    "-Dlog4j2.configurationFile=" + log4j));
            if (o.jfr) {
                jvm.add("-XX:StartFlightRecording=filename=" + work.resolve("worker.jfr") + ",settings=profile,dumponexit=true");
            }
            try (ForkedConnectWorker worker = ForkedConnectWorker.start(ForkedJvm.folderClassPath(libs),
                    work.resolve("connect"), props, jvm, env)) {
                for (int round = 1 - o.warmupRounds; round <= o.rounds; round++) {
                    List<SourceChain> order = new ArrayList<>(o.chains);
                    Collections.rotate(order, -(Math.floorMod(round - 1, Math.max(1, order.size()))));
                    for (SourceChain chain : order) {
                        Pass p = measure(worker, broker.node(1).jvm().pid(), url, chain, round, o.changes);
                        out.printf("%s %-10s %,10.0f records/s  %6.2f µs CPU/record (broker %.2f, WAL sender %.2f)  "
                                + "written %,d%s%n", round < 1 ? "warm-up" : "round " + round, chain.id(), p.rate(),
                                p.workerCpuNanos() / 1000, p.brokerCpuNanos() / 1000, p.walSenderCpuNanos() / 1000,
                                p.written(), p.steady() ? "" : "  (not steady: too short)");
                        if (round >= 1) {
                            passes.add(p);
                        }
                    }
                }
            }
        }
        Files.createDirectories(o.json().toAbsolutePath().getParent());
        Files.writeString(o.json(), json(o, passes, debezium, loadBefore, PipelineBenchmark.loadAverage()));
        return passes;
    }

    /** The connector's jar in {@code folder}: its name carries the version. */
    private static String connectorJar(Path folder) throws IOException {
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("debezium-connector-postgres"))
                    .findFirst().orElse("(no debezium-connector-postgres jar in " + folder + ")");
        }
    }

    private static String slot(SourceChain chain, int round) {
        return "bench_" + chain.id() + "_" + (round < 1 ? "w" + (1 - round) : "r" + round);
    }

    /** The reference table, the publication, and every pass's slot, made before any change is written. */
    private static void prepare(Connection c, List<String> slots) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute(resource("/reference/orders.sql"));
            s.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE public.orders");
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
            for (String slot : slots) {
                s.setString(1, slot);
                s.execute();
            }
        }
    }

    /**
     * {@code changes} changes that pass the source contract, a thousand rows a transaction: the inserts of up to
     * {@value #ORDERS} orders, then updates of them in turn (status, amount, time).
     */
    private static void write(Connection c, long changes) throws SQLException {
        long orders = Math.min(ORDERS, changes);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO public.orders (order_id, customer_id, email, "
                + "amount, currency, status, updated_at) SELECT g, 'C' || lpad((g % 1000000)::text, 6, '0'), "
                + "'buyer.' || g || '@example.com', 1 + (g % 100000) / 100.0, (ARRAY['EUR','USD','GBP','CHF'])[1 + g % 4], "
                + "'NEW', now() FROM generate_series(?, ?) g");
                PreparedStatement update = c.prepareStatement("UPDATE public.orders SET status = "
                        + "(ARRAY['PAID','SHIPPED','DELIVERED','CANCELLED'])[1 + (?::int % 4)], amount = amount + 1, "
                        + "updated_at = now() WHERE order_id BETWEEN ? AND ?")) {
            for (long from = 1; from <= orders; from += 1000) {
                insert.setLong(1, from);
                insert.setLong(2, Math.min(orders, from + 999));
                insert.execute();
            }
            long written = orders;
            for (int lap = 1; written < changes; lap++) {
                for (long from = 1; from <= orders && written < changes; from += 1000) {
                    long to = Math.min(Math.min(orders, from + 999), from + (changes - written) - 1);
                    update.setInt(1, lap);
                    update.setLong(2, from);
                    update.setLong(3, to);
                    written += update.executeUpdate();
                }
            }
        }
    }

    private static Pass measure(ForkedConnectWorker worker, long brokerPid, String url, SourceChain chain, int round,
            long changes) throws Exception {
        String slot = slot(chain, round);
        String name = "source-" + slot.substring("bench_".length()).replace('_', '-');
        String topic = "bench.source." + slot.substring("bench_".length()).replace('_', '.');
        ConnectRest rest = worker.rest();
        long[] created = {System.nanoTime(), 0, ProcCpu.nanos(worker.jvm().pid()), ProcCpu.nanos(brokerPid)};
        long[] done = null;
        rest.putConfig(name, chain.settings(slot, PUBLICATION, topic));
        String metrics = "kafka.connect:type=source-task-metrics,connector=" + name + ",task=*";
        List<String> attributes = List.of("source-record-write-total");
        long deadline = System.nanoTime() + Duration.ofSeconds(180 + changes / 1_000).toNanos();
        long walSender = 0;
        double walSenderCpu;
        long[] first = null;
        long[] last = null;
        long written = 0;
        int polls = 0;
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            while (written < changes) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " wrote " + written + " of " + changes + " changes in time; "
                            + "status " + rest.status(name));
                }
                Thread.sleep(ConnectorRun.SAMPLE_MILLIS);
                if (++polls % 20 == 0) {
                    ConnectorRun.failIfFailed(rest, name);
                }
                if (walSender == 0) {
                    walSender = walSender(c, slot);
                }
                long now = System.nanoTime();
                long workerCpu = ProcCpu.nanos(worker.jvm().pid());
                long brokerCpu = ProcCpu.nanos(brokerPid);
                Map<String, Map<String, Double>> byTask = ConnectorRun.readMetrics(worker, metrics, attributes);
                written = (long) byTask.values().stream().mapToDouble(m -> m.get("source-record-write-total")).sum();
                long[] sample = {now, written, workerCpu, brokerCpu};
                if (written > 0 && written < changes) {
                    if (first == null) {
                        first = sample;
                    }
                    last = sample;
                } else if (written >= changes) {
                    done = sample;
                }
            }
            // The WAL sender decodes ahead of what the task has written, so its whole life's CPU (it was started for
            // this pass) over every change, not a window's.
            walSenderCpu = walSender == 0 ? Double.NaN : (double) ProcCpu.nanos(walSender) / changes;
        }
        if (written != changes) {
            throw new IllegalStateException(name + " wrote " + written + " records for " + changes + " changes");
        }
        rest.expect("DELETE", "connectors/" + ConnectRest.segment(name), null);
        Waits.until(() -> rest.status(name) == null, Duration.ofSeconds(60), 200, () -> name + " was not deleted");
        // Too few changes for two samples apart inside the pass: the whole pass, start-up included, marked not steady.
        boolean steady = first != null && last[1] > first[1];
        if (!steady) {
            first = created;
            last = done;
        }
        double seconds = (last[0] - first[0]) / 1e9;
        double delta = last[1] - first[1];
        return new Pass(chain, round, delta / seconds, (last[2] - first[2]) / delta, (last[3] - first[3]) / delta,
                walSenderCpu, written, seconds, true);
    }

    /** The process id of the WAL sender streaming {@code slot}, 0 until the connector has started it. */
    private static long walSender(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** Medians over the rounds per configuration, and each one's cost against {@code debezium} of the same round. */
    static String table(Options o, List<Pass> passes) {
        StringBuilder out = new StringBuilder(String.format("%nDebezium PostgreSQL -> Kafka, %,d changes a pass (schema "
                + "in every message, exactly-once transactions), %d round(s)%n", o.changes, o.rounds));
        out.append(String.format("%-10s %12s %21s %9s %9s %11s %9s %8s %9s%n", "config", "records/s", "min-max",
                "µs CPU", "broker µs", "WAL snd µs", "+µs CPU", "loss", "CPU share"));
        for (SourceChain chain : o.chains) {
            List<Pass> ps = passes.stream().filter(p -> p.chain() == chain).toList();
            if (ps.isEmpty()) {
                continue;
            }
            List<Double> added = new ArrayList<>();
            List<Double> loss = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            for (Pass p : ps) {
                passes.stream().filter(b -> b.chain() == SourceChain.DEBEZIUM && b.round() == p.round())
                        .findFirst().ifPresent(b -> {
                            added.add(p.workerCpuNanos() - b.workerCpuNanos());
                            loss.add(1 - p.rate() / b.rate());
                            share.add((p.workerCpuNanos() - b.workerCpuNanos()) / p.workerCpuNanos());
                        });
            }
            out.append(String.format("%-10s %,12.0f %,10.0f-%,10.0f %9.2f %9.2f %11.2f %9.2f %7.1f%% %8.1f%%%n",
                    chain.id() + (ps.stream().allMatch(Pass::steady) ? "" : "*"), PipelineReport.median(ps.stream().map(Pass::rate).toList()),
                    ps.stream().mapToDouble(Pass::rate).min().orElse(Double.NaN),
                    ps.stream().mapToDouble(Pass::rate).max().orElse(Double.NaN),
                    PipelineReport.median(ps.stream().map(Pass::workerCpuNanos).toList()) / 1000,
                    PipelineReport.median(ps.stream().map(Pass::brokerCpuNanos).toList()) / 1000,
                    PipelineReport.median(ps.stream().map(Pass::walSenderCpuNanos).toList()) / 1000, PipelineReport.median(added) / 1000,
                    100 * PipelineReport.median(loss), 100 * PipelineReport.median(share)));
        }
        out.append(String.format("%nrecords/s: written to Kafka by the source task (source-record-write-total, median "
                + "over rounds); µs CPU: the worker process's CPU time per record and the broker's, from the first to the "
                + "last sample inside the pass; WAL snd: PostgreSQL's WAL sender decoding the slot, its whole CPU time "
                + "over the changes; +µs CPU, loss and CPU share: against 'debezium' of the same round; *: a pass too "
                + "short for two samples inside it, measured from the connector's creation (start-up included).%n"));
        return out.toString();
    }

    private static String json(Options o, List<Pass> passes, Path debezium, String loadBefore, String loadAfter)
            throws IOException {
        ObjectNode root = ConnectRest.JSON.createObjectNode();
        root.put("debeziumPlugin", debezium.toString()).put("changes", o.changes).put("rounds", o.rounds).put("workerHeap", o.workerHeap)
                .put("cpus", Runtime.getRuntime().availableProcessors()).put("loadAverageBefore", loadBefore)
                .put("loadAverageAfter", loadAfter).put("java", System.getProperty("java.version"));
        ArrayNode runs = root.putArray("passes");
        for (Pass p : passes) {
            runs.addObject().put("config", p.chain().id()).put("description", p.chain().description())
                    .put("round", p.round()).put("recordsPerSecond", p.rate()).put("workerCpuNanosPerRecord",
                            p.workerCpuNanos()).put("brokerCpuNanosPerRecord", p.brokerCpuNanos())
                    .put("walSenderCpuNanosPerRecord", p.walSenderCpuNanos()).put("written", p.written())
                    .put("seconds", p.seconds()).put("steady", p.steady());
        }
        return ConnectRest.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }


    private static String resource(String name) throws IOException {
        try (InputStream in = SourceBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path (the build copies it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
