package dev.truthline.connect.dedupe;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;

/**
 * The whole Deduplicate SMT's cost per record, with a full window of 1,000,000 ids
 * ({@code window.max.entries=1000000}, {@code on.duplicate=drop}, a TTL of a day):
 *
 * <ul>
 *   <li>{@link #eventId}: {@code strategy=event_id}, {@code id.fields=value.order_id}, on order
 *       records (6-field Struct value, int64 key);
 *   <li>{@link #debezium}: {@code strategy=debezium}, on Debezium PostgreSQL change events (Struct
 *       key; envelope with before/after/source/op/ts_ms; the id is source db, schema, table,
 *       sequence, op and the key).
 * </ul>
 *
 * <p>Each reads {@link DedupeRecords}: {@value DedupeRecords#RECORDS} records a pass, ~80% new
 * events, ~17% duplicates at another offset (dropped: the SMT returns null), ~3% replays at the same
 * offset (passed). One op = one record through {@code apply}; {@code Mode.AverageTime}, ns/op, one
 * thread. {@code @Setup} runs two whole passes (which fills the window) and fails unless every record
 * came out as expected (the record itself for NEW and REPLAY, null for DUPLICATE) and the metrics
 * counted them so; {@code @TearDown} checks one more pass.
 *
 * <p>1.3 million records do not fit in the CPU caches, while in a Connect task the transform sees
 * each record right after the converter built it. {@link #eventIdReadOnly} and
 * {@link #debeziumReadOnly} measure only fetching what de-duplication must read from the same
 * records in the same order: the difference is the transform's own cost.
 *
 * <p>{@code -p tables=1,2,3} interleaves the change events of up to three tables (one envelope
 * schema each) in the debezium input, as a sink reading several tables' topics sees them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class DeduplicateBenchmark {

    /** Records and the cursor over them. */
    abstract static class Input {
        DedupeRecords data;
        SinkRecord[] records;
        int next;

        SinkRecord next() {
            int i = next;
            if (i == DedupeRecords.RECORDS) {
                i = 0;
            }
            next = i + 1;
            return records[i];
        }
    }

    /** A configured transform, its records and the cursor over them. */
    abstract static class Subject extends Input {
        Deduplicate<SinkRecord> smt;

        void setup(DedupeRecords input, Map<String, String> props) {
            data = input;
            records = data.records;
            smt = new Deduplicate<>();
            smt.configure(props);
            verifyPass();
            if (smt.window().size() != DedupeRecords.WINDOW) {
                throw new IllegalStateException(data.name + ": the window holds " + smt.window().size()
                        + " ids after a pass, expected " + DedupeRecords.WINDOW);
            }
            verifyPass();
            // Building the records left garbage and hundreds of megabytes to promote: settle the heap
            // now rather than in the first iterations.
            System.gc();
        }

        /** One pass from the cursor: every record must come out as expected, and be counted so. */
        void verifyPass() {
            long passed = smt.passed.sum();
            long duplicates = smt.duplicates.sum();
            long replays = smt.replays.sum();
            for (int n = 0; n < DedupeRecords.RECORDS; n++) {
                int i = next == DedupeRecords.RECORDS ? 0 : next;
                SinkRecord in = next();
                SinkRecord out = smt.apply(in);
                Outcome expected = data.expected[i];
                SinkRecord want = expected == Outcome.DUPLICATE ? null : in;
                if (out != want) {
                    throw new IllegalStateException(data.name + ": record " + i + " (" + expected + ", "
                            + in.topic() + "/" + in.kafkaPartition() + "/" + in.kafkaOffset() + ") came out as "
                            + (out == null ? "null" : out == in ? "itself" : "another record"));
                }
            }
            long p = smt.passed.sum() - passed;
            long d = smt.duplicates.sum() - duplicates;
            long r = smt.replays.sum() - replays;
            if (p != data.newEvents || d != data.duplicates || r != data.replays || smt.missing.sum() != 0) {
                throw new IllegalStateException(String.format("%s: a pass counted %d passed, %d duplicates, %d replays,"
                        + " %d missing ids; expected %d, %d, %d, 0", data.name, p, d, r, smt.missing.sum(),
                        data.newEvents, data.duplicates, data.replays));
            }
            System.out.printf("%n%s: %d records as expected (NEW %d, DUPLICATE %d dropped, REPLAY %d), %d ids held%n",
                    data.name, DedupeRecords.RECORDS, p, d, r, smt.window().size());
        }

        @TearDown(Level.Trial)
        public void close() {
            verifyPass();
            smt.close();
        }
    }

    static Map<String, String> window(Map<String, String> props) {
        props.put("window.max.entries", String.valueOf(DedupeRecords.WINDOW));
        props.put("window.ttl.ms", String.valueOf(IdStream.TTL_MS));
        props.put("on.duplicate", "drop");
        return props;
    }

    @State(Scope.Thread)
    public static class EventId extends Subject {
        @Setup(Level.Trial)
        public void prepare() {
            Map<String, String> props = new HashMap<>();
            props.put("strategy", "event_id");
            props.put("id.fields", "value.order_id");
            setup(DedupeRecords.orders(), window(props));
        }
    }

    @State(Scope.Thread)
    public static class Debezium extends Subject {
        /** How many tables' change events are interleaved (1 to 3): one envelope schema per table. */
        @Param({"1"})
        int tables;

        @Setup(Level.Trial)
        public void prepare() {
            Map<String, String> props = new HashMap<>();
            props.put("strategy", "debezium");
            setup(DedupeRecords.debezium(tables), window(props));
        }
    }

    /** The order records alone, for {@link #eventIdReadOnly}. */
    @State(Scope.Thread)
    public static class EventIdRecords extends Input {
        @Setup(Level.Trial)
        public void prepare() {
            data = DedupeRecords.orders();
            records = data.records;
            System.gc();
        }
    }

    /** The change events alone, for {@link #debeziumReadOnly}. */
    @State(Scope.Thread)
    public static class DebeziumRecords extends Input {
        @Param({"1"})
        int tables;

        @Setup(Level.Trial)
        public void prepare() {
            data = DedupeRecords.debezium(tables);
            records = data.records;
            System.gc();
        }
    }

    /** Deduplicate, strategy=event_id, id.fields=value.order_id. */
    @Benchmark
    public SinkRecord eventId(EventId s) {
        return s.smt.apply(s.next());
    }

    /** Deduplicate, strategy=debezium. */
    @Benchmark
    public SinkRecord debezium(Debezium s) {
        return s.smt.apply(s.next());
    }

    /**
     * Floor of {@link #eventId}: only reads what any de-duplication of these records must read (the
     * id field and the position), from the same records in the same order. The records do not fit
     * in the CPU caches (as they would in a task, just converted), so this is mostly the cost of
     * fetching them; subtract it from {@link #eventId} for the transform's own work.
     */
    @Benchmark
    public long eventIdReadOnly(EventIdRecords s) {
        SinkRecord r = s.next();
        Struct value = (Struct) r.value();
        return value.getInt64("order_id") ^ r.originalKafkaOffset() ^ r.originalKafkaPartition()
                ^ r.originalTopic().hashCode();
    }

    /** Floor of {@link #debezium}: reads source db, schema, table, sequence, op, the key and the position. */
    @Benchmark
    public long debeziumReadOnly(DebeziumRecords s) {
        SinkRecord r = s.next();
        Struct value = (Struct) r.value();
        Struct source = value.getStruct("source");
        Struct key = (Struct) r.key();
        return source.getString("db").hashCode() ^ source.getString("schema").hashCode()
                ^ source.getString("table").hashCode() ^ source.getString("sequence").hashCode()
                ^ value.getString("op").hashCode() ^ key.getInt64("id")
                ^ r.originalKafkaOffset() ^ r.originalKafkaPartition() ^ r.originalTopic().hashCode();
    }
}
