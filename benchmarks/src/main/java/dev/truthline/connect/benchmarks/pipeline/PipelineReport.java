package dev.truthline.connect.benchmarks.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.connect.harness.ConnectRest;

/**
 * The benchmark's result: every measurement, and for each format and configuration the median over the rounds of
 * records/s (worker and per task), CPU per record, and its cost against the JSON converter's no-transform pass of
 * the same round: the throughput it loses and the share of the worker's CPU per record it adds.
 */
public final class PipelineReport {

    /** One configuration of one format over all rounds (medians; min and max of the worker's records/s). */
    public record Summary(Sink sink, WireFormat format, Chain chain, int rounds, double readRate, double minRate, double maxRate,
            double taskRate, double offsetRate, double workerCpuNanos, double brokerCpuNanos,
            double throughputLoss, double cpuShare, double addedCpuNanos, Iceberg iceberg) {
    }

    /**
     * An Iceberg configuration over all rounds (medians): the rows the end-of-run scan found (the fewest of any
     * round), commits, data files and their average size in the table, and the seconds from the tasks' reading the
     * last record to a commit holding every row.
     */
    public record Iceberg(long rows, double commits, double dataFiles, double averageFileBytes, double commitSeconds) {
    }

    private final PipelineBenchmark.Options options;
    private final List<Measurement> measurements;
    private final Map<WireFormat, Integer> valueBytes;
    private final String loadBefore;
    private final String loadAfter;
    private final List<Summary> summaries = new ArrayList<>();

    PipelineReport(PipelineBenchmark.Options options, List<Measurement> measurements, Map<WireFormat, Integer> valueBytes,
            String loadBefore, String loadAfter) {
        this.options = options;
        this.measurements = List.copyOf(measurements);
        this.valueBytes = valueBytes;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        for (WireFormat format : options.formats()) {
            for (Sink sink : options.sinks) {
                for (Chain chain : options.chains(sink)) {
                    summaries.add(summarise(sink, format, chain));
                }
            }
        }
    }

    public List<Measurement> measurements() {
        return measurements;
    }

    public List<Summary> summaries() {
        return summaries;
    }

