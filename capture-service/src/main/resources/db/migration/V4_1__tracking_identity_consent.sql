-- Website tracking, identity (visitor links, audited merges), consent history and GDPR erasure (issue 3)

alter table lead add column merged_into uuid references lead (id);
alter table lead add column erased_at timestamptz;

-- anonymous and linked website activity, one row per tracked event
create table visitor_activity (
    id               uuid primary key,
    visitor_id       text        not null,
    lead_id          uuid references lead (id),
    activity_type    text        not null,
    url              text,
    asset            text,
    duration_seconds integer,
    occurred_at      timestamptz not null,
    received_at      timestamptz not null,
    linked_at        timestamptz
);
create index visitor_activity_visitor on visitor_activity (visitor_id) where lead_id is null;
create index visitor_activity_lead on visitor_activity (lead_id, occurred_at);

-- which lead a visitor id belongs to: set by the first form submission that carries it, never by a later claim
create table visitor_link (
    visitor_id text primary key,
    lead_id    uuid        not null references lead (id),
    linked_at  timestamptz not null,
    linked_by  text        not null
);
create index visitor_link_lead on visitor_link (lead_id);

-- every merge, who did it and both leads as they were, so that it can be undone
create table lead_merge (
    id                 uuid primary key,
    survivor_id        uuid        not null references lead (id),
    merged_id          uuid        not null references lead (id),
    reason             text        not null,
    merged_by          text        not null,
    merged_at          timestamptz not null,
    survivor_snapshot  text,
    merged_snapshot    text,
    moved_activity_ids text        not null default '[]',
    moved_visitor_ids  text        not null default '[]',
    undone_at          timestamptz,
    undone_by          text
);
create index lead_merge_survivor on lead_merge (survivor_id);
create index lead_merge_merged on lead_merge (merged_id);

-- consent history: every grant and withdrawal with purpose, exact text version, time and source
create table consent_change (
    id           uuid primary key,
    lead_id      uuid        not null references lead (id),
    purpose      text        not null,
    granted      boolean     not null,
    text_version text,
    recorded_at  timestamptz not null,
    source       text        not null
);
create index consent_change_lead on consent_change (lead_id, recorded_at);
