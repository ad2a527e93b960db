package dev.truthline.connect.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.core.ChangeEvent;
import dev.truthline.connect.core.ChangeEvents;
import dev.truthline.connect.core.Records;
import dev.truthline.connect.core.TruthlineVersion;
import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.RecordSide;
import dev.truthline.connect.validation.ValidateContractConfig.Envelope;
import dev.truthline.connect.validation.ValidateContractConfig.Mode;
import dev.truthline.connect.validation.ValidateContractConfig.OnFailure;

/**
 * Enforces a data contract on every record: checks the rules, writes the verdict into headers
 * ({@code dq.status}, {@code dq.contract}, {@code dq.violations}, {@code dq.rules},
 * {@code dq.warnings}) and fails, quarantines, tags or drops what is invalid.
 *
 * <p>Use {@link Value} to validate record values (and Debezium row images), {@link Key} for keys.
 * The incoming record is never changed in place: headers are copied and a new record is built.
 */
public abstract class ValidateContract<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    public static final String OVERVIEW_DOC = "Validates each record against a data contract (an ODCS v3 contract "
            + "in contract.file or contract.text, a Jakarta Bean Validation class in contract.class, inline rules: "
            + "required, type, range, regex, in, length, iso_country, iso_currency, cel; or a contract plus inline "
            + "rules), writes the verdict into dq.* headers and fails, quarantines, tags or drops invalid records. Use "
            + "<code>" + Value.class.getName() + "</code> for record values (and Debezium row images) or "
            + "<code>" + Key.class.getName() + "</code> for keys.";

    public static final ConfigDef CONFIG_DEF = ValidateContractConfig.CONFIG_DEF;

    /** The documented keys of each inline rule, under {@code rules.<name>.}. */
    public static final ConfigDef RULE_CONFIG_DEF = RuleDefinitions.RULE_CONFIG_DEF;

    /** How users write the keys of {@link #RULE_CONFIG_DEF}; read by the config-docs generator. */
    public static final String RULE_KEY_PREFIX = RuleDefinitions.RULES_PREFIX + "<name>.";

    /** The synthetic rule reported when {@code envelope=debezium} meets a record that is not a change event. */
    static final String ENVELOPE_RULE = "envelope";

    private static final Logger log = LoggerFactory.getLogger(ValidateContract.class);

    private final ChangeEvents changeEvents = new ChangeEvents();
    private Rule[] rules;
    /** The Bean Validation contract ({@code contract.class}), or null. */
    private BeanContract bean;
    private Envelope envelope;
    private OnFailure onFailure;
    private Mode mode;
    private String contract;
    private String quarantineTemplate;
    private boolean includeValues;
    private String headersPrefix;
    private String statusHeader;
    private String contractHeader;
    private String violationsHeader;
    private String rulesHeader;
    private String warningsHeader;
    private ValidationMetrics metrics;
    private PluginMetrics pluginMetrics;
    /** on.failure=dead_letter: writes what is rejected to the dead-letter topic and waits for it; else null. */
    private DeadLetterWriter deadLetters;
    /** Makes the dead-letter producer from its properties; tests give their own. */
    Function<Map<String, Object>, Producer<byte[], byte[]>> deadLetterProducers = DeadLetterWriter::kafkaProducer;
    private final ViolationsJson.Cached violationsJson = new ViolationsJson.Cached();

    @Override
    public void configure(Map<String, ?> props) {
        ValidateContractConfig config = new ValidateContractConfig(props);
        List<String> names = config.ruleNames();
        List<Rule> compiled = new ArrayList<>();
        ContractSources.OdcsRules odcs = ContractSources.odcs(config);
        String source = "inline rules";
        if (odcs != null) {
            compiled.addAll(odcs.rules());
            source = "ODCS contract " + odcs.contract().id() + " (schema " + odcs.contract().schema() + ")";
        }
        String contractClass = config.contractClass();
        compiled.addAll(RuleDefinitions.compile(names, config.originals()));
        if (compiled.isEmpty() && contractClass == null && odcs == null) {
            throw new KeyedConfigException(ValidateContractConfig.RULES, names,
                    "list at least one rule (each is configured under rules.<name>.*), or set contract.file, "
                            + "contract.text or contract.class");
        }
        includeValues = config.includeValues();
        if (contractClass != null) {
            closeBean();
            bean = BeanContract.create(contractClass, includeValues);
            source = "Bean Validation class " + contractClass;
        }
        rules = compiled.toArray(new Rule[0]);
        envelope = config.envelope();
        onFailure = config.onFailure();
        closeDeadLetters();
        if (onFailure == OnFailure.DEAD_LETTER) {
            deadLetters = config.deadLetterWriter(deadLetterProducers);
        }
        mode = config.mode();
        contract = odcs == null ? config.contractLabel(null, null)
                : config.contractLabel(odcs.contract().id(), odcs.contract().version());
        quarantineTemplate = config.quarantineTopic();
        String prefix = config.headersPrefix();
        headersPrefix = prefix;
        statusHeader = prefix + "status";
        contractHeader = prefix + "contract";
        violationsHeader = prefix + "violations";
        rulesHeader = prefix + "rules";
        warningsHeader = prefix + "warnings";
        List<String> metricRules = new ArrayList<>();
        for (Rule rule : rules) {
            metricRules.add(rule.name());
        }
        if (bean != null) {
            metricRules.addAll(bean.ruleNames());
        }
        metrics = new ValidationMetrics(metricRules);
        if (pluginMetrics != null) {
            metrics.register(pluginMetrics);
        }
        if (odcs != null && !odcs.skipped().isEmpty()) {
            log.warn("ValidateContract {}: {}", contract, ContractSources.skippedLine(odcs.skipped()));
        }
        if (odcs != null && odcs.rules().isEmpty()) {
            log.warn("ValidateContract {}: the ODCS contract has no rule that can be checked record by record", contract);
        }
        log.info("ValidateContract configured: contract={} from {}, {} rules{}, envelope={}, on.failure={}, mode={}",
                contract, source, rules.length, bean == null ? "" : " plus the class's constraints", envelope,
                onFailure, mode);
    }

    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        this.pluginMetrics = pluginMetrics;
        if (metrics != null) {
            metrics.register(pluginMetrics);
        }
    }

    @Override
    public R apply(R record) {
        metrics.total.increment();
        Object value = record.value();
        if (value == null) {
            // A tombstone deletes a key downstream; it has no content to judge.
            metrics.skipped.increment();
            return record;
        }
        Object target = side.content(record);
        Schema targetSchema = side.schema(record);
        Object rowValue = value;
        boolean notAnEnvelope = false;
        if (envelope != Envelope.NONE) {
            ChangeEvent.Kind kind = changeEvents.kindOf(value);
            if (kind == ChangeEvent.Kind.NO_ROW) {
                metrics.skipped.increment();
                return record;
            }
            if (kind == ChangeEvent.Kind.NOT_AN_ENVELOPE) {
                notAnEnvelope = envelope == Envelope.DEBEZIUM;
            } else {
                rowValue = changeEvents.rowImage(value, kind);
                if (side == RecordSide.VALUE) {
                    target = rowValue;
                    targetSchema = ChangeEvent.rowSchema(record.valueSchema(), kind);
                }
            }
        }

        Verdict verdict = new Verdict();
        if (notAnEnvelope) {
            verdict.add(ENVELOPE_RULE, RuleSeverity.ERROR, "", "expected a Debezium change event (op, source, before/after)",
                    null);
        } else {
            RecordView view = new RecordView(record.topic(), target, targetSchema, record.key(), rowValue,
                    record.headers());
            if (bean != null) {
                // The contract class first, then inline rules, as an ODCS contract's rules come before inline ones.
                bean.evaluate(view, verdict);
                List<Violation> found = verdict.violations();
                // The class's violations come sorted by rule: count each rule once per record, as for the others.
                for (int i = 0; i < found.size(); i++) {
                    if (i == 0 || !found.get(i).rule().equals(found.get(i - 1).rule())) {
                        metrics.violation(found.get(i).rule());
                    }
                }
            }
            for (int i = 0; i < rules.length; i++) {
                Rule rule = rules[i];
                int before = verdict.violations().size();
                rule.evaluate(view, verdict);
                if (verdict.violations().size() > before) {
                    metrics.violation(i);
                }
            }
        }
        return act(record, verdict);
    }

    private R act(R record, Verdict verdict) {
        if (verdict.valid()) {
            metrics.valid.increment();
            if (!verdict.clean()) {
                metrics.warned.increment();
            }
            return tagged(record, record.topic(), verdict);
        }
        metrics.invalid.increment();
        if (mode == Mode.SHADOW) {
            return tagged(record, record.topic(), verdict);
        }
        switch (onFailure) {
            case FAIL:
                metrics.failed.increment();
                throw new DataException(failureMessage(record, verdict));
            case QUARANTINE:
                metrics.quarantined.increment();
                return tagged(record, quarantineTemplate.replace(ValidateContractConfig.TOPIC_PLACEHOLDER,
                        record.topic()), verdict);
            case DROP:
                metrics.dropped.increment();
                return null;
            case DEAD_LETTER:
                if (!(record instanceof SinkRecord sink)) {
                    // A source connector has no dead-letter queue; an exception here would be tolerated and the record
                    // skipped (errors.tolerance=all), so stop the task instead.
                    throw new DeadLetterWriter.DeadLetterWriteFailed(ValidateContractConfig.ON_FAILURE
                            + "=dead_letter is for sink connectors; a source connector routes invalid records with "
                            + ValidateContractConfig.ON_FAILURE + "=quarantine", null);
                }
                deadLetters.write(sink, getClass(), failureMessage(record, verdict));
                metrics.deadLettered.increment();
                return null;
            case TAG:
                return tagged(record, record.topic(), verdict);
            default:
                throw new IllegalStateException("unhandled on.failure " + onFailure);
        }
    }

    private R tagged(R record, String topic, Verdict verdict) {
        // Never write into record.headers(): Debezium shares one Headers object between a delete and its tombstone.
        Headers headers = record.headers().duplicate();
        if (hasVerdictHeaders(headers)) {
            // An earlier stage's verdict would contradict this one.
            headers.remove(statusHeader).remove(violationsHeader).remove(rulesHeader).remove(warningsHeader)
                    .remove(contractHeader);
        }
        headers.addString(statusHeader, verdict.valid() ? "valid" : "invalid");
        if (contract != null) {
            headers.addString(contractHeader, contract);
        }
        if (!verdict.clean()) {
            headers.addString(violationsHeader, includeValues ? ViolationsJson.write(verdict.violations(), true)
                    : violationsJson.write(verdict.violations()));
            if (!verdict.valid()) {
                headers.addString(rulesHeader, verdict.ruleNames(RuleSeverity.ERROR));
            }
            String warnings = verdict.ruleNames(RuleSeverity.WARN);
            if (!warnings.isEmpty()) {
                headers.addString(warningsHeader, warnings);
            }
        }
        // A rerouted source record lets the producer pick the partition; a sink record keeps its own,
        // which sinks use to track offsets.
        Integer partition = topic.equals(record.topic()) || record instanceof SinkRecord ? record.kafkaPartition() : null;
        return Records.withHeaders(record, topic, partition, headers);
    }

    private boolean hasVerdictHeaders(Headers headers) {
        for (Header header : headers) {
            if (header.key().startsWith(headersPrefix)) {
                return true;
            }
        }
        return false;
    }

    private String failureMessage(R record, Verdict verdict) {
        StringBuilder message = new StringBuilder("Record violates contract");
        if (contract != null) {
            message.append(' ').append(contract);
        }
        message.append(": failed rules ").append(verdict.ruleNames(RuleSeverity.ERROR));
        message.append(" (topic ").append(record.topic());
        if (record.kafkaPartition() != null) {
            message.append(", partition ").append(record.kafkaPartition());
        }
        if (record instanceof SinkRecord) {
            message.append(", offset ").append(((SinkRecord) record).kafkaOffset());
        }
        message.append(')');
        return message.toString();
    }

    /** Counters, for tests in this package. */
    ValidationMetrics metrics() {
        return metrics;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return TruthlineVersion.get();
    }

    @Override
    public void close() {
        closeBean();
        closeDeadLetters();
    }

    private void closeDeadLetters() {
        if (deadLetters != null) {
            deadLetters.close();
            deadLetters = null;
        }
    }

    private void closeBean() {
        if (bean != null) {
            bean.close();
            bean = null;
        }
    }

    /** The part of the record the rules address; with the value, a Debezium envelope's row image. */
    private final RecordSide side;

    ValidateContract(RecordSide side) {
        this.side = side;
    }

    /** Validates record keys. */
    public static class Key<R extends ConnectRecord<R>> extends ValidateContract<R> {
        public Key() {
            super(RecordSide.KEY);
        }
    }

    /** Validates record values; with Debezium envelopes, the row image. */
    public static class Value<R extends ConnectRecord<R>> extends ValidateContract<R> {
        public Value() {
            super(RecordSide.VALUE);
        }
    }
}
