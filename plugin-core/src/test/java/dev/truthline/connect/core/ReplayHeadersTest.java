package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.truthline.connect.core.ReplayHeaders.Position;

class ReplayHeadersTest {

    @Test
    void headerNamesAreThePublicOnes() {
        assertThat(ReplayHeaders.OF).isEqualTo("truthline.replay.of");
        assertThat(ReplayHeaders.ID).isEqualTo("truthline.replay.id");
        assertThat(ReplayHeaders.OPERATOR).isEqualTo("truthline.replay.operator");
        assertThat(ReplayHeaders.CAUSE).isEqualTo("truthline.replay.cause");
    }

    @Test
    void positionReadsTopicPartitionOffset() {
        Position p = Position.parse("pg.public.orders/3/1234567890123");
        assertThat(p.topic()).isEqualTo("pg.public.orders");
        assertThat(p.partition()).isEqualTo(3);
        assertThat(p.offset()).isEqualTo(1234567890123L);
        assertThat(p).hasToString("pg.public.orders/3/1234567890123");
    }

    @Test
    void positionRoundTrips() {
        Position p = new Position("orders.quarantine", 0, 0);
        assertThat(Position.parse(p.toString())).isEqualTo(p);
        Position largest = new Position("t", Integer.MAX_VALUE, Long.MAX_VALUE);
        assertThat(Position.parse(largest.toString())).isEqualTo(largest);
    }

    @Test
    void topicIsEverythingBeforeTheLastTwoSlashes() {
        assertThat(Position.parse("a/b/1/2")).isEqualTo(new Position("a/b", 1, 2));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"orders", "orders/1", "/1/2", "orders//2", "orders/1/", "orders/-1/2", "orders/1/-2",
        "orders/+1/2", "orders/1/2x", "orders/ 1/2", "orders/2147483648/0", "orders/0/9223372036854775808",
        "orders/0/99999999999999999999", "orders/1/2/"})
    void malformedPositionsAreRejectedWithoutRepeatingTheText(String text) {
        assertThatThrownBy(() -> Position.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    if (text != null && !text.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(text);
                    }
                });
    }

    @Test
    void constructorChecksItsParts() {
        assertThatThrownBy(() -> new Position("", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position("t", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position("t", 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
