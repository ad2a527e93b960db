package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.connect.validation.ValidateContractConfig;

/**
 * Judges a defect against the contract deployed now: the {@code ValidateContract} transforms of the connector that
 * rejected it, instantiated here with their own keys but {@code on.failure=tag}, applied in chain order to the record
 * as that connector's converters read it. Tag mode writes the verdict headers instead of acting on them:
 * {@code <prefix>status} says valid or invalid, {@code <prefix>rules} which rules failed.
 */
final class Revalidation implements AutoCloseable {

    /** The verdict header names a ValidateContract writes under its prefix. */
    static final List<String> VERDICT_SUFFIXES = List.of("status", "contract", "violations", "rules", "warnings");

    /**
     * What the deployed contract says of one record.
     *
     * @param valid          every ValidateContract of the chain found it valid (or the chain has none)
     * @param contracts      how many ValidateContract transforms judged it (0: the connector has none)
     * @param failedRules    the rules that failed, in order (names only, never values)
     * @param verdictHeaders the verdict headers the contracts give it now, name → text
     * @param verdictNames   every verdict header name of the chain's prefixes (what an older verdict is written under)
     * @param notRechecked   rules on fields the source's chain rewrote after its contract ({@link RewrittenFields}):
     *                       their capture-time verdict (passed) is kept
     */
    record Recheck(boolean valid, int contracts, List<String> failedRules, Map<String, String> verdictHeaders,
            Set<String> verdictNames, Set<String> notRechecked) {
    }

    /** One connector's contracts and converters. */
    private static final class Chain {
        @SuppressWarnings("rawtypes")
        final List<Transformation> contracts = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        /** Per contract, the fields later transforms of the chain rewrite. */
        final List<Set<String>> rewritten = new ArrayList<>();
        Converter keys;
        Converter values;
    }

    private final ReplayPipeline pipeline;
    private final Map<String, Chain> chains = new HashMap<>();

