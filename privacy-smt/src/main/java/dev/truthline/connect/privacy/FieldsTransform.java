package dev.truthline.connect.privacy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.core.KeyedConfigException;
import dev.truthline.connect.core.PluginCounters;
import dev.truthline.connect.core.RecordSide;
import dev.truthline.connect.core.TruthlineVersion;

/**
 * What {@link ProtectFields} and {@link RevealFields} share: the rules, the field tree, the output-schema cache,
 * the record path (tombstones pass untouched; Struct with schema or schemaless Map) and the metrics. Subclasses say
 * the direction and, per Key/Value, which {@link RecordSide} they work on.
 */
abstract class FieldsTransform<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    /** Output schemas remembered: one per input schema seen, the least recently used forgotten first. */
    static final int SCHEMA_CACHE_SIZE = 16;

    private static final Logger log = LoggerFactory.getLogger(FieldsTransform.class);

    private List<PrivacyConfig.ConfiguredRule> rules;
    private FieldTree tree;
    private Cache<Schema, Schema> schemas;
    /** The last input schema and its output: records of one task nearly always share one schema. */
    private volatile Schema[] lastSchemas;

    final LongAdder records = new LongAdder();
    final LongAdder skipped = new LongAdder();
    private PluginMetrics pluginMetrics;

    /** true: protect; false: reveal. */
    abstract boolean protecting();

    /** The part of the record this instance works on. */
    private final RecordSide side;

    FieldsTransform(RecordSide side) {
        this.side = side;
    }

    @Override
    public void configure(Map<String, ?> props) {
        List<PrivacyConfig.ConfiguredRule> compiled = PrivacyConfig.rules(props);
        FieldTree built = new FieldTree(protecting());
        for (PrivacyConfig.ConfiguredRule rule : compiled) {
            for (String field : rule.fields()) {
                built.add(field, rule.protection(), PrivacyConfig.RULES_PREFIX + rule.name() + "." + PrivacyConfig.FIELDS);
            }
        }
        rules = compiled;
        tree = built;
        schemas = new SynchronizedCache<>(new LRUCache<>(SCHEMA_CACHE_SIZE));
        lastSchemas = null;
        if (pluginMetrics != null) {
            registerMetrics(pluginMetrics);
        }
        for (PrivacyConfig.ConfiguredRule rule : compiled) {
            if (!protecting() && !rule.protection().method.reversible()) {
                log.info("RevealFields rule {} ({}) cannot be undone: its fields pass as they are", rule.name(),
                        rule.protection().method.label());
            }
        }
        log.info("{} configured: rules {}", getClass().getSimpleName(),
                compiled.stream().map(r -> r.name() + "=" + r.protection().method.label() + r.fields()).toList());
    }

    @Override
    public R apply(R record) {
        Object value = side.content(record);
        if (value == null) {
            skipped.increment();
            return record;
        }
        records.increment();
        Schema schema = side.schema(record);
        if (schema == null) {
            if (!(value instanceof Map)) {
                throw new DataException(getClass().getSimpleName() + " expects a struct with a schema or a schemaless "
                        + "map, not a " + ValueCodec.kind(value));
            }
            return side.replace(record, null, tree.apply(value, null, null));
        }
        if (schema.type() != Schema.Type.STRUCT) {
            throw new DataException(getClass().getSimpleName() + " expects a struct, not a " + schema.type().getName());
        }
        Schema output = outputSchema(schema);
        return side.replace(record, output, tree.apply(value, schema, output));
    }

    /** The output schema for an input schema, from the cache when it was seen before. */
    Schema outputSchema(Schema input) {
        Schema[] last = lastSchemas;
        if (last != null && last[0] == input) {
            return last[1];
        }
        Schema output = schemas.get(input);
        if (output == null) {
            output = tree.outputSchema(input);
            schemas.put(input, output);
        }
        lastSchemas = new Schema[] {input, output};
        return output;
    }

    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        this.pluginMetrics = metrics;
        if (rules != null) {
            registerMetrics(metrics);
        }
    }

    private void registerMetrics(PluginMetrics metrics) {
        String verb = protecting() ? "protected" : "revealed";
        PluginCounters.counter(metrics, "records-total", "Records with a value the transform worked on.", records);
        PluginCounters.counter(metrics, "records-skipped", "Tombstones (null values), passed untouched.", skipped);
        List<PrivacyConfig.ConfiguredRule> current = rules;
        PluginCounters.gauge(metrics, "fields-" + verb + "-total", "Fields " + verb + ", all rules together.", Map.of(),
                () -> current.stream().mapToLong(r -> r.protection().fields.sum()).sum());
        for (PrivacyConfig.ConfiguredRule rule : current) {
            PluginCounters.counter(metrics, "rule-fields-" + verb + "-total", "Fields " + verb + " by one rule.",
                    Map.of("rule", rule.name(), "method", rule.protection().method.label()), rule.protection().fields);
        }
    }

    /** Fields handled by each rule so far, for tests. */
    long fieldsOf(String rule) {
        return rules.stream().filter(r -> r.name().equals(rule)).findFirst()
                .orElseThrow(() -> new KeyedConfigException(PrivacyConfig.RULES, rule, "no such rule"))
                .protection().fields.sum();
    }

    @Override
    public ConfigDef config() {
        return PrivacyConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return TruthlineVersion.get();
    }

    @Override
    public void close() {
        if (schemas != null) {
            schemas = new SynchronizedCache<>(new LRUCache<>(SCHEMA_CACHE_SIZE));
        }
        lastSchemas = null;
    }
}