    private Summary summarise(Sink sink, WireFormat format, Chain chain) {
        List<Measurement> ms = of(sink, format, chain);
        List<Double> loss = new ArrayList<>();
        List<Double> share = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        for (Measurement m : ms) {
            Measurement base = measurements.stream().filter(b -> b.sink() == sink && b.format() == format
                    && b.chain() == Chain.CONVERTER && b.round() == m.round()).findFirst().orElse(null);
            if (base != null) {
                loss.add(1 - m.readRate() / base.readRate());
                share.add((m.workerCpuNanos() - base.workerCpuNanos()) / m.workerCpuNanos());
                added.add(m.workerCpuNanos() - base.workerCpuNanos());
            }
        }
        Iceberg iceberg = ms.isEmpty() || ms.stream().anyMatch(m -> m.iceberg() == null) ? null
                : new Iceberg(ms.stream().mapToLong(m -> m.iceberg().rows()).min().orElse(0),
                        median(ms, m -> m.iceberg().commits()), median(ms, m -> m.iceberg().dataFiles()),
                        median(ms, m -> m.iceberg().averageFileBytes()), median(ms, Measurement::commitSeconds));
        return new Summary(sink, format, chain, ms.size(), median(ms, Measurement::readRate),
                ms.stream().mapToDouble(Measurement::readRate).min().orElse(Double.NaN),
                ms.stream().mapToDouble(Measurement::readRate).max().orElse(Double.NaN),
                median(ms, m -> m.taskRates().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)),
                median(ms, Measurement::offsetRate), median(ms, Measurement::workerCpuNanos),
                median(ms, Measurement::brokerCpuNanos), median(loss), median(share), median(added), iceberg);
    }

    private List<Measurement> of(Sink sink, WireFormat format, Chain chain) {
        return measurements.stream().filter(m -> m.sink() == sink && m.format() == format && m.chain() == chain)
                .toList();
    }

    private static double median(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
        return median(ms.stream().map(m -> f.applyAsDouble(m)).toList());
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The summary as a text table, one block per format and sink. */
    public String table() {
        StringBuilder out = new StringBuilder();
        for (Sink sink : options.sinks) {
            out.append(String.format("sink %s: %s%n", sink.id(), sink == Sink.DISCARD ? "discards every record"
                    : String.format("the Iceberg sink, a table a pass, JdbcCatalog on PostgreSQL, commit interval %,d ms",
                            options.commitIntervalMs)));
        }
        out.append(String.format("%,d records a pass%s, %d task(s), %d round(s); Deduplicate's window %,d ids%s; "
                + "load average before: %s, after: %s%n", options.records, options.skipRecords == 0 ? ""
                        : String.format(" (sampled after the first %,d)", options.skipRecords), options.tasks,
                options.rounds, options.windowEntries, options.windowEntries == Chain.REFERENCE_WINDOW ? " (the reference)"
                        : "", loadBefore, loadAfter));
        for (WireFormat format : options.formats()) {
            for (Sink sink : options.sinks) {
                out.append(String.format("%n%s into %s (%,d bytes a change)%n", format.id(), sink.id(),
                        valueBytes.get(format)));
                out.append(String.format("%-10s %12s %21s %11s %11s %9s %9s %9s %8s %8s%n", "config", "records/s",
                        "min-max", "per task", "offsets/s", "µs CPU", "broker µs", "+µs CPU", "loss", "CPU share"));
                for (Summary s : of(sink, format)) {
                    out.append(String.format("%-10s %,12.0f %,10.0f-%,10.0f %,11.0f %,11.0f %9.2f %9.2f %9.2f %7.1f%% %8.1f%%%n",
                            s.chain().id(), s.readRate(), s.minRate(), s.maxRate(), s.taskRate(), s.offsetRate(),
                            s.workerCpuNanos() / 1000, s.brokerCpuNanos() / 1000, s.addedCpuNanos() / 1000,
                            100 * s.throughputLoss(), 100 * s.cpuShare()));
                }
                if (sink == Sink.ICEBERG) {
                    icebergBlock(out, format);
                }
            }
        }
        out.append(String.format("%nrecords/s: the worker's, from the tasks' sink-record-read-total (median over rounds); "
                + "µs CPU: the worker process's CPU time per record; +µs CPU, loss and CPU share: against 'converter' "
                + "into the same sink, same round (%s).%n", String.join("; ", options.sinks.stream()
                        .map(k -> k.id() + ": " + Chain.CONVERTER.description(k)).toList())));
        if (options.iceberg()) {
            out.append(String.format("Iceberg: rows scanned in each table at the end (every pass's table must hold every "
                    + "record once), its commits (snapshots), data files and their average size; commit after: from the "
                    + "tasks' reading the last record to a commit holding every row; of discard: its records/s over the "
                    + "same configuration's into the discarding sink.%n"));
        }
        return out.toString();
    }

    private void icebergBlock(StringBuilder out, WireFormat format) {
        out.append(String.format("%-10s %12s %9s %11s %14s %16s %10s%n", "Iceberg", "rows", "commits", "data files",
                "avg file KiB", "commit after (s)", "of discard"));
        for (Summary s : of(Sink.ICEBERG, format)) {
            if (s.iceberg() == null) {
                continue;
            }
            Iceberg i = s.iceberg();
            double discard = of(Sink.DISCARD, format).stream().filter(d -> d.chain() == s.chain())
                    .mapToDouble(Summary::readRate).findFirst().orElse(Double.NaN);
            out.append(String.format("%-10s %,12d %9.0f %11.0f %,14.1f %16.1f %9.1f%%%n", s.chain().id(), i.rows(),
                    i.commits(), i.dataFiles(), i.averageFileBytes() / 1024, i.commitSeconds(),
                    100 * s.readRate() / discard));
        }
    }

    private List<Summary> of(Sink sink, WireFormat format) {
        return summaries.stream().filter(s -> s.sink() == sink && s.format() == format).toList();
    }

    /** Everything as JSON: the options, the machine's load, each measurement and the summaries. */
    public String json() throws JsonProcessingException {
        ObjectNode root = ConnectRest.JSON.createObjectNode();
        root.put("records", options.records).put("tasks", options.tasks).put("rounds", options.rounds)
                .put("windowEntries", options.windowEntries).put("skipRecords", options.skipRecords)
                .put("workerHeap", options.workerHeap).put("cpus", Runtime.getRuntime().availableProcessors())
                .put("loadAverageBefore", loadBefore).put("loadAverageAfter", loadAfter)
                .put("java", System.getProperty("java.version"));
        ArrayNode sinks = root.putArray("sinks");
        options.sinks.forEach(k -> sinks.add(k.id()));
        if (options.iceberg()) {
            root.put("commitIntervalMs", options.commitIntervalMs).put("catalog", "JdbcCatalog on embedded PostgreSQL");
        }
        ObjectNode sizes = root.putObject("valueBytes");
        valueBytes.forEach((f, n) -> sizes.put(f.id(), n));
        ArrayNode summary = root.putArray("summary");
        for (Summary s : summaries) {
            summary.addObject().put("sink", s.sink().id()).put("format", s.format().id()).put("config", s.chain().id())
                    .put("description", s.chain().description(s.sink())).put("rounds", s.rounds())
                    .put("recordsPerSecond", s.readRate()).put("minRecordsPerSecond", s.minRate())
                    .put("maxRecordsPerSecond", s.maxRate()).put("recordsPerSecondPerTask", s.taskRate())
                    .put("offsetRecordsPerSecond", s.offsetRate()).put("workerCpuNanosPerRecord", s.workerCpuNanos())
                    .put("brokerCpuNanosPerRecord", s.brokerCpuNanos())
                    .put("addedCpuNanosPerRecord", s.addedCpuNanos())
                    .put("throughputLossVsConverter", s.throughputLoss()).put("cpuShareVsConverter", s.cpuShare());
            if (s.iceberg() != null) {
                summary.get(summary.size() - 1).withObject("/iceberg").put("rows", s.iceberg().rows())
                        .put("commits", s.iceberg().commits()).put("dataFiles", s.iceberg().dataFiles())
                        .put("averageFileBytes", s.iceberg().averageFileBytes())
                        .put("commitSecondsAfterLastRead", s.iceberg().commitSeconds());
            }
        }
        ArrayNode runs = root.putArray("measurements");
        for (Measurement m : measurements) {
            ObjectNode n = runs.addObject().put("sink", m.sink().id()).put("format", m.format().id()).put("config", m.chain().id())
                    .put("round", m.round()).put("recordsPerSecond", m.readRate())
                    .put("offsetRecordsPerSecond", m.offsetRate()).put("workerCpuNanosPerRecord", m.workerCpuNanos())
                    .put("brokerCpuNanosPerRecord", m.brokerCpuNanos()).put("recordsRead", m.recordsRead())
                    .put("recordsSent", m.recordsSent()).put("seconds", m.seconds()).put("steady", m.steady());
            ArrayNode tasks = n.putArray("taskRecordsPerSecond");
            m.taskRates().forEach(tasks::add);
            if (m.iceberg() != null) {
                IcebergCatalog.TableStats t = m.iceberg();
                n.putObject("iceberg").put("table", m.table()).put("rows", t.rows())
                        .put("distinctOffsets", t.distinctOffsets()).put("commits", t.commits())
                        .put("dataFiles", t.dataFiles()).put("fileBytes", t.fileBytes())
                        .put("commitSecondsAfterLastRead", m.commitSeconds());
            }
        }
        return ConnectRest.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
