package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not part of {@code verify} (its name does not end in Test): the fate assignment alone, on N
 * synthetic change events staged straight into the {@link AuditDatabase} by SQL — the shape of {@code AuditThroughput}'s
 * stores (6 partitions; of every 100 offsets 94 land, 3 are dead-lettered and 3 are duplicates of the change 10
 * offsets earlier; one quarantined event per 100), without Kafka or Iceberg, so a size that takes an hour end to end
 * takes minutes here.
 *
 * <pre>./mvnw -B -pl audit test -Dtest=FateAssignmentScale -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtruthline.audit.events=10000000 -Dtruthline.audit.memory=512MB [-Dtruthline.audit.buckets=1]</pre>
 *
 * <p>Printed: the buckets, the time of each phase, DuckDB's peak buffer memory (its own accounting, polled), the JVM
 * process's peak resident memory, the database file and the largest the spill files grew.
 */
class FateAssignmentScale {

    private static final int PARTITIONS = 6;

    @Test
    void assignFatesToASyntheticRange() throws Exception {
        long events = Long.getLong("truthline.audit.events", 2_000_000L);
        String memory = System.getProperty("truthline.audit.memory", "512MB");
        Integer forced = Integer.getInteger("truthline.audit.buckets");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fate-assignment-scale");
        AuditThroughput.deleteRecursively(dir);
        Files.createDirectories(dir);
        try (AuditDatabase db = AuditDatabase.open(memory, dir)) {
            long start = System.nanoTime();
            stage(db, events);
            long staged = System.nanoTime();
            FateBuckets buckets = forced == null ? FateBuckets.forStaged(db) : FateBuckets.forStaged(db, forced);
            AtomicLong peakBuffer = new AtomicLong();
            AtomicLong peakWorking = new AtomicLong();
            AtomicLong peakSpill = new AtomicLong();
            Thread poll = poller(db, dir, peakBuffer, peakWorking, peakSpill);
            long cpuStaged = cpu();
            long assigned;
            long cpuAssigned;
            AuditResult result;
            LandingLatency.Histogram latency;
            long summarised;
            try {
                if (forced == null) {
                    FateAssignment.create(db);
                } else {
                    FateAssignment.create(db, buckets);
                }
                assigned = System.nanoTime();
                cpuAssigned = cpu();
                result = FateAssignment.summarise(db, 100);
                summarised = System.nanoTime();
                latency = LandingLatency.measure(db);
            } finally {
                poll.interrupt();
                poll.join();
            }
            long end = System.nanoTime();
            long landed = events / 100 * 94;
            assertThat(result.count(Fate.LANDED)).isBetween(landed - 600, landed + 600);
            assertThat(result.count(Fate.UNEXPLAINED)).isZero();
            assertThat(result.extraRows()).isZero();
            assertThat(latency.measured()).isEqualTo(result.count(Fate.LANDED));
            System.out.printf("fate assignment of %,d captured events (DuckDB limit %s = %,d bytes, %d position buckets): "
                    + "staging %,d ms, fates %,d ms (%,.0f events/s; %,d ms of CPU), summary %,d ms, latency %,d ms; "
                    + "DuckDB peak buffer memory %,d MB (of it working memory, tables' blocks not counted: %,d MB), "
                    + "process peak RSS %,d MB, database file %,d MB, spill at most %,d MB; load average %s%n",
                    result.captured(), memory, db.memoryLimitBytes(), buckets.count(), ms(staged - start),
                    ms(assigned - staged), result.captured() * 1e9 / (assigned - staged), ms(cpuAssigned - cpuStaged),
                    ms(summarised - assigned), ms(end - summarised), peakBuffer.get() >> 20, peakWorking.get() >> 20,
                    rssHighWater() >> 10,
                    Files.size(dir.resolve("audit.duckdb")) >> 20, peakSpill.get() >> 20,
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    /** The stores of {@code events} change events, by SQL. */
    private static void stage(AuditDatabase db, long events) throws SQLException {
        String topic = "orders.events.v1";
        try (Statement s = db.connection().createStatement()) {
            for (int p = 0; p < PARTITIONS; p++) {
                long n = events / PARTITIONS + (p < events % PARTITIONS ? 1 : 0);
                // change: the change number (a duplicate repeats the one 10 offsets earlier); k: 0 lands, 1 dead, 2 dup
                String ev = "(SELECT o, CASE WHEN o % 100 < 97 THEN o * 6 + " + p + " ELSE (o - 10) * 6 + " + p
                        + " END AS change, CASE WHEN o % 100 < 94 THEN 0 WHEN o % 100 < 97 THEN 1 ELSE 2 END AS k "
                        + "FROM range(0, " + n + ") t(o))";
                s.execute("INSERT INTO captured SELECT '" + topic + "', " + p + ", o, 'change', 'Struct{id=' || "
                        + "change // 3 || '}', (hash(change) >> 1)::BIGINT, (hash(change + 17) >> 1)::BIGINT, "
                        + "1700000000000 + change, NULL, NULL, NULL FROM " + ev);
                long step = (n + 9) / 10;
                s.execute("INSERT INTO sink_rows SELECT 'silver.orders', 'landing', '" + topic + "', " + p + ", o, '"
                        + file(p, "") + "' || (o // " + step + ") || '.parquet#' || (o % " + step + ") FROM " + ev
                        + " WHERE k = 0");
                s.execute("INSERT INTO dead_letters SELECT 'orders-silver', '" + topic + "', " + p + ", o, "
                        + "'rule currency_iso failed (topic " + topic + ", partition " + p + ", offset ' || o || ')' "
                        + "FROM " + ev + " WHERE k = 1");
                for (int r = 0; r < 10; r++) {
                    s.execute("INSERT INTO data_files VALUES ('silver.orders', '" + file(p, "") + r + ".parquet', "
                            + (1700000000000L + events + r * 1000L) + ")");
                }
            }
            long q = (events + 99) / 100;
            s.execute("INSERT INTO captured SELECT '" + topic + ".quarantine', (j % 3)::INTEGER, j // 3, 'quarantine', "
                    + "'Struct{id=' || j || '}', NULL, NULL, 1700000000000 + j, 'amount_required', NULL, NULL FROM range(0, " + q
                    + ") t(j)");
            s.execute("INSERT INTO sink_rows SELECT 'quarantine.orders', 'quarantine', '" + topic + ".quarantine', "
                    + "(j % 3)::INTEGER, j // 3, '" + file(0, "quarantine-") + "' || (j % 3) || '.parquet#' || (j // 3) "
                    + "FROM range(0, " + q + ") t(j)");
            s.execute("CHECKPOINT");
        }
    }

    /** A data file's path as the audit of a real table names it (a long absolute path). */
    private static String file(int partition, String prefix) {
        return Path.of(System.getProperty("java.io.tmpdir"), "warehouse", "silver", "orders", "data").toAbsolutePath()
                + "/" + (prefix.isEmpty() ? "00000-" + partition + "-6f1c2a4e-9b1d-4c8e-a3f2-silver-" + partition + "-"
                : prefix);
    }

    /** Polls DuckDB's buffer memory (its own accounting) and the spill files' size until interrupted. */
    private static Thread poller(AuditDatabase db, Path dir, AtomicLong peakBuffer, AtomicLong peakWorking,
            AtomicLong peakSpill) throws SQLException {
        Connection c = ((DuckDBConnection) db.connection()).duplicate();
        Thread t = new Thread(() -> {
            try (c; Statement s = c.createStatement()) {
                while (!Thread.currentThread().isInterrupted()) {
                    try (ResultSet rs = s.executeQuery("SELECT sum(memory_usage_bytes), sum(memory_usage_bytes) "
                            + "FILTER (WHERE tag NOT IN ('BASE_TABLE', 'METADATA')) FROM duckdb_memory()")) {
                        rs.next();
                        peakBuffer.accumulateAndGet(rs.getLong(1), Math::max);
                        peakWorking.accumulateAndGet(rs.getLong(2), Math::max);
                    }
                    peakSpill.accumulateAndGet(spill(dir), Math::max);
                    Thread.sleep(200);
                }
            } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "duckdb-memory");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long spill(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("duckdb_temp")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** This process's peak resident set ({@code VmHWM}), in kB. */
    private static long rssHighWater() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** CPU time of this process (every thread, DuckDB's included), in ns. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
