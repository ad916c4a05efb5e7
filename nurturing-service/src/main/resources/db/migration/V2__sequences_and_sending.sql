-- The nurturing engine: what nurturing knows of a lead, templates, versioned sequences, enrollments with
-- their history, the mail queue (one row per e-mail, idempotent per enrollment step) and engagement.

alter table contact
    add column last_name      text,
    add column company        text,
    add column country        text,
    add column time_zone      text,
    add column status         text not null default 'active',     -- active | unconfirmed | confirmed (double opt-in)
    add column source_ref     text,
    add column stage          text,
    add column grade          text,
    add column temperature    text,
    add column unsubscribed_at timestamptz,
    add column suppressed     text,                                -- hard_bounce | complaint (never mailed again)
    add column suppressed_at  timestamptz;
-- erased leads keep only this row (no address, no name) so that a late event cannot bring them back
alter table contact alter column email drop not null;
alter table contact add column erased_at timestamptz;

-- pages a lead visited (lead.activity page_view from capture), for branches and goals on a URL pattern
create table lead_visit (
    event_id   uuid primary key,
    lead_id    uuid        not null,
    url        text        not null,
    visited_at timestamptz not null
);
create index lead_visit_lead on lead_visit (lead_id, visited_at);

create table email_template (
    id             text primary key,
    name           text        not null,
    subject        text        not null,
    html           text        not null,
    text_body      text,
    transactional  boolean     not null default false,
    updated_at     timestamptz not null,
    updated_by     text
);

create table sequence (
    id              uuid primary key,
    name            text        not null,
    current_version integer     not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

create table sequence_version (
    sequence_id uuid        not null references sequence (id),
    version     integer     not null,
    definition  jsonb       not null,
    created_at  timestamptz not null,
    created_by  text,
    primary key (sequence_id, version)
);

create table enrollment (
    id             uuid primary key,
    lead_id        uuid        not null,
    sequence_id    uuid        not null references sequence (id),
    version        integer     not null,
    status         text        not null,           -- active | completed | exited
    current_step   text,
    steps_done     integer     not null default 0,  -- how many steps this enrollment executed: part of a send's idempotency key
    next_due       timestamptz,
    claimed_until  timestamptz,
    claimed_by     text,
    trigger        text        not null,
    started_at     timestamptz not null,
    ended_at       timestamptz,
    exit_reason    text
);
-- never twice at once in the same sequence
create unique index enrollment_one_active on enrollment (lead_id, sequence_id) where status = 'active';
create index enrollment_due on enrollment (next_due) where status = 'active';
create index enrollment_lead on enrollment (lead_id);

create table enrollment_history (
    id            bigserial primary key,
    enrollment_id uuid        not null references enrollment (id) on delete cascade,
    step_id       text,
    action        text        not null,   -- entered sent skipped deferred waiting branched exited completed migrated bounced
    reason        text,
    at            timestamptz not null
);
create index enrollment_history_enrollment on enrollment_history (enrollment_id, id);

-- one row per e-mail; the unique (enrollment_id, step_seq) makes a step's send exist once, whoever runs it
create table email_message (
    id             uuid primary key,
    lead_id        uuid,                   -- null only for a test send to an address
    enrollment_id  uuid references enrollment (id) on delete cascade,
    sequence_id    uuid,
    sequence_version integer,
    step_id        text,
    step_seq       integer,
    template_id    text        not null,
    transactional  boolean     not null,
    kind           text        not null,   -- sequence | optin | test
    to_address     text,
    variables      jsonb,                  -- extra template data (confirmUrl of an opt-in)
    message_id     text        not null unique,
    state          text        not null,   -- queued | dispatching | sent | bounced | suppressed | unknown
    due_at         timestamptz not null,
    claimed_until  timestamptz,
    claimed_by     text,
    attempts       integer     not null default 0,
    last_error     text,
    created_at     timestamptz not null,
    sent_at        timestamptz,
    unique (enrollment_id, step_seq)
);
create index email_message_due on email_message (due_at) where state in ('queued', 'dispatching');
create index email_message_lead_sent on email_message (lead_id, sent_at) where transactional = false;

create table email_engagement (
    id             uuid primary key,
    email_id       uuid        not null references email_message (id) on delete cascade,
    lead_id        uuid        not null,
    kind           text        not null,   -- opened | clicked
    url            text,
    link           text,                   -- link key within the message (l0, l1 … or trap)
    classification text        not null,   -- human | bot | proxy
    reason         text        not null,
    method         text        not null,
    user_agent     text,
    at             timestamptz not null
);
create index email_engagement_email on email_engagement (email_id, at);
