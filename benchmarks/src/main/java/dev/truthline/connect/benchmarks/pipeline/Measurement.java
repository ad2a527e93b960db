package dev.truthline.connect.benchmarks.pipeline;

import java.util.List;

/**
 * One configuration's pass over the topic. Rates are taken in the steady state: between the first and the last
 * sample at which the tasks had read some but not all records (start-up, rebalance and the tail are left out).
 *
 * @param sink            where the connector wrote
 * @param readRate        records/s of the worker, from the tasks' {@code sink-record-read-total} over JMX
 * @param taskRates       records/s of each task, from the same samples
 * @param offsetRate      records/s of the worker, from the group's committed offsets (committed once a second, so
 *                        coarser: between the first commit and the one that covers the whole topic)
 * @param workerCpuNanos  the worker process's CPU time (user + system, /proc) per record read in the window
 * @param brokerCpuNanos  the broker process's CPU time per record read in the window
 * @param recordsRead     what the tasks read in all ({@code sink-record-read-total}); must equal the topic's size
 * @param recordsSent     what reached the sink after the transforms ({@code sink-record-send-total})
 * @param seconds         the length of the steady-state window
 * @param steady          false when the pass was too short for two samples inside it: then the window is the whole
 *                        pass from the connector's creation, start-up included
 * @param table           the Iceberg table the pass wrote ({@code --sink iceberg}); null with the discarding sink
 * @param commitSeconds   Iceberg: from the tasks' reading the last record to a commit holding every row; else NaN
 * @param iceberg         Iceberg: what the end-of-run read found in the table (rows scanned, commits, data files)
 */
record Measurement(Sink sink, WireFormat format, Chain chain, int round, double readRate, List<Double> taskRates,
        double offsetRate, double workerCpuNanos, double brokerCpuNanos, long recordsRead, long recordsSent,
        double seconds, boolean steady, String table, double commitSeconds, IcebergCatalog.TableStats iceberg) {

    /** This pass with what the end-of-run read found in its Iceberg table. */
    Measurement withIceberg(IcebergCatalog.TableStats stats) {
        return new Measurement(sink, format, chain, round, readRate, taskRates, offsetRate, workerCpuNanos, brokerCpuNanos,
                recordsRead, recordsSent, seconds, steady, table, commitSeconds, stats);
    }
}
