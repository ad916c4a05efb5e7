create table lead_score (
    lead_id       uuid primary key,
    channel       text,
    fit           integer     not null,
    grade         text        not null,
    engagement    numeric     not null default 0,
    temperature   text        not null,
    stage         text        not null,
    model_version text        not null,
    contributions text        not null default '[]',
    profile       jsonb       not null default '{}'::jsonb,
    updated_at    timestamptz not null
);

create table stage_transition (
    id         bigserial primary key,
    lead_id    uuid        not null,
    from_stage text,
    to_stage   text        not null,
    reason     text        not null,
    actor      text        not null,
    changed_at timestamptz not null
);
create index stage_transition_lead on stage_transition (lead_id, id);
