-- Stale rows visible with plain SQL, in the warehouse database (TRUTHLINE_WAREHOUSE_JDBC_URL), not the source one.
--
-- orders_current (orders-warehouse) keeps the last version of each order the business rules accepted. When a newer
-- change of an order is rejected — quarantined at the source (orders.events.v1.quarantine) or dead-lettered by the
-- warehouse sink (orders.events.dlq) — the row silently stays at the older version. orders-holds writes every such
-- rejected change to orders_holds: the order, where the change was in Kafka, its source position (LSN) and the rules
-- or reason. A row is stale when a hold of its order has a newer source position than the row's own __source_lsn.
--
-- Run this file once orders_current exists (the warehouse sink creates it with its first row); orders-holds creates
-- orders_holds the same way if this file has not, with the same columns.

CREATE TABLE IF NOT EXISTS orders_holds (
    order_id           bigint,
    rejected_topic     text        NOT NULL,   -- the quarantine topic, or the change topic for a dead letter
    rejected_partition integer     NOT NULL,
    rejected_offset    bigint      NOT NULL,
    source_lsn         bigint,                 -- source.lsn of the rejected change
    op                 text,                   -- c, u, d, r
    reason             text,                   -- the rules it broke (dq.rules), or the sink's exception message
    held_at            timestamp,              -- when the rejected record was written to its topic
    PRIMARY KEY (rejected_topic, rejected_partition, rejected_offset)
);

CREATE INDEX IF NOT EXISTS orders_holds_by_order ON orders_holds (order_id, source_lsn);

-- Every current row, with stale = true and the newest hold that supersedes it where there is one.
CREATE OR REPLACE VIEW orders_current_truth AS
SELECT c.*,
       h.order_id IS NOT NULL AS stale,
       h.source_lsn          AS held_lsn,
       h.rejected_topic || '/' || h.rejected_partition || '/' || h.rejected_offset AS held_at_position,
       h.reason              AS held_reason
FROM orders_current c
LEFT JOIN LATERAL (
    SELECT * FROM orders_holds h
    WHERE h.order_id = c.order_id AND h.source_lsn > coalesce(c.__source_lsn, -1)
    ORDER BY h.source_lsn DESC
    LIMIT 1
) h ON true;
