package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.json.JsonConverter;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.ChangeIdentity;
import dev.truthline.connect.harness.DebeziumEnvelopes;
import dev.truthline.connect.harness.DebeziumEnvelopes.Change;

/** Topic bytes read as the sinks read them, and identified the way Deduplicate identifies changes. */
class TopicChangeTest {

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

    private static TopicChange read(boolean schemas, long offset, Change change) {
        return new TopicChange.Reader(schemas, schemas).read(new ConsumerRecord<>(TOPIC, 1, offset,
                json(schemas, true, change), json(schemas, false, change)));
    }

    @Test
    void theIdentityIsChangeIdentitysOfWhatTheSinkSees() {
        Change change = DebeziumEnvelopes.change("u", 7).sequence("[\"100\",\"120\"]").lsn(120).txId(5).tsMs(1_000);
        TopicChange read = read(true, 3, change);
        long[] expected = ChangeIdentity.of(change.key(), change.struct());
        assertThat(read.id()).isEqualTo(new TopicChange.Id(expected[0], expected[1]));
        assertThat(read).extracting(TopicChange::partition, TopicChange::offset, TopicChange::tombstone,
                TopicChange::lsn, TopicChange::sourceTsMs).containsExactly(1, 3L, false, 120L, 1_000L);
    }

    @Test
    void aReEmittedCopyIsTheSameChangeAtALaterOffset() {
        Change change = DebeziumEnvelopes.change("c", 7).sequence("[\"100\",\"120\"]").lsn(120);
        assertThat(read(true, 50, change).id()).isEqualTo(read(true, 3, change).id());
        assertThat(read(false, 50, change).id()).as("schemaless").isEqualTo(read(false, 3, change).id());
    }

    @Test
    void anotherPositionOpOrKeyIsAnotherChange() {
        TopicChange original = read(true, 3, DebeziumEnvelopes.change("u", 7).sequence("[\"100\",\"120\"]").lsn(120));
        assertThat(read(true, 4, DebeziumEnvelopes.change("u", 7).sequence("[\"100\",\"130\"]").lsn(130)).id())
                .isNotEqualTo(original.id());
        assertThat(read(true, 4, DebeziumEnvelopes.change("d", 7).sequence("[\"100\",\"120\"]").lsn(120)).id())
                .isNotEqualTo(original.id());
        assertThat(read(true, 4, DebeziumEnvelopes.change("u", 8).sequence("[\"100\",\"120\"]").lsn(120)).id())
                .isNotEqualTo(original.id());
    }

    @Test
    void aTombstoneHasNoIdentity() {
        Change change = DebeziumEnvelopes.change("d", 7).lsn(120);
        TopicChange tombstone = new TopicChange.Reader(true, true)
                .read(new ConsumerRecord<>(TOPIC, 0, 9, json(true, true, change), null));
        assertThat(tombstone.tombstone()).isTrue();
        assertThat(tombstone.id()).isNull();
    }

    @Test
    void theConvertersFollowTheSinksSettings() {
        Change change = DebeziumEnvelopes.change("c", 7).lsn(120);
        TopicChange.Reader schemaless = TopicChange.Reader.forConnector(Map.of("key.converter.schemas.enable", "false",
                "value.converter.schemas.enable", "false"));
        assertThat(schemaless.read(new ConsumerRecord<>(TOPIC, 0, 1, json(false, true, change), json(false, false, change)))
                .id()).isEqualTo(read(false, 1, change).id()).isNotNull();
    }
}
