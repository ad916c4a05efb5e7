-- Facts per lead (no personal data: no e-mail, no name, only ids, dimensions and times) and rollups.
-- Rollups are maintained as deltas: every batch subtracts the old contribution of the leads it touches and adds
-- the new one, so the numbers depend only on the set of events, not on their order (replay gives the same).

create table kpi_lead (
    lead_id           uuid primary key,
    captured_at       timestamptz,
    channel           text not null default '',
    source            text not null default '',
    campaign          text not null default '',
    partner           text not null default '',
    form              text not null default '',
    member            boolean not null default false,
    subscribed_at     timestamptz,
    lead_at           timestamptz,
    mql_at            timestamptz,
    sql_at            timestamptz,
    opportunity_at    timestamptz,
    customer_at       timestamptz,
    recycled_at       timestamptz,
    disqualified_at   timestamptz,
    hard_bounced_at   timestamptz,
    survivor_id       uuid,
    merge_changed_at  timestamptz,
    erased_at         timestamptz
);
create index kpi_lead_survivor on kpi_lead (survivor_id) where survivor_id is not null;

-- touches of a lead (for attribution): the capture itself, visits (session starts), human e-mail clicks
create table kpi_touch (
    event_id  uuid primary key,
    lead_id   uuid not null,
    at        timestamptz not null,
    channel   text not null,
    campaign  text not null
);
create index kpi_touch_lead on kpi_touch (lead_id);

create table kpi_deal (
    deal_id      uuid primary key,
    lead_id      uuid not null,
    won          boolean not null,
    revenue      numeric not null,
    gross_margin numeric not null,
    currency     text not null,
    closed_at    timestamptz not null
);
create index kpi_deal_lead on kpi_deal (lead_id);

create table kpi_lead_sequence (
    lead_id       uuid not null,
    sequence_id   text not null,
    first_sent_at timestamptz not null,
    primary key (lead_id, sequence_id)
);

-- leads per capture day (cohort) and dimensions; subscribers on the day they subscribed
create table lead_rollup (
    day          date not null,
    channel      text not null,
    source       text not null,
    campaign     text not null,
    partner      text not null,
    form         text not null,
    leads        bigint not null default 0,
    members      bigint not null default 0,
    subscribers  bigint not null default 0,
    mql          bigint not null default 0,
    sql          bigint not null default 0,
    opportunity  bigint not null default 0,
    customers    bigint not null default 0,
    recycled     bigint not null default 0,
    disqualified bigint not null default 0,
    primary key (day, channel, source, campaign, partner, form)
);

-- histograms of durations per capture day: metric (lead_to_mql ..., partner_credit_days), bucket (see Durations)
create table duration_rollup (
    day      date not null,
    channel  text not null,
    source   text not null,
    campaign text not null,
    partner  text not null,
    form     text not null,
    metric   text not null,
    bucket   int not null,
    leads    bigint not null default 0,
    primary key (day, metric, channel, source, campaign, partner, form, bucket)
);

-- won deals per capture day of their lead, in the deal's currency, with the month whose rate converts them
create table deal_rollup (
    day          date not null,
    channel      text not null,
    source       text not null,
    campaign     text not null,
    partner      text not null,
    form         text not null,
    currency     text not null,
    rate_month   date not null,
    deals        bigint not null default 0,
    revenue      numeric not null default 0,
    gross_margin numeric not null default 0,
    primary key (day, channel, source, campaign, partner, form, currency, rate_month)
);

-- customers and revenue credited to touches, per close day and model
create table attribution_rollup (
    day        date not null,
    model      text not null,
    channel    text not null,
    campaign   text not null,
    currency   text not null,
    rate_month date not null,
    customers  numeric not null default 0,
    revenue    numeric not null default 0,
    primary key (day, model, channel, campaign, currency, rate_month)
);

-- leads entering an e-mail sequence (first send day) and how many reached MQL / SQL after it
create table sequence_rollup (
    day         date not null,
    sequence_id text not null,
    enrolled    bigint not null default 0,
    mql         bigint not null default 0,
    sql         bigint not null default 0,
    primary key (day, sequence_id)
);

create table email_rollup (
    day           date not null,
    sequence_id   text not null,
    step_id       text not null,
    sent          bigint not null default 0,
    delivered     bigint not null default 0,
    opened_human  bigint not null default 0,
    opened_bot    bigint not null default 0,
    opened_proxy  bigint not null default 0,
    clicked_human bigint not null default 0,
    clicked_bot   bigint not null default 0,
    clicked_proxy bigint not null default 0,
    unsubscribed  bigint not null default 0,
    bounced_hard  bigint not null default 0,
    bounced_soft  bigint not null default 0,
    complained    bigint not null default 0,
    primary key (day, sequence_id, step_id)
);

create table website_rollup (
    day           date not null,
    channel       text not null,
    campaign      text not null,
    sessions      bigint not null default 0,
    page_views    bigint not null default 0,
    seconds       bigint not null default 0,
    primary key (day, channel, campaign)
);

-- distinct visitors per bucket (grain d/w/m/q), per channel and campaign ('*' = any)
create table website_visitor (
    grain      char(1) not null,
    period     date not null,
    channel    text not null,
    campaign   text not null,
    visitor_id text not null,
    primary key (grain, period, channel, campaign, visitor_id)
);
create table website_visitors (
    grain    char(1) not null,
    period   date not null,
    channel  text not null,
    campaign text not null,
    visitors bigint not null default 0,
    primary key (grain, period, channel, campaign)
);

create table campaign_cost (
    id          uuid primary key,
    channel     text not null,
    campaign    text not null,
    period_from date not null,
    period_to   date not null,
    amount      numeric not null,
    currency    text not null,
    created_at  timestamptz not null
);

create table exchange_rate (
    currency text not null,
    month    date not null,
    rate     numeric not null,
    primary key (currency, month)
);

create table partner_price (
    partner            text primary key,
    price_per_lead     numeric not null,
    currency           text not null,
    credit_window_days int not null
);

drop table lead_count_daily;
