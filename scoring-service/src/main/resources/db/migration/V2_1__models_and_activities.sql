-- Scoring models: versioned (a change is a new version), immutable once saved, exactly one active.
create table scoring_model (
    id          uuid primary key,
    name        text        not null,
    version     integer     not null,
    definition  text        not null,
    active      boolean     not null default false,
    created_at  timestamptz not null,
    created_by  text        not null,
    rescore_total integer   not null default 0,
    rescore_done  integer   not null default 0,
    rescore_state text      not null default 'idle',
    unique (name, version)
);
create unique index scoring_model_one_active on scoring_model (active) where active;

-- Activities per lead (from lead.activity and email.event), the input of engagement scoring and backtests.
create table lead_activity (
    event_id         uuid primary key,
    lead_id          uuid        not null,
    activity_type    text        not null,
    occurred_at      timestamptz not null,
    url              text,
    asset            text,
    duration_seconds integer,
    bot              boolean     not null default false
);
create index lead_activity_lead on lead_activity (lead_id, occurred_at);
create index lead_activity_time on lead_activity (occurred_at);

alter table lead_score add column model_id uuid;
alter table lead_score add column mql boolean not null default false;
alter table lead_score add column mql_reason text;

-- The default model: the walking skeleton's fit rules (unchanged behaviour), plus engagement rules.
insert into scoring_model (id, name, version, definition, active, created_at, created_by) values (
  '00000000-0000-0000-0000-000000000001', 'default', 1, '{
  "fitRules": [
    {"id": "company-known", "field": "company", "operator": "present", "points": 10, "description": "company given"},
    {"id": "job-title-known", "field": "jobTitle", "operator": "present", "points": 10, "description": "job title given"},
    {"id": "phone-known", "field": "phone", "operator": "present", "points": 5, "description": "phone number given"},
    {"id": "country-known", "field": "country", "operator": "present", "points": 5, "description": "country given"},
    {"id": "business-email", "field": "email", "operator": "business_email", "points": 10, "description": "business e-mail domain"}
  ],
  "gradeBands": [
    {"grade": "A", "minFit": 35}, {"grade": "B", "minFit": 25}, {"grade": "C", "minFit": 15},
    {"grade": "D", "minFit": 10}, {"grade": "E", "minFit": 5}
  ],
  "engagementRules": [
    {"id": "page-view", "activityType": "page_view", "points": 2, "cap": 20, "halfLifeDays": 30, "description": "page viewed"},
    {"id": "engaged-page-view", "activityType": "page_view", "minSeconds": 60, "points": 3, "cap": 15, "halfLifeDays": 30, "description": "a minute or more on a page"},
    {"id": "pricing-page", "activityType": "page_view", "urlPattern": "/pricing", "points": 10, "cap": 20, "halfLifeDays": 14, "description": "pricing page viewed"},
    {"id": "download", "activityType": "download", "points": 10, "cap": 30, "halfLifeDays": 60, "description": "asset downloaded"},
    {"id": "webinar", "activityType": "webinar", "points": 20, "cap": 40, "halfLifeDays": 90, "description": "webinar attended"},
    {"id": "configurator", "activityType": "configurator", "points": 15, "cap": 30, "halfLifeDays": 30, "description": "product configured"},
    {"id": "chat", "activityType": "chat", "points": 10, "cap": 20, "halfLifeDays": 30, "description": "chat with sales or bot"},
    {"id": "form", "activityType": "form", "points": 10, "cap": 20, "halfLifeDays": 60, "description": "form submitted"},
    {"id": "email-open", "activityType": "email_open", "points": 1, "cap": 5, "halfLifeDays": 14, "description": "e-mail opened (human)"},
    {"id": "email-click", "activityType": "email_click", "points": 5, "cap": 15, "halfLifeDays": 14, "description": "e-mail link clicked (human)"},
    {"id": "careers-page", "activityType": "page_view", "urlPattern": "/(careers|jobs)", "points": -10, "cap": 30, "description": "job seeker signal: careers page"},
    {"id": "unsubscribe", "activityType": "email_unsubscribe", "points": -20, "cap": 20, "description": "unsubscribed from e-mail"},
    {"id": "bounce", "activityType": "email_bounce", "points": -10, "cap": 10, "description": "e-mail bounced"}
  ],
  "temperatures": {"hot": 50, "warm": 20},
  "mql": {"minGrade": "B", "minEngagement": 40}
}', true, now(), 'system');

-- leads scored by the walking skeleton: the default model has the same fit rules
update lead_score set model_id = '00000000-0000-0000-0000-000000000001' where model_id is null;
