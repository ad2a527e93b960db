package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When a sink counts as through: read to the end of its topics, then committed since, as {@link SinkThrough} says. */
class SinkThroughTest {

    private static final TopicPartition P0 = new TopicPartition("orders.events.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("orders.events.v1", 1);

    private static SinkThrough.Reading reading(long end0, long pos0, long marker) {
        return new SinkThrough.Reading(Map.of(P0, end0, P1, 10L), Map.of(P0, pos0, P1, 10L),
                Map.of("coordinator", marker));
    }

    @Test
    void throughOnlyAfterTheNeededCommitsSinceThePositionReachedTheEnd() {
        SinkThrough sink = new SinkThrough(3);
        assertThat(sink.through(reading(100, 90, 1))).isFalse(); // still reading
        assertThat(sink.through(reading(100, 90, 2))).isFalse(); // a commit while reading does not count
        assertThat(sink.through(reading(100, 100, 2))).isFalse(); // at the end: counting starts
        assertThat(sink.through(reading(100, 100, 3))).isFalse();
        assertThat(sink.through(reading(100, 100, 3))).isFalse(); // no commit this round
        assertThat(sink.through(reading(100, 100, 4))).isFalse();
        assertThat(sink.through(reading(100, 100, 5))).isTrue();
        assertThat(sink.through(reading(100, 100, 5))).isTrue();
    }

    @Test
    void newRecordsStartTheCountAgain() {
        SinkThrough sink = new SinkThrough(1);
        assertThat(sink.through(reading(100, 100, 1))).isFalse();
        // The end moved and the sink read it in the same round: its commit since the first reading does not count.
        assertThat(sink.through(reading(120, 120, 2))).isFalse();
        assertThat(sink.through(reading(120, 120, 3))).isTrue();
        // More records, not read yet: not through any more.
        assertThat(sink.through(reading(130, 120, 4))).isFalse();
    }

    @Test
    void everyTaskMustCommitAndATaskComingOrGoingStartsTheCountAgain() {
        SinkThrough sink = new SinkThrough(1);
        Map<TopicPartition, Long> end = Map.of(P0, 5L, P1, 7L);
        assertThat(sink.through(new SinkThrough.Reading(end, end, Map.of("0", 4L, "1", 9L)))).isFalse();
        assertThat(sink.through(new SinkThrough.Reading(end, end, Map.of("0", 5L, "1", 9L)))).isFalse();
        assertThat(sink.through(new SinkThrough.Reading(end, end, Map.of("0", 5L)))).isFalse(); // task 1 went
        assertThat(sink.through(new SinkThrough.Reading(end, end, Map.of("0", 6L)))).isTrue();
        // Task 0 restarted: its counter starts at 0 again, which is a change (a commit of the new task).
        assertThat(sink.through(new SinkThrough.Reading(end, end, Map.of("0", 0L)))).isTrue();
    }

    @Test
    void noMarkerOrAnUnknownPositionIsNeverThrough() {
        SinkThrough sink = new SinkThrough(1);
        Map<TopicPartition, Long> end = Map.of(P0, 5L);
        for (int i = 0; i < 3; i++) {
            assertThat(sink.through(new SinkThrough.Reading(end, end, Map.of()))).isFalse();
            assertThat(sink.through(new SinkThrough.Reading(end, Map.of(), Map.of("0", (long) i)))).isFalse();
        }
        assertThat(SinkThrough.readToTheEnd(new SinkThrough.Reading(Map.of(), Map.of(), Map.of("0", 1L)))).isFalse();
    }

    @Test
    void positionIsTheLeadPastTheLogStartOrTheCommittedOffsetWhicheverIsFurther() {
        assertThat(SinkThrough.position(100, 500, 400.0, 350L)).isEqualTo(500L);
        assertThat(SinkThrough.position(100, 500, 200.0, 350L)).isEqualTo(350L);
        assertThat(SinkThrough.position(100, 500, null, 350L)).isEqualTo(350L);
        assertThat(SinkThrough.position(100, 500, Double.NaN, null)).isNull();
        assertThat(SinkThrough.position(0, 0, null, null)).isZero(); // an empty partition has nothing to read
        assertThat(SinkThrough.position(0, 500, null, null)).isNull();
    }
}
