-- who may be nurtured: one row per lead, kept from capture-service's lead events
create table contact (
    lead_id            uuid primary key,
    email              text        not null,
    first_name         text,
    marketing_consent  boolean     not null,
    channel            text,
    updated_at         timestamptz not null
);
