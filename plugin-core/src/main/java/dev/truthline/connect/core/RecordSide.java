package dev.truthline.connect.core;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/**
 * The part of a record a transform works on, as the {@code $Key} and {@code $Value} variants of a transform name it:
 * its schema and content, and a copy of the record with that part replaced (everything else kept).
 */
public enum RecordSide {
    KEY {
        @Override
        public Schema schema(ConnectRecord<?> record) {
            return record.keySchema();
        }

        @Override
        public Object content(ConnectRecord<?> record) {
            return record.key();
        }

        @Override
        public <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object content) {
            return record.newRecord(record.topic(), record.kafkaPartition(), schema, content, record.valueSchema(),
                    record.value(), record.timestamp(), record.headers());
        }
    },
    VALUE {
        @Override
        public Schema schema(ConnectRecord<?> record) {
            return record.valueSchema();
        }

        @Override
        public Object content(ConnectRecord<?> record) {
            return record.value();
        }

        @Override
        public <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object content) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), schema,
                    content, record.timestamp(), record.headers());
        }
    };

    public abstract Schema schema(ConnectRecord<?> record);

    public abstract Object content(ConnectRecord<?> record);

    /** The record with this part replaced by {@code schema} and {@code content}; topic, partition, the other part,
     *  timestamp and headers kept. */
    public abstract <R extends ConnectRecord<R>> R replace(R record, Schema schema, Object content);
}
