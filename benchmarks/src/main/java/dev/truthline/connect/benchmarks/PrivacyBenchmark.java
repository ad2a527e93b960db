package dev.truthline.connect.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.prf.PrfSet;

import dev.truthline.connect.privacy.Keysets;
import dev.truthline.connect.privacy.Method;
import dev.truthline.connect.privacy.ProtectFields;

/**
 * ProtectFields on the 12-field order records of {@link OrderData}, one record per op ({@code ns/op}, one thread),
 * against a hand-written floor: code that does the same job with no configuration, no paths and no checks — it
 * calls the same library (Tink, Bouncy Castle) on the field and builds the output Struct with a precomputed schema.
 *
 * <ul>
 *   <li>{@code protectOneField} / {@code floorOneField}, per {@code method}: the {@code sku} field (the only string
 *       every method, fpe included, can take on every record). Goal: SMT within 1.5&times; of the floor.</li>
 *   <li>{@code protectTwoTokens} / {@code floorTwoTokens}: token on {@code customer_id} (int64) and {@code email}.
 *       Goal: at least 500,000 records/s per thread, i.e. at most 2,000 ns/op.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PrivacyBenchmark {

    static final byte[] NO_AD = new byte[0];
    static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    static String keyset(Method method) {
        try {
            return Keysets.toJson(Keysets.create(method));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeysetHandle handle(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    /** The records and the cursor over them. */
    @State(Scope.Thread)
    public static class Input {
        SinkRecord[] records;
        int next;

        @Setup(Level.Trial)
        public void setup() {
            records = OrderData.get().records;
        }

        SinkRecord next() {
            return records[next++ & OrderData.MASK];
        }
    }

    @State(Scope.Thread)
    public static class OneField {
        @Param({"token", "encrypt", "fpe", "hash", "mask", "redact"})
        String method;

        ProtectFields.Value<SinkRecord> smt;
        /** The floor: the output schema, built once, and the library objects. */
        Schema floorSchema;
        Field[] inFields;
        Field[] outFields;
        int sku;
        DeterministicAead daead;
        Aead aead;
        Mac mac;
        FPEEngine ff1;

        @Setup(Level.Trial)
        public void setup() throws GeneralSecurityException {
            Method m = Method.of(method);
            String keys = m.keyed() ? keyset(m) : null;
            Map<String, String> props = new HashMap<>();
            props.put("rules", "r");
            props.put("rules.r.fields", "sku");
            props.put("rules.r.method", method);
            if (keys != null) {
                props.put("rules.r.keyset", keys);
            }
            if (m == Method.FPE) {
                props.put("rules.r.alphabet", "alphanumeric");
            }
            smt = new ProtectFields.Value<>();
            smt.configure(props);
            SinkRecord sample = OrderData.get().records[0];
            floorSchema = smt.apply(sample).valueSchema();
            inFields = OrderData.VALUE_SCHEMA.fields().toArray(new Field[0]);
            outFields = floorSchema.fields().toArray(new Field[0]);
            sku = OrderData.VALUE_SCHEMA.field("sku").index();
            switch (m) {
                case TOKEN:
                    daead = handle(keys).getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
                    break;
                case ENCRYPT:
                    aead = handle(keys).getPrimitive(RegistryConfiguration.get(), Aead.class);
                    break;
                case HASH:
                    mac = handle(keys).getPrimitive(RegistryConfiguration.get(), Mac.class);
                    break;
                case FPE: {
                    PrfSet prfs = handle(keys).getPrimitive(RegistryConfiguration.get(), PrfSet.class);
                    byte[] key = prfs.computePrimary("floor".getBytes(StandardCharsets.US_ASCII), 32);
                    ff1 = new FPEFF1Engine();
                    ff1.init(true, new FPEParameters(new KeyParameter(key), ALNUM.length(), new byte[0]));
                    break;
                }
                default:
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            smt.close();
        }

        Object protect(String value) throws GeneralSecurityException {
            switch (method) {
                case "token":
                    return BASE64.encodeToString(daead.encryptDeterministically(utf8(value), NO_AD));
                case "encrypt":
                    return BASE64.encodeToString(aead.encrypt(utf8(value), NO_AD));
                case "hash":
                    return BASE64.encodeToString(mac.computeMac(utf8(value)));
                case "fpe":
                    return fpe(value);
                case "mask": {
                    char[] chars = value.toCharArray();
                    for (int i = 0; i < chars.length - 4; i++) {
                        chars[i] = '*';
                    }
                    return new String(chars);
                }
                default:
                    return "";
            }
        }

        private String fpe(String value) {
            char[] chars = value.toCharArray();
            byte[] numerals = new byte[chars.length];
            int n = 0;
            for (char c : chars) {
                int i = ALNUM.indexOf(c);
                if (i >= 0) {
                    numerals[n++] = (byte) i;
                }
            }
            byte[] out = new byte[n];
            ff1.processBlock(numerals, 0, n, out, 0);
            int k = 0;
            for (int i = 0; i < chars.length; i++) {
                if (ALNUM.indexOf(chars[i]) >= 0) {
                    chars[i] = ALNUM.charAt(out[k++]);
                }
            }
            return new String(chars);
        }
    }

    @State(Scope.Thread)
    public static class TwoTokens {
        ProtectFields.Value<SinkRecord> smt;
        Schema floorSchema;
        Field[] inFields;
        Field[] outFields;
        int customer;
        int email;
        DeterministicAead daead;

        @Setup(Level.Trial)
        public void setup() throws GeneralSecurityException {
            String keys = keyset(Method.TOKEN);
            smt = new ProtectFields.Value<>();
            smt.configure(Map.of("rules", "ids", "rules.ids.fields", "customer_id,email", "rules.ids.method", "token",
                    "rules.ids.keyset", keys));
            floorSchema = smt.apply(OrderData.get().records[0]).valueSchema();
            inFields = OrderData.VALUE_SCHEMA.fields().toArray(new Field[0]);
            outFields = floorSchema.fields().toArray(new Field[0]);
            customer = OrderData.VALUE_SCHEMA.field("customer_id").index();
            email = OrderData.VALUE_SCHEMA.field("email").index();
            daead = handle(keys).getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
        }

        @TearDown(Level.Trial)
        public void close() {
            smt.close();
        }
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static SinkRecord withValue(SinkRecord record, Schema schema, Struct value) {
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), schema, value,
                record.timestamp(), record.headers());
    }

    @Benchmark
    public SinkRecord protectOneField(Input input, OneField state) {
        return state.smt.apply(input.next());
    }

    @Benchmark
    public SinkRecord floorOneField(Input input, OneField state) throws GeneralSecurityException {
        SinkRecord record = input.next();
        Struct in = (Struct) record.value();
        Struct out = new Struct(state.floorSchema);
        Field[] inFields = state.inFields;
        Field[] outFields = state.outFields;
        for (int i = 0; i < inFields.length; i++) {
            Object v = in.get(inFields[i]);
            out.put(outFields[i], i == state.sku ? state.protect((String) v) : v);
        }
        return withValue(record, state.floorSchema, out);
    }

    @Benchmark
    public SinkRecord protectTwoTokens(Input input, TwoTokens state) {
        return state.smt.apply(input.next());
    }

    @Benchmark
    public SinkRecord floorTwoTokens(Input input, TwoTokens state) throws GeneralSecurityException {
        SinkRecord record = input.next();
        Struct in = (Struct) record.value();
        Struct out = new Struct(state.floorSchema);
        Field[] inFields = state.inFields;
        Field[] outFields = state.outFields;
        for (int i = 0; i < inFields.length; i++) {
            Object v = in.get(inFields[i]);
            if (i == state.customer) {
                v = BASE64.encodeToString(state.daead.encryptDeterministically(
                        ByteBuffer.allocate(8).putLong((Long) v).array(), NO_AD));
            } else if (i == state.email) {
                v = BASE64.encodeToString(state.daead.encryptDeterministically(utf8((String) v), NO_AD));
            }
            out.put(outFields[i], v);
        }
        return withValue(record, state.floorSchema, out);
    }
}
