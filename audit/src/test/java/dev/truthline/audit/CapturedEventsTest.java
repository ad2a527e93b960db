package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.ChangeIdentity;
import dev.truthline.connect.harness.DebeziumEnvelopes;
import dev.truthline.connect.harness.DebeziumEnvelopes.Change;

/** Topic bytes decoded as the sinks read them, and identified the way Deduplicate identifies changes. */
class CapturedEventsTest {

    private static final String TOPIC = "shop.public.orders";

    private static byte[] json(boolean schemas, boolean key, Change change) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", schemas), key);
        if (schemas) {
            return key ? converter.fromConnectData(TOPIC, DebeziumEnvelopes.KEY, change.key())
                    : converter.fromConnectData(TOPIC, DebeziumEnvelopes.ENVELOPE, change.struct());
        }
        return converter.fromConnectData(TOPIC, null, key ? change.keyMap() : change.map());
    }

    private static CapturedEvents.Decoded decode(boolean schemas, Change change) {
        return new CapturedEvents(schemas, schemas, "dq.rules").decode(TOPIC, json(schemas, true, change),
                json(schemas, false, change));
    }

    @Test
    void theIdentityIsChangeIdentitysOfWhatTheSinkSees() {
        Change change = DebeziumEnvelopes.change("u", 7).sequence("[\"100\",\"120\"]").lsn(120).txId(5).tsMs(1_000);
        CapturedEvents.Decoded d = decode(true, change);
        assertThat(d.id()).containsExactly(ChangeIdentity.of(change.key(), change.struct()));
        assertThat(d.tsMs()).isEqualTo(1_000L);
        assertThat(d.keyText()).isNotNull();
    }

    @Test
    void theSameChangeDecodedAgainIsTheSameChangeWithOrWithoutSchemas() {
        Change change = DebeziumEnvelopes.change("c", 7).sequence("[\"100\",\"120\"]").lsn(120);
        assertThat(decode(true, change).id()).containsExactly(decode(true, change).id());
        assertThat(decode(false, change).id()).as("schemaless").isNotNull()
                .containsExactly(decode(false, change).id());
    }

    @Test
    void anotherPositionOpOrKeyIsAnotherChange() {
        long[] original = decode(true, DebeziumEnvelopes.change("u", 7).sequence("[\"100\",\"120\"]").lsn(120)).id();
        assertThat(decode(true, DebeziumEnvelopes.change("u", 7).sequence("[\"100\",\"130\"]").lsn(130)).id())
                .isNotEqualTo(original);
        assertThat(decode(true, DebeziumEnvelopes.change("d", 7).sequence("[\"100\",\"120\"]").lsn(120)).id())
                .isNotEqualTo(original);
        assertThat(decode(true, DebeziumEnvelopes.change("u", 8).sequence("[\"100\",\"120\"]").lsn(120)).id())
                .isNotEqualTo(original);
    }

    @Test
    void bytesThatAreNoJsonHaveNoIdentity() {
        CapturedEvents.Decoded d = new CapturedEvents(false, false, "dq.rules").decode(TOPIC, null,
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(d.value()).isNull();
        assertThat(d.id()).isNull();
        assertThat(d.tsMs()).isNull();
    }
}
