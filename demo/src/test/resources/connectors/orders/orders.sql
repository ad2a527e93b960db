-- The orders table of the demo's stand-in pipeline (the source of the change events).
CREATE TABLE IF NOT EXISTS public.orders (
    order_id    bigint PRIMARY KEY,
    customer_id bigint,
    status      text          NOT NULL,
    currency    text          NOT NULL,
    country     text          NOT NULL,
    amount      numeric(12,2) NOT NULL,
    quantity    integer       NOT NULL,
    sku         text          NOT NULL,
    email       text,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now()
);
-- Full before images: an update's or delete's event carries the whole old row.
ALTER TABLE public.orders REPLICA IDENTITY FULL;
