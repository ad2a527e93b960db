-- The reference pipeline's source table (PostgreSQL 10+, wal_level=logical).
--
-- amount is numeric(12,2), not double precision: money must be exact. Debezium sends it as a Connect Decimal
-- (decimal.handling.mode=precise), ValidateContract's range rule compares Decimals exactly, the Iceberg sink
-- creates a decimal(38,2) column and the JDBC sink a numeric column; a double would round 0.1 + 0.2 and make range
-- boundaries fuzzy.
--
-- customer_id, amount, currency and status are nullable on purpose: the shape contract (orders-source.json,
-- on.failure=quarantine) is what keeps a row without them out of the topic, and that is what the demo exercises.
--
-- customer_id and email are personal data: the source's ProtectFields turns both into tokens (AES-SIV, deterministic)
-- before a record reaches Kafka, so this table is the only store that holds them in clear (docs/privacy.md).
CREATE TABLE IF NOT EXISTS public.orders (
    order_id    bigint        PRIMARY KEY,
    customer_id text,
    email       text,
    amount      numeric(12,2),
    currency    text,
    status      text,
    updated_at  timestamptz   NOT NULL DEFAULT now()
);

-- A table created before the email column existed.
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS email text;

-- Full row images in UPDATE and DELETE events: ValidateContract checks a delete's before image, and silver keeps the
-- deleted row's values.
ALTER TABLE public.orders REPLICA IDENTITY FULL;

-- The connector creates the publication itself (publication.autocreate.mode=filtered: FOR TABLE public.orders) and
-- the slot truthline_orders. With a database user that may not create publications, create it here instead and set
-- publication.autocreate.mode=disabled:
-- CREATE PUBLICATION truthline_orders FOR TABLE public.orders;
