package dev.truthline.connect.core;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Headers;

/** Building output records without touching the input. */
public final class Records {

    private Records() {
    }

    /** The record with other headers (and topic and partition), everything else kept. */
    public static <R extends ConnectRecord<R>> R withHeaders(R record, String topic, Integer partition, Headers headers) {
        return record.newRecord(topic, partition, record.keySchema(), record.key(), record.valueSchema(),
                record.value(), record.timestamp(), headers);
    }
}
