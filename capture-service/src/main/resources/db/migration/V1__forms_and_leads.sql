create table form (
    id               uuid primary key,
    form_key         text        not null unique,
    name             text        not null,
    channel          text        not null,
    campaign         text,
    offer            text,
    double_opt_in    boolean     not null default false,
    success_redirect text,
    created_at       timestamptz not null default now()
);

create table lead (
    id          uuid primary key,
    email       text        not null,
    first_name  text,
    last_name   text,
    company     text,
    job_title   text,
    phone       text,
    country     text,
    source      text        not null,
    source_ref  text,
    channel     text        not null,
    campaign    text,
    utm         jsonb       not null default '{}'::jsonb,
    fields      jsonb       not null default '{}'::jsonb,
    consents    text        not null default '[]',
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create unique index lead_email_unique on lead (lower(email));
create index lead_created_at on lead (created_at);
create index lead_channel on lead (channel, created_at);

create table form_submission (
    id          uuid primary key,
    form_id     uuid        not null references form (id),
    lead_id     uuid        not null references lead (id),
    visitor_id  text,
    payload     jsonb       not null,
    received_at timestamptz not null
);
create index form_submission_lead on form_submission (lead_id);

-- the default website contact form of a new installation
insert into form (id, form_key, name, channel, campaign, offer)
values ('00000000-0000-0000-0000-00000000f001', 'contact', 'Website contact form', 'website', null, null);
