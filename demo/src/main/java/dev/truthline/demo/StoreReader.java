package dev.truthline.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.Table;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.truthline.demo.IcebergTables.SnapshotInfo;
import dev.truthline.demo.StoreReadings.DeadLetter;
import dev.truthline.demo.StoreReadings.Delays;
import dev.truthline.demo.StoreReadings.TimeTravelRead;

/**
 * Reads the stores of a running pipeline into {@link StoreReadings}: the change, quarantine and dead-letter
 * topics from their start, the Iceberg tables through their catalog, the warehouse and source tables, and the
 * Deduplicate counters over JMX. Reading only: {@link ReportJudge} judges.
 */
final class StoreReader {

    static final List<String> DEDUPE_DROPS = List.of("duplicates-total", "stale-total");

    private final PipelineRuntime runtime;

    StoreReader(PipelineRuntime runtime) {
        this.runtime = runtime;
    }

    StoreReadings read() throws Exception {
        PipelineFiles files = runtime.files();
        Map<String, String> env = runtime.env();
        Topics topics = runtime.topics();
        IcebergTables iceberg = runtime.iceberg();
        TopicChange.Reader reader = TopicChange.Reader.forConnector(files.silver().config());

        List<TopicChange> changes = new ArrayList<>();
        topics.readAll(files.changeTopic(), r -> changes.add(reader.read(r)));
        List<TopicChange> quarantined = new ArrayList<>();
        topics.readAll(files.quarantineTopic(env), r -> quarantined.add(reader.read(r)));
        List<DeadLetter> deadLetters = new ArrayList<>();
        Optional<String> dlq = files.silverDeadLetterTopic(env);
        if (dlq.isPresent()) {
            topics.readAll(dlq.get(), r -> deadLetters.add(new DeadLetter(
                    header(r.headers(), "__connect.errors.connector.name"), header(r.headers(), "__connect.errors.partition"),
                    header(r.headers(), "__connect.errors.offset"), r.partition(), r.offset())));
        }

        String silverTable = PipelineFiles.icebergTable(files.silver(), env);
        Table silver = iceberg.load(silverTable);
        long silverRows = IcebergTables.count(silver);
        long silverCopies = IcebergTables.copies(silver, "order_id");
        List<SnapshotInfo> snapshots = IcebergTables.snapshots(silver);
        TimeTravelRead timeTravel = null;
        if (snapshots.size() >= 2) {
            int index = (snapshots.size() - 1) / 2;
            timeTravel = new TimeTravelRead(index, IcebergTables.countAt(silver, snapshots.get(index).id()));
        }
        Delays latency = new Delays(silverTable, IcebergTables.visibilityDelays(silver, IcebergTables::sourceTsMs));
        Optional<String> bronzeTable = files.icebergSink("bronze").map(c -> PipelineFiles.icebergTable(c, env));
        if (latency.millis().length == 0 && bronzeTable.isPresent()) {
            latency = new Delays(bronzeTable.get(),
                    IcebergTables.visibilityDelays(iceberg.load(bronzeTable.get()), IcebergTables::sourceTsMs));
        }

        Long dedupeDropped = null;
        String dedupeProblem = null;
        try {
            dedupeDropped = runtime.dedupeCounter(files.silver(), DEDUPE_DROPS);
        } catch (Exception e) {
            dedupeProblem = String.valueOf(e.getMessage());
        }
        return new StoreReadings(changes, quarantined, files.silver().name(), deadLetters, silverTable, silverRows,
                silverCopies < 0 ? null : silverCopies, snapshots, timeTravel, latency,
                rows(iceberg, bronzeTable), rows(iceberg, files.icebergSink("quarantine")
                        .map(c -> PipelineFiles.icebergTable(c, env))),
                runtime.warehouseRows(), runtime.database().rows(runtime.database().sourceDb(), "orders"),
                dedupeDropped, dedupeProblem, runtime.worker() == null ? 0 : runtime.worker().starts(),
                System.currentTimeMillis());
    }

    private static Long rows(IcebergTables iceberg, Optional<String> table) {
        return table.filter(iceberg::exists).map(t -> IcebergTables.count(iceberg.load(t))).orElse(null);
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
