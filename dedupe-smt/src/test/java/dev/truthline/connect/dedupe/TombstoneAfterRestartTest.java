package dev.truthline.connect.dedupe;

import static dev.truthline.connect.dedupe.DeduplicateReplayTest.TOPIC;
import static dev.truthline.connect.dedupe.DeduplicateReplayTest.rebuilt;
import static dev.truthline.connect.dedupe.DeduplicateTest.changeMap;
import static dev.truthline.connect.dedupe.Fixtures.TIMESTAMP;
import static dev.truthline.connect.dedupe.Fixtures.header;
import static dev.truthline.connect.dedupe.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.dedupe.DeduplicateReplayTest.Log;

/**
 * A task that takes over a partition right behind a delete it did not judge itself — the task before it dropped the
 * delete's copy and stopped (a restart, a rebalance) before the tombstone behind it: its first record there is the
 * tombstone. It reads the record before it from the log ({@code rebuild.*}) and lets the tombstone go with that
 * delete's verdict. Order 1 created (offset 0), deleted (1, tombstone 2), created again (3); a rewind's copy of the
 * delete (4); the new task is first handed the copy of the tombstone (5).
 */
class TombstoneAfterRestartTest {

    private static SinkRecord order(long offset, String op, long lsn) {
        return new SinkRecord(TOPIC, 0, null, map("id", 1L), null, changeMap("orders", lsn, "[\"" + (lsn - 1) + "\",\""
                + lsn + "\"]", op, 1, lsn + offset), offset, TIMESTAMP, TimestampType.CREATE_TIME, new ConnectHeaders());
    }

    private static SinkRecord tombstone(long offset) {
        return new SinkRecord(TOPIC, 0, null, map("id", 1L), null, null, offset, TIMESTAMP, TimestampType.CREATE_TIME,
                new ConnectHeaders());
    }

    private static Log rewound() {
        return new Log(order(0, "c", 100), order(1, "d", 200), tombstone(2), order(3, "c", 300), order(4, "d", 200));
    }

    private static Deduplicate<SinkRecord> smt(Log log, String strategy, String... more) {
        String[] all = new String[more.length + 6];
        all[0] = "strategy";
        all[1] = strategy;
        all[2] = "entity.fields";
        all[3] = "key";
        all[4] = "version.field";
        all[5] = "value.source.lsn";
        System.arraycopy(more, 0, all, 6, more.length);
        return rebuilt(log, all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"debezium", "entity_version"})
    void theTombstoneGoesWithTheDeleteTheTaskBeforeDropped(String strategy) {
        Deduplicate<SinkRecord> smt = smt(rewound(), strategy);
        assertThat(smt.apply(tombstone(5))).isNull();
        assertThat(smt.staleTombstones.sum()).isEqualTo(1);
        assertThat(smt.rebuilds.sum()).as("the window rebuilt first").isEqualTo(1);
        assertThat(smt.skipped.sum()).isZero();
        // The rest of the rewind's copies: the create again is a copy too; the partition is seen now.
        assertThat(smt.apply(order(6, "c", 300))).isNull();
        assertThat(smt.apply(tombstone(7))).as("no delete right before it").isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"debezium", "entity_version"})
    void behindADeleteThatPassedItPasses(String strategy) {
        // The task before passed the delete at 1 and stopped before its tombstone at 2.
        Deduplicate<SinkRecord> smt = smt(new Log(order(0, "c", 100), order(1, "d", 200)), strategy);
        SinkRecord tombstone = tombstone(2);
        assertThat(smt.apply(tombstone)).isSameAs(tombstone);
        assertThat(smt.staleTombstones.sum()).isZero();
        assertThat(smt.skipped.sum()).isEqualTo(1);
    }

    @Test
    void behindAnythingElseItPasses() {
        // A copy of an update right before: not a delete.
        Deduplicate<SinkRecord> smt = smt(new Log(order(0, "u", 100), order(1, "u", 100)), "debezium");
        SinkRecord tombstone = tombstone(2);
        assertThat(smt.apply(tombstone)).isSameAs(tombstone);
        assertThat(smt.staleTombstones.sum()).isZero();
    }

    @Test
    void taggedWithTheDeletesFirstPosition() {
        Deduplicate<SinkRecord> smt = smt(rewound(), "debezium", "on.duplicate", "tag");
        SinkRecord out = smt.apply(tombstone(5));
        assertThat(out).isNotNull();
        assertThat(out.value()).isNull();
        assertThat(header(out, "dq.duplicate.reason")).isEqualTo("duplicate");
        assertThat(header(out, "dq.duplicate.of")).isEqualTo(TOPIC + "/0/1");
    }
}
