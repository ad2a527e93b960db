package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * The record a replay writes for a defect: its key and value bytes unchanged, its timestamp kept, no partition (the
 * producer's default partitioner picks it from the key bytes: the partition the original change went to), and its
 * headers rebuilt:
 * <ul>
 * <li>the original's, minus Connect's {@code __connect.errors.*};</li>
 * <li>for a source-quarantine record, minus the rejecting contract's verdict headers ({@code <prefix>status},
 * {@code contract}, {@code violations}, {@code rules}, {@code warnings}), plus the ones the deployed contract gives it
 * now (what the source's ValidateContract would have written);</li>
 * <li>plus the four {@code truthline.replay.*} headers.</li>
 * </ul>
 * A dead letter's verdict headers are the ones the change carried into the sink's input topic (the sink's own
 * verdict never reaches Kafka): they stay, and the sink's contract replaces them as it replaces every record's.
 */
final class ReplayRecords {

    static final String CONNECT_ERRORS = "__connect.errors.";

    private ReplayRecords() {
    }

    static ProducerRecord<byte[], byte[]> of(ReplayCandidate c, Revalidation.Recheck recheck, String cause,
            String replayId, String operator) {
        RecordHeaders headers = new RecordHeaders();
        boolean quarantine = c.kind() == ReplayCandidate.Kind.QUARANTINE;
        for (Header h : c.headers()) {
            if (h.key().startsWith(CONNECT_ERRORS) || h.key().startsWith("truthline.replay.")
                    || quarantine && recheck.verdictNames().contains(h.key())) {
                continue;
            }
            headers.add(h.key(), h.value());
        }
        if (quarantine) {
            for (Map.Entry<String, String> v : recheck.verdictHeaders().entrySet()) {
                headers.add(v.getKey(), bytes(v.getValue()));
            }
        }
        headers.add(ReplayHeaders.OF, bytes(c.of().toString()));
        headers.add(ReplayHeaders.ID, bytes(replayId));
        headers.add(ReplayHeaders.OPERATOR, bytes(operator));
        headers.add(ReplayHeaders.CAUSE, bytes(cause == null ? "" : cause));
        return new ProducerRecord<>(c.target(), null, c.timestamp() < 0 ? null : c.timestamp(), c.key(), c.value(),
                headers);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
