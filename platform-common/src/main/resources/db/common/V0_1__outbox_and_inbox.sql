-- Shared by every service (platform-common): the transactional outbox and the consumer inbox.
create table outbox_event (
    seq           bigserial primary key,
    id            uuid        not null unique,
    topic         text        not null,
    event_key     text        not null,
    event_type    text        not null,
    payload       text        not null,
    created_at    timestamptz not null default now(),
    claimed_until timestamptz,
    attempts      integer     not null default 0,
    last_error    text,
    published_at  timestamptz
);
create index outbox_event_pending on outbox_event (seq) where published_at is null;

create table processed_event (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
