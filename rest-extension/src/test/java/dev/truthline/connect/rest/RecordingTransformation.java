package dev.truthline.connect.rest;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * A transformation in the Truthline package that remembers what it was configured with and whether it
 * was closed. {@code fail=config} makes {@code configure} throw a ConfigException naming no key,
 * {@code fail=state} an IllegalStateException.
 */
public class RecordingTransformation<R extends ConnectRecord<R>> implements Transformation<R> {

    static volatile Map<String, Object> lastProps;
    static volatile ClassLoader lastContextLoader;
    static volatile int closed;

    @Override
    public void configure(Map<String, ?> props) {
        lastProps = new HashMap<>(props);
        lastContextLoader = Thread.currentThread().getContextClassLoader();
        Object fail = props.get("fail");
        if ("config".equals(fail)) {
            throw new ConfigException("the recording transformation was told to fail");
        }
        if ("state".equals(fail)) {
            throw new IllegalStateException("told to fail");
        }
    }

    @Override
    public R apply(R record) {
        return record;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
        closed++;
    }
}
