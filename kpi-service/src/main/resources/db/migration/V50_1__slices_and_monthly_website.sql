-- Query speed over long periods (issue 10, performance):
-- * slices: lead_rollup, duration_rollup and deal_rollup without source, partner and form, each row counted under
--   (channel, campaign), (channel, '*'), ('*', campaign) and ('*', '*'); a report without a source / partner / form
--   filter reads one slice (for a year of month rows: about 100 rows per month instead of every dimension combination
--   times every histogram bucket). Kept per day and per month, by the same deltas as the full tables.
-- * website_rollup per month too.
-- * lead and duration tables indexed by source and partner, so the partner report reads only the partners' rows.
-- The primary keys start with channel and campaign: a report reads one (channel, campaign) slice over a day range.
create table lead_slice (
    day          date not null,
    channel      text not null,
    campaign     text not null,
    leads        bigint not null default 0,
    members      bigint not null default 0,
    subscribers  bigint not null default 0,
    mql          bigint not null default 0,
    sql          bigint not null default 0,
    opportunity  bigint not null default 0,
    customers    bigint not null default 0,
    recycled     bigint not null default 0,
    disqualified bigint not null default 0,
    primary key (channel, campaign, day)
);
create table duration_slice (
    day      date not null,
    metric   text not null,
    channel  text not null,
    campaign text not null,
    bucket   int not null,
    leads    bigint not null default 0,
    primary key (channel, campaign, day, metric, bucket)
);
create table deal_slice (
    day          date not null,
    channel      text not null,
    campaign     text not null,
    currency     text not null,
    rate_month   date not null,
    deals        bigint not null default 0,
    revenue      numeric not null default 0,
    gross_margin numeric not null default 0,
    primary key (channel, campaign, day, currency, rate_month)
);
create table lead_slice_month (like lead_slice including all);
create table duration_slice_month (like duration_slice including all);
create table deal_slice_month (like deal_slice including all);
create table website_rollup_month (like website_rollup including all);

-- the funnel reads a slice's histograms from the index alone (once vacuum marked the pages visible: past months)
create index duration_slice_cover on duration_slice (channel, campaign, day, metric, bucket) include (leads);
create index duration_slice_month_cover on duration_slice_month (channel, campaign, day, metric, bucket) include (leads);
-- a day's money report groups the day's slice rows by channel and campaign
create index lead_slice_day on lead_slice (day);
create index deal_slice_day on deal_slice (day);
-- the partner report: accepted leads and the credit histogram of one source (webhook) per partner
create index duration_rollup_partner on duration_rollup (metric, source, partner, day) include (bucket, leads);
create index duration_rollup_month_partner on duration_rollup_month (metric, source, partner, day) include (bucket, leads);
create index lead_rollup_partner on lead_rollup (source, partner, day) include (leads);
create index lead_rollup_month_partner on lead_rollup_month (source, partner, day) include (leads);

-- kpi_rebuild_derived_rollups(): recomputes every table derived from the daily rollups (the monthly copies of V3 and
-- this migration, the slices) from the daily tables; run here once, and by bench/kpi/rollups-10m.sql after it fills the
-- daily tables. The ingest keeps them up to date by deltas.
create function kpi_rebuild_derived_rollups() returns void language plpgsql as $$
begin
truncate lead_rollup_month, duration_rollup_month, deal_rollup_month, attribution_rollup_month, website_rollup_month,
         lead_slice, duration_slice, deal_slice, lead_slice_month, duration_slice_month, deal_slice_month;
insert into lead_rollup_month
select date_trunc('month', day)::date, channel, source, campaign, partner, form, sum(leads), sum(members), sum(subscribers), sum(mql),
       sum(sql), sum(opportunity), sum(customers), sum(recycled), sum(disqualified)
from lead_rollup group by 1, 2, 3, 4, 5, 6;
insert into duration_rollup_month
select date_trunc('month', day)::date, channel, source, campaign, partner, form, metric, bucket, sum(leads)
from duration_rollup group by 1, 2, 3, 4, 5, 6, 7, 8;
insert into deal_rollup_month
select date_trunc('month', day)::date, channel, source, campaign, partner, form, currency, rate_month, sum(deals), sum(revenue), sum(gross_margin)
from deal_rollup group by 1, 2, 3, 4, 5, 6, 7, 8;
insert into attribution_rollup_month
select date_trunc('month', day)::date, model, channel, campaign, currency, rate_month, sum(customers), sum(revenue)
from attribution_rollup group by 1, 2, 3, 4, 5, 6;
-- a channel or campaign that is itself '*' counts under '*' only (as the ingest does): its own rows are left out
insert into lead_slice
select day, coalesce(channel, '*'), coalesce(campaign, '*'), leads, members, subscribers, mql, sql, opportunity, customers, recycled, disqualified
from (select day, channel, campaign, grouping(channel) as gc, grouping(campaign) as gk, sum(leads) as leads, sum(members) as members,
             sum(subscribers) as subscribers, sum(mql) as mql, sum(sql) as sql, sum(opportunity) as opportunity, sum(customers) as customers,
             sum(recycled) as recycled, sum(disqualified) as disqualified
      from lead_rollup group by grouping sets ((day, channel, campaign), (day, channel), (day, campaign), (day))) s
where not (gc = 0 and channel = '*') and not (gk = 0 and campaign = '*');
insert into duration_slice
select day, metric, coalesce(channel, '*'), coalesce(campaign, '*'), bucket, leads
from (select day, metric, channel, campaign, bucket, grouping(channel) as gc, grouping(campaign) as gk, sum(leads) as leads
      from duration_rollup group by grouping sets ((day, metric, bucket, channel, campaign), (day, metric, bucket, channel),
                                                   (day, metric, bucket, campaign), (day, metric, bucket))) s
where not (gc = 0 and channel = '*') and not (gk = 0 and campaign = '*');
insert into deal_slice
select day, coalesce(channel, '*'), coalesce(campaign, '*'), currency, rate_month, deals, revenue, gross_margin
from (select day, channel, campaign, currency, rate_month, grouping(channel) as gc, grouping(campaign) as gk, sum(deals) as deals,
             sum(revenue) as revenue, sum(gross_margin) as gross_margin
      from deal_rollup group by grouping sets ((day, currency, rate_month, channel, campaign), (day, currency, rate_month, channel),
                                               (day, currency, rate_month, campaign), (day, currency, rate_month))) s
where not (gc = 0 and channel = '*') and not (gk = 0 and campaign = '*');
insert into lead_slice_month
select date_trunc('month', day)::date, channel, campaign, sum(leads), sum(members), sum(subscribers), sum(mql), sum(sql),
       sum(opportunity), sum(customers), sum(recycled), sum(disqualified)
from lead_slice group by 1, 2, 3;
insert into duration_slice_month
select date_trunc('month', day)::date, metric, channel, campaign, bucket, sum(leads) from duration_slice group by 1, 2, 3, 4, 5;
insert into deal_slice_month
select date_trunc('month', day)::date, channel, campaign, currency, rate_month, sum(deals), sum(revenue), sum(gross_margin)
from deal_slice group by 1, 2, 3, 4, 5;
insert into website_rollup_month
select date_trunc('month', day)::date, channel, campaign, sum(sessions), sum(page_views), sum(seconds) from website_rollup group by 1, 2, 3;
end;
$$;
select kpi_rebuild_derived_rollups();
