package dev.truthline.connect.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** The task of {@link RecordingSinkConnector}. */
public class RecordingSinkTask extends SinkTask {

    private record RewindAt(int partition, long at, long to) {
    }

    private record FailAt(int partition, long at) {
    }

    private static final long RETRY_BACKOFF_MS = 100;

    private Recordings.Recording recording;
    private boolean commitWrittenOnly;
    /** With {@code commit.written.only}: per partition, the offset after the last record put() was handed. */
    private final Map<TopicPartition, Long> written = new HashMap<>();
    private final List<RewindAt> rewinds = new ArrayList<>();
    private final List<FailAt> failures = new ArrayList<>();

    @Override
    public void start(Map<String, String> props) {
        recording = Recordings.of(props.get("name"));
        recording.started();
        AbstractConfig config = new AbstractConfig(RecordingSinkConnector.CONFIG_DEF, props, false);
        commitWrittenOnly = config.getBoolean(RecordingSinkConnector.COMMIT_WRITTEN_ONLY);
        for (String entry : config.getList(RecordingSinkConnector.REWIND)) {
            String[] p = entry.trim().split(":");
            rewinds.add(new RewindAt(Integer.parseInt(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])));
        }
        for (String entry : config.getList(RecordingSinkConnector.FAIL_ONCE_AT)) {
            String[] p = entry.trim().split(":");
            failures.add(new FailAt(Integer.parseInt(p[0]), Long.parseLong(p[1])));
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        int batch = recording.add(records);
        FailAt fail = null;
        for (SinkRecord r : records) {
            int partition = r.originalKafkaPartition();
            long offset = r.originalKafkaOffset();
            synchronized (written) {
                written.merge(new TopicPartition(r.originalTopic(), partition), offset + 1, Math::max);
            }
            for (RewindAt rewind : rewinds) {
                if (rewind.partition() == partition && rewind.at() == offset && recording.fireOnce(rewind.toString())) {
                    // A real consumer seek: the worker applies it before its next poll and redelivers from 'to'.
                    context.offset(new TopicPartition(r.originalTopic(), partition), rewind.to());
                    recording.rewound(partition, rewind.at(), rewind.to());
                }
            }
            for (FailAt f : failures) {
                if (f.partition() == partition && f.at() == offset && recording.fireOnce(f.toString())) {
                    fail = f;
                }
            }
        }
        if (fail != null) {
            recording.failed(batch, fail.partition(), fail.at());
            // As real sinks do: without a timeout the worker retries only at its next offset commit
            // (offset.flush.interval.ms, 60 s by default), its paused consumer idling until then.
            context.timeout(RETRY_BACKOFF_MS);
            throw new RetriableException("test: failing the batch holding partition " + fail.partition()
                    + " offset " + fail.at() + " once");
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (!commitWrittenOnly) {
            return super.preCommit(currentOffsets);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        synchronized (written) {
            written.forEach((tp, next) -> {
                if (currentOffsets.containsKey(tp)) {
                    commit.put(tp, new OffsetAndMetadata(next));
                }
            });
        }
        return commit;
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "test";
    }
}
