-- Forms marketing defines: field definitions, consent, double opt-in, CORS origins, offer, anti-spam settings
alter table form
    add column fields               text        not null default '[]',
    add column consent_text         text,
    add column consent_version      text,
    add column consent_purposes     text        not null default '[]',
    add column allowed_origins      text        not null default '[]',
    add column offer_asset_ref      text,
    add column confirm_redirect     text,
    add column require_render_token boolean     not null default false,
    add column ip_limit_per_minute  integer,
    add column form_limit_per_minute integer,
    add column updated_at           timestamptz not null default now();
update form set offer = 'none' where offer is null;

-- Double opt-in: a lead from a DOI form stays unconfirmed until its confirmation link is used
alter table lead
    add column status           text        not null default 'active',
    add column confirmed_at     timestamptz,
    add column disposable_email boolean     not null default false;

create index form_submission_form on form_submission (form_id, received_at);
