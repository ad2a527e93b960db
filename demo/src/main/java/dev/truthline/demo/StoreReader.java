package dev.truthline.demo;

import java.util.List;
import java.util.Map;

import org.apache.iceberg.Table;

import dev.truthline.demo.IcebergTables.SnapshotInfo;
import dev.truthline.demo.StoreReadings.TimeTravelRead;

/**
 * Reads what the truth report needs beside the audit into {@link StoreReadings}: bronze's row count and silver's
 * snapshots from their metadata, silver as of an earlier snapshot, the warehouse and source tables' counts, and the
 * Deduplicate counters over JMX. No topic is read here: the audit read the captured events once. Reading only:
 * {@link ReportJudge} judges.
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
        IcebergTables iceberg = runtime.iceberg();

        String silverTable = PipelineFiles.icebergTable(files.silver(), env);
        List<SnapshotInfo> snapshots = List.of();
        TimeTravelRead timeTravel = null;
        if (iceberg.exists(silverTable)) {
            Table silver = iceberg.load(silverTable);
            snapshots = IcebergTables.snapshots(silver);
            if (snapshots.size() >= 2) {
                int index = (snapshots.size() - 1) / 2;
                timeTravel = new TimeTravelRead(index, IcebergTables.countAt(silver, snapshots.get(index).id()));
            }
        }
        Long bronzeRows = files.icebergSink("bronze").map(c -> iceberg.currentRows(PipelineFiles.icebergTable(c, env)))
                .orElse(null);

        Long dedupeDropped = null;
        String dedupeProblem = null;
        try {
            dedupeDropped = runtime.dedupeCounter(files.silver(), DEDUPE_DROPS);
        } catch (Exception e) {
            dedupeProblem = String.valueOf(e.getMessage());
        }
        return new StoreReadings(bronzeRows, snapshots, timeTravel, runtime.warehouseRows(),
                runtime.database().rows(runtime.database().sourceDb(), "orders"), dedupeDropped, dedupeProblem,
                runtime.worker() == null ? 0 : runtime.worker().starts(), System.currentTimeMillis());
    }
}
