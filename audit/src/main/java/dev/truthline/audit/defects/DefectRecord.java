package dev.truthline.audit.defects;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A defect and the record it was read from: the bytes, headers and time a replay writes back.
 *
 * @param defect the defect
 * @param record the quarantine or dead-letter record as read
 */
public record DefectRecord(Defect defect, ConsumerRecord<byte[], byte[]> record) {
}
