-- The cohort and attribution rollups also kept per month (day = first day of the month), so that reports by month or
-- quarter over a long period read about 30 times fewer rows. Maintained by the same deltas as the daily tables.
create table lead_rollup_month (like lead_rollup including all);
create table duration_rollup_month (like duration_rollup including all);
create table deal_rollup_month (like deal_rollup including all);
create table attribution_rollup_month (like attribution_rollup including all);

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