    Revalidation(ReplayPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Judges {@code c} with the contracts of the connector that rejected it. */
    @SuppressWarnings("rawtypes")
    Recheck recheck(ReplayCandidate c) throws CannotJudgeException {
        Chain chain = chain(c.connector());
        SchemaAndValue key = c.key() == null ? SchemaAndValue.NULL : chain.keys.toConnectData(c.target(), c.key());
        SchemaAndValue value = c.value() == null ? SchemaAndValue.NULL
                : chain.values.toConnectData(c.target(), c.value());
        ConnectHeaders headers = new ConnectHeaders();
        c.headers().forEach(h -> headers.addString(h.key(), h.value() == null ? null
                : new String(h.value(), StandardCharsets.UTF_8)));
        ConnectRecord<?> record = c.kind() == ReplayCandidate.Kind.QUARANTINE
                ? new SourceRecord(null, null, c.target(), null, key.schema(), key.value(), value.schema(),
                        value.value(), c.timestamp(), headers)
                : new SinkRecord(c.target(), c.of().partition(), key.schema(), key.value(), value.schema(),
                        value.value(), c.of().offset(), c.timestamp(),
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME, headers);
        boolean valid = true;
        List<String> failed = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> notRechecked = new LinkedHashSet<>();
        boolean quarantined = c.kind() == ReplayCandidate.Kind.QUARANTINE;
        for (int i = 0; i < chain.contracts.size(); i++) {
            String prefix = chain.prefixes.get(i);
            ConnectRecord<?> tagged = apply(chain.contracts.get(i), record);
            if (tagged == null) {
                // Tag mode never drops; a null would be a record the contract skips.
                continue;
            }
            record = tagged;
            if (quarantined && !chain.rewritten.get(i).isEmpty()) {
                Set<String> excused = RewrittenFields.notRecheckable(record, prefix, chain.rewritten.get(i),
                        RewrittenFields.names(DefectRecords.header(c.headers(), prefix + "rules")));
                if (!excused.isEmpty()) {
                    record = withoutExcused(record, prefix, excused);
                    notRechecked.addAll(excused);
                }
            }
            String status = text(record, prefix + "status");
            if ("invalid".equals(status)) {
                valid = false;
                String rules = text(record, prefix + "rules");
                if (rules != null) {
                    for (String r : rules.split(",")) {
                        if (!r.isBlank() && !failed.contains(r.strip())) {
                            failed.add(r.strip());
                        }
                    }
                }
            }
            VERDICT_SUFFIXES.forEach(s -> names.add(prefix + s));
        }
        Map<String, String> verdict = new LinkedHashMap<>();
        for (String name : names) {
            String v = text(record, name);
            if (v != null) {
                verdict.put(name, v);
            }
        }
        return new Recheck(valid, chain.contracts.size(), failed, verdict, names, notRechecked);
    }

    /**
     * The key as an operator may write it for {@code --key}: as the connector's key converter reads it (Connect data
     * as text), and each field of a key struct or map; none when it cannot be read.
     */
    List<String> keyForms(String connector, String topic, byte[] key) {
        List<String> forms = new ArrayList<>();
        Object k;
        try {
            k = chain(connector).keys.toConnectData(topic, key).value();
        } catch (CannotJudgeException | RuntimeException unreadable) {
            return forms;
        }
        if (k == null) {
            return forms;
        }
        forms.add(String.valueOf(k));
        if (k instanceof org.apache.kafka.connect.data.Struct s) {
            s.schema().fields().forEach(f -> forms.add(String.valueOf(s.get(f))));
        } else if (k instanceof Map<?, ?> m) {
            m.values().forEach(v -> forms.add(String.valueOf(v)));
        }
        return forms;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static ConnectRecord<?> withoutExcused(ConnectRecord<?> record, String prefix, Set<String> excused) {
        return (ConnectRecord<?>) RewrittenFields.withoutExcused((ConnectRecord) record, prefix, excused);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static ConnectRecord<?> apply(Transformation contract, ConnectRecord<?> record) {
        return (ConnectRecord<?>) contract.apply(record);
    }

    private static String text(ConnectRecord<?> record, String name) {
        Header h = record.headers().lastWithName(name);
        return h == null || h.value() == null ? null : String.valueOf(h.value());
    }

    private Chain chain(String connector) throws CannotJudgeException {
        Chain chain = chains.get(connector);
        if (chain != null) {
            return chain;
        }
        Map<String, String> config = pipeline.config(connector);
        if (config == null) {
            throw new CannotJudgeException("no connector " + connector + " in the pipeline's configs");
        }
        chain = new Chain();
        chain.keys = converter(connector, config, "key.converter", true);
        chain.values = converter(connector, config, "value.converter", false);
        for (Map.Entry<String, Map<String, String>> e : ReplayPipeline.transforms(config).entrySet()) {
            Map<String, String> t = e.getValue();
            if (!ReplayPipeline.isValidate(t)) {
                continue;
            }
            Map<String, String> props = new HashMap<>(t);
            props.remove("type");
            props.remove("predicate");
            props.remove("negate");
            props.put(ValidateContractConfig.ON_FAILURE, "tag");
            props.put(ValidateContractConfig.MODE, "enforce");
            chain.contracts.add(contract(connector, e.getKey(), t.get("type"), props));
            chain.prefixes.add(t.getOrDefault(ValidateContractConfig.HEADERS_PREFIX, "dq."));
            chain.rewritten.add(RewrittenFields.after(ReplayPipeline.transforms(config), e.getKey()));
        }
        chains.put(connector, chain);
        return chain;
    }

    @SuppressWarnings("rawtypes")
    private static Transformation contract(String connector, String alias, String type,
            Map<String, String> props) throws CannotJudgeException {
        try {
            Transformation t = (Transformation) Class.forName(type)
                    .getDeclaredConstructor().newInstance();
            t.configure(props);
            return t;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new CannotJudgeException(connector + ": transforms." + alias + ".type " + type
                    + " cannot be loaded here: " + e, e);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new CannotJudgeException(connector + ": transforms." + alias + " does not configure: "
                    + e.getMessage(), e);
        }
    }

    /** The connector's converter: its class (JsonConverter by default) with its {@code <kind>.*} keys. */
    private static Converter converter(String connector, Map<String, String> config, String kind, boolean isKey)
            throws CannotJudgeException {
        String type = config.getOrDefault(kind, JsonConverter.class.getName());
        Map<String, Object> props = new HashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(kind + ".")) {
                props.put(k.substring(kind.length() + 1), v);
            }
        });
        try {
            Converter c = (Converter) Class.forName(type).getDeclaredConstructor().newInstance();
            c.configure(props, isKey);
            return c;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new CannotJudgeException(connector + ": " + kind + " " + type + " cannot be loaded here", e);
        }
    }

    @Override
    public void close() {
        chains.values().forEach(c -> c.contracts.forEach(Transformation::close));
    }
}
