package dev.truthline.connect.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderChangesTest {

    @Test
    void theFastSerializerWritesWhatTheJsonConverterWrites() {
        for (WireFormat format : WireFormat.values()) {
            byte[] expected = OrderChanges.converter(format, false).fromConnectData("t", OrderChanges.ENVELOPE,
                    OrderChanges.sampleUpdate());
            byte[] actual = new OrderChanges.Serializer(format, false, OrderChanges.ENVELOPE).bytes("t",
                    OrderChanges.sampleUpdate());
            assertThat(new String(actual)).as(format.id()).isEqualTo(new String(expected));
        }
    }
}
