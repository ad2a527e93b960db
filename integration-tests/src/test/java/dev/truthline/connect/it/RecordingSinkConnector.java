package dev.truthline.connect.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A sink that records every record it is handed (see {@link Recordings}) and can force the two
 * ways a worker redelivers records: a consumer rewind ({@code SinkTaskContext.offset}) and a
 * {@code RetriableException} from {@code put()}. Test code: it writes nowhere.
 */
public class RecordingSinkConnector extends SinkConnector {

    /** {@code partition:at:to} entries: on first seeing offset {@code at}, seek the partition back to {@code to}. */
    static final String REWIND = "rewind";
    /** {@code partition:offset} entries: the first batch holding this record fails once with a RetriableException. */
    static final String FAIL_ONCE_AT = "fail.once.at";

    /**
     * When true, the task commits, per partition, only the offset after the last record {@code put()} was handed, as
     * the Iceberg sink does (its {@code preCommit} returns nothing; its worker commits what it wrote): the offsets of
     * records the transformation chain dropped are not committed until a later record is written.
     */
    static final String COMMIT_WRITTEN_ONLY = "commit.written.only";

    static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(COMMIT_WRITTEN_ONLY, Type.BOOLEAN, false, Importance.LOW,
                    "Commit per partition only the offset after the last record handed to put().")
            .define(REWIND, Type.LIST, List.of(), Importance.LOW,
                    "partition:at:to entries; on first seeing offset 'at' of the partition, the task calls "
                            + "context.offset(partition, to), once per connector.")
            .define(FAIL_ONCE_AT, Type.LIST, List.of(), Importance.LOW,
                    "partition:offset entries; put() throws a RetriableException, once per connector, for the "
                            + "first batch that holds this record (after recording the batch).");

    private Map<String, String> props;

    /**
     * A config for this sink reading {@code topic} with one task, keys and values through the JSON converter, each with
     * its schema in the message or without: what the tests add to it is what they are about.
     */
    static Map<String, String> jsonConfig(String topic, boolean keySchemas, boolean valueSchemas) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", RecordingSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", String.valueOf(keySchemas));
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", String.valueOf(valueSchemas));
        return config;
    }

    /** {@link #jsonConfig} with {@code Deduplicate}'s {@code debezium} strategy in front of the sink. */
    static Map<String, String> debeziumDedupeConfig(String topic, boolean schemas) {
        Map<String, String> config = jsonConfig(topic, schemas, schemas);
        config.put("transforms", "dedupe");
        config.put("transforms.dedupe.type", TruthlineCluster.DEDUPLICATE);
        config.put("transforms.dedupe.strategy", "debezium");
        return config;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return RecordingSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // Every task gets the connector's configuration, "name" included: it keys the recording.
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return "test";
    }
}
