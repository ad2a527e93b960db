package org.example.thirdparty;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;

/** A transformation outside the Truthline package: the check must never configure it. */
public class ThirdPartyTransformation<R extends ConnectRecord<R>> implements Transformation<R> {

    public static volatile int configured;

    @Override
    public void configure(Map<String, ?> props) {
        configured++;
        throw new IllegalStateException("a third-party transformation was configured");
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
    }
}
