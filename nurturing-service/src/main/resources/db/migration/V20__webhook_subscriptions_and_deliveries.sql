-- Outbound webhooks (issue 9, "Outbound webhooks"): who wants which events, and every delivery with its attempts.

-- an admin's subscription: a receiver URL, the event types it wants, the Standard Webhooks secret that signs for it
create table webhook_subscription (
    id           uuid primary key,
    url          text        not null,
    event_types  text[]      not null,
    description  text,
    secret       text        not null,          -- whsec_<base64>: symmetric, kept as is to sign
    active       boolean     not null default true,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);

-- one event for one subscription; pending until the receiver answered 2xx, dead after the last retry
create table webhook_delivery (
    id               uuid primary key,          -- the webhook-id header: the receiver's idempotency key
    subscription_id  uuid        not null references webhook_subscription (id) on delete cascade,
    event_id         uuid        not null,      -- the Kafka event it comes from (or a random id for a test event)
    event_type       text        not null,      -- the webhook type: lead.mql, deal.closed, webhook.test ...
    lead_id          uuid,
    payload          text        not null,      -- the exact JSON body, the same for every attempt and replay
    status           text        not null check (status in ('pending', 'succeeded', 'dead')),
    attempts         int         not null default 0,  -- attempts since creation or the last replay (drives backoff)
    total_attempts   int         not null default 0,
    replays          int         not null default 0,
    next_attempt_at  timestamptz not null,      -- due time; a claim pushes it to the end of the lease
    lease_token      uuid,                      -- set by the replica that claimed it, cleared by its outcome
    last_status_code int,
    last_error       text,
    created_at       timestamptz not null,
    delivered_at     timestamptz,
    dead_at          timestamptz,
    unique (subscription_id, event_id)          -- a redelivered Kafka event makes no second delivery
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_log on webhook_delivery (subscription_id, created_at desc);

-- the delivery log: one row per HTTP attempt
create table webhook_attempt (
    id                bigserial primary key,
    delivery_id       uuid        not null references webhook_delivery (id) on delete cascade,
    attempted_at      timestamptz not null,
    status_code       int,                      -- null when no answer came (timeout, refused)
    latency_ms        int         not null,
    response_excerpt  text,                     -- at most 1 KB of the answer
    error             text,
    succeeded         boolean     not null
);
create index webhook_attempt_delivery on webhook_attempt (delivery_id, attempted_at);

-- inbound ESP notifications (bounce, complaint), idempotent on the Standard Webhooks webhook-id
create table esp_notification (
    webhook_id   text primary key,
    kind         text        not null,          -- bounced | complained
    email        text        not null,
    bounce_type  text,
    reason       text,
    lead_id      uuid,
    suppressed   boolean     not null,
    answer       text        not null,          -- the JSON answered the first time, answered again on a replay
    received_at  timestamptz not null
);
