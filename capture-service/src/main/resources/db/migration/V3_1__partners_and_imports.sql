-- Partners posting leads by signed webhooks (Standard Webhooks), their deliveries, and CSV imports.

create table partner (
    id                         text        primary key,
    name                       text        not null,
    channel                    text        not null,
    campaign                   text,
    active                     boolean     not null default true,
    secret                     text        not null,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    mapping                    text        not null,
    created_at                 timestamptz not null,
    updated_at                 timestamptz not null
);

-- one row per verified webhook message: the answer given, replayed for the same webhook-id
create table partner_delivery (
    id          uuid        primary key,
    partner_id  text        not null references partner (id),
    webhook_id  text        not null,
    status      int         not null,
    body        text        not null,
    accepted    int         not null default 0,
    duplicates  int         not null default 0,
    rejected    int         not null default 0,
    received_at timestamptz not null
);
create unique index partner_delivery_message on partner_delivery (partner_id, webhook_id);
create index partner_delivery_period on partner_delivery (partner_id, received_at);

create table import_job (
    id           uuid        primary key,
    list_name    text        not null,
    channel      text        not null,
    campaign     text,
    file_name    text,
    mapping      text        not null,
    state        text        not null,
    rows_total   bigint      not null default 0,
    rows_read    bigint      not null default 0,
    accepted     bigint      not null default 0,
    duplicates   bigint      not null default 0,
    errors       bigint      not null default 0,
    detail       text,
    created_by   text,
    created_at   timestamptz not null,
    started_at   timestamptz,
    finished_at  timestamptz
);

create table import_error (
    id       uuid   primary key,
    job_id   uuid   not null references import_job (id),
    row_no   bigint not null,
    field    text,
    message  text   not null
);
create index import_error_job on import_error (job_id, row_no);
